// Package experiment is what the VAE training commands share:
// cmd/categorical and cmd/structured, the grids cmd/table1, cmd/figure3
// and cmd/structgrid, the laboratories cmd/figure1 and cmd/structlab, and
// cmd/latents, which rebuilds a run's model from its config.json.
//
// One idea per file: build.go ([Spec], config.json's fields, and [Check],
// which resolves defaults, names the flag at fault and builds the
// structure and estimator once), structures.go (the structure table: one
// row per -structure, what it reads, its size and constructor),
// estimators.go (the grids' estimator names), flags.go (the flag groups,
// one default each), memory.go and cost.go (refusing what cannot fit or
// finish, before anything is allocated or trained), data.go (the data as
// matrices and [Built.Setup], the one build path), loop.go ([Run.Execute]:
// train.Fit with the command's files), reuse.go (the grids' "is this cell
// finished?", the run folder's check), categorical.go and structured.go
// (the two metrics layouts) and pictures.go.
//
// It sits at the end of the data flow and is not for library users; the
// command line is internal/cli, the run folder internal/runfolder, the
// driver internal/driver, and the semi-supervised commands'
// counterpart internal/semirun.
package experiment
