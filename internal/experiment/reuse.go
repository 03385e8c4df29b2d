package experiment

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/argmaxvae/argmaxvae/internal/cli"
	"github.com/argmaxvae/argmaxvae/internal/runfolder"
	"github.com/argmaxvae/argmaxvae/train"
)

// RunOrReuse is how the grid commands (table1, figure3, structgrid,
// figure1) run one cell of a checked spec: if b.Spec.Out already holds a
// finished run of the same spec (summary.json with its epochs, not
// interrupted, and a config.json that matches) it returns that summary
// without training; otherwise it trains the run that layout builds,
// resuming from the checkpoint an interrupted run left. A folder whose
// config.json describes a different run (another estimator, KL mode,
// seed, schedule, …) is refused with an error naming the differences: it
// is never silently reused, resumed or overwritten.
func RunOrReuse(ctx context.Context, b *Built, data *Data, layout func(t *train.Trainer) *Run) (Summary, error) {
	s := b.Spec
	if done, ok, err := Finished(s); err != nil || ok {
		return done, err
	}
	_, statErr := os.Stat(filepath.Join(s.Out, CheckpointFile))
	t, err := b.Trainer(data.Train.Cols)
	if err != nil {
		return Summary{}, err
	}
	return layout(t).Execute(ctx, !errors.Is(statErr, fs.ErrNotExist))
}

// Finished reports whether s.Out holds a finished run of s (same spec, all
// s.Epochs epochs, not interrupted) and returns its summary. A folder
// holding a different spec is an error naming the fields that differ.
func Finished(s *Spec) (Summary, bool, error) {
	var done Summary
	ok, err := runfolder.Finished(s.Out, configJSON(s), s.Epochs, &done, configFree(s)...)
	if errors.Is(err, runfolder.ErrRefused) {
		err = cli.Usage(err)
	}
	return done, ok, err
}

// configFree lists the config.json fields that may differ between a run
// folder and the spec resuming or reusing it: where and how fast it runs
// (output folder, threads, command name, kernels, Go version, CPUs), the
// derived test_nll_kind, the number of epochs (a longer or shorter run of
// the same spec resumes or is reused) and, for estimators other than
// direct, direct_kl (only direct reads it; a change of estimator is
// reported by itself).
func configFree(s *Spec) []string {
	free := []string{"out", "threads", "command", "test_nll_kind", "epochs", "blas", "gemm_kernels", "blas_core", "kernels", "go", "cpus"}
	if s.Estimator != "direct" {
		free = append(free, "direct_kl")
	}
	return free
}
