// Package experiment is what the training commands share (cmd/categorical,
// cmd/structured, the grids cmd/table1, cmd/figure3 and cmd/structgrid,
// and the laboratories cmd/figure1 and cmd/structlab): the run's [Spec]
// and its flag groups, the structure table (one row per latent structure:
// its -structure name, the flags it reads, its constructor) and the grids'
// estimator names, the one build path ([Check], then [Built.Setup]), the
// data as matrices, the epoch loop's files and the pictures. It sits at
// the end of the data flow and is not meant for library users; the
// command-line convention itself is package internal/cli.
package experiment
