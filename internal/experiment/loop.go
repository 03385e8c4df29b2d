package experiment

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"

	"github.com/argmaxvae/argmaxvae/internal/cli"
	"github.com/argmaxvae/argmaxvae/internal/driver"
	"github.com/argmaxvae/argmaxvae/internal/record"
	"github.com/argmaxvae/argmaxvae/internal/runfolder"
	"github.com/argmaxvae/argmaxvae/nn"
	"github.com/argmaxvae/argmaxvae/report"
	"github.com/argmaxvae/argmaxvae/train"
)

// Epoch is what one epoch produced (see [train.Epoch]).
type Epoch = train.Epoch

// Summary is a run's outcome (see [train.Summary]).
type Summary = train.Summary

// Run is one training run: a trainer, its data and how to record it. It
// wires [train.Fit] to the command's files: metrics.csv (Header, Row),
// progress lines, loss.png, config.json, summary.json and pictures.
type Run struct {
	Spec    *Spec
	Data    *Data
	Trainer *train.Trainer
	Header  []string                   // metrics.csv columns
	Row     func(e Epoch) []any        // one metrics.csv row
	Score   func(e train.Eval) float64 // the loss plotted and used to pick the best epoch
	EvalOpt train.EvalOptions
	Log     io.Writer // progress lines; nil = os.Stderr
	// Pictures, if set, draws the run's images into Spec.Out at the end
	// (and on interrupt: then ctx is cancelled, and a picture that needs
	// the solver is skipped, its error being ctx's).
	Pictures func(ctx context.Context, v *train.VAE) error
	// Likelihood, LikEvery and LikKind go to train.Settings (Likelihood,
	// LikelihoodEvery, LikelihoodKind).
	Likelihood func(ctx context.Context, v *train.VAE, X nn.Mat) (train.Likelihood, error)
	LikEvery   int
	LikKind    string
}

// Files in the output directory.
const (
	MetricsFile    = "metrics.csv"
	ConfigFile     = "config.json"
	CheckpointFile = train.CheckpointFile
	BestFile       = train.BestFile
	SummaryFile    = "summary.json"
	LossPlotFile   = "loss.png"
)

// Execute trains until Spec.Epochs epochs are done (resuming from the
// checkpoint in Spec.Out when resume is set), with train.Fit locking the
// folder, checking that its config.json describes the same run (or, for a
// new run, that the folder holds none), writing config.json and
// committing every epoch; refusals are [cli.UsageError]s. When ctx is
// cancelled (Ctrl-C, SIGTERM) it drops the epoch in progress, writes the
// summary, plots and pictures, and returns ctx's error.
func (r *Run) Execute(ctx context.Context, resume bool) (Summary, error) {
	s, t := r.Spec, r.Trainer
	log := r.Log
	if log == nil {
		log = os.Stderr
	}
	recs := []train.Recorder{
		&record.MetricsCSV[Epoch]{Path: filepath.Join(s.Out, MetricsFile), Header: r.Header, Row: r.Row},
		&record.ProgressLines[Epoch]{W: log, Epochs: s.Epochs, Label: fmt.Sprintf("%s %s/%s", s.Command, s.Estimator, s.Solver), Line: func(e Epoch) string {
			return fmt.Sprintf("train %.2f  valid %.2f  test %.2f  temp %.3g", e.Train.Loss, r.Score(e.Valid), r.Score(e.Test), e.Temp)
		}},
		finish(func(sum Summary, h []Epoch) error {
			if err := report.WriteJSON(filepath.Join(s.Out, SummaryFile), sum); err != nil {
				return err
			}
			if err := lossPlot(filepath.Join(s.Out, LossPlotFile), fmt.Sprintf("%s, %s", s.Data, s.Solver), s.Estimator, h,
				func(e Epoch) float64 { return r.Score(e.Test) }); err != nil {
				return err
			}
			if r.Pictures == nil {
				return nil
			}
			err := r.Pictures(ctx, t.VAE())
			if err != nil && ctx.Err() != nil && errors.Is(err, ctx.Err()) {
				fmt.Fprintf(log, "%s: interrupted: pictures that need the solver are left for the end of the run\n", s.Command)
				return nil
			}
			return err
		}),
	}
	settings := train.Settings{Epochs: s.Epochs, Seed: s.Seed, TestEval: r.EvalOpt, Score: r.Score,
		Likelihood: r.Likelihood, LikelihoodEvery: r.LikEvery, LikelihoodKind: r.LikKind, Dir: s.Out, Resume: resume,
		Config: configJSON(s), ConfigFree: configFree(s), Log: log}
	sum, err := train.Fit(ctx, t, train.Data{Train: r.Data.Train, Valid: r.Data.Valid, Test: r.Data.Test, Resample: r.Data.Resample}, settings, recs...)
	if errors.Is(err, runfolder.ErrRefused) {
		err = cli.Usage(err)
	}
	return sum, err
}

// lossPlot draws the test loss y against epoch and against training wall
// clock into path (PNG).
func lossPlot(path, title, series string, h []Epoch, y func(e Epoch) float64) error {
	if len(h) == 0 {
		return nil
	}
	ep, wall, ys := make([]float64, len(h)), make([]float64, len(h)), make([]float64, len(h))
	for i, e := range h {
		ep[i], wall[i], ys[i] = float64(e.Epoch), e.Wall, y(e)
	}
	const ylabel = "test loss (nats)"
	return report.PlotPanels(path, []report.Panel{
		{Title: title, XLabel: "epoch", YLabel: ylabel, Series: []report.Series{{Name: series, X: ep, Y: ys}}},
		{Title: title, XLabel: "training wall clock (s)", YLabel: ylabel, Series: []report.Series{{Name: series, X: wall, Y: ys}}},
	}, 2, 10, 4)
}

// finish is a recorder that only acts at the end.
type finish func(sum Summary, h []Epoch) error

func (finish) Start([]Epoch) error                   { return nil }
func (finish) Record(Epoch) error                    { return nil }
func (f finish) Finish(sum Summary, h []Epoch) error { return f(sum, h) }

// LoadCheckpoint restores a trainer from a state file: a run folder's
// checkpoint.bin (its last epoch) or best.bin.
func LoadCheckpoint(t *train.Trainer, path string) error {
	b, err := runfolder.ReadState(path)
	if err != nil {
		return fmt.Errorf("resume: %w", err)
	}
	if err := t.Load(bytes.NewReader(b)); err != nil {
		return fmt.Errorf("resume from %s: %w", path, err)
	}
	return nil
}

// History returns the epochs committed in the run folder dir (its
// checkpoint's history: what metrics.csv shows, with every field).
func History(dir string) ([]Epoch, error) { return driver.History[Epoch](dir) }

type config struct {
	*Spec
	BLAS        string `json:"blas"`
	GemmKernels string `json:"gemm_kernels"`
	BLASCore    string `json:"blas_core,omitempty"`
	Kernels     string `json:"kernels"`
	GoVersion   string `json:"go"`
	CPUs        int    `json:"cpus"`
}

// configJSON is config.json for s. When s.Out holds a config.json of the
// same run written before the structure table (structure "supermodular"
// where s says complete with -signs supermodular, see legacyStructures),
// s is described in that file's words, so the folder resumes and is
// reused as it was.
func configJSON(s *Spec) config {
	if old := legacyStructure(s); old != "" {
		legacy := *s
		legacy.Structure, legacy.Signs = old, ""
		s = &legacy
	}
	return config{Spec: s, BLAS: nn.Backend(), GemmKernels: nn.GemmKernels(), BLASCore: nn.BLASCore(), Kernels: nn.Kernels(), GoVersion: runtime.Version(), CPUs: runtime.NumCPU()}
}

// legacyStructure returns the old structure name in s.Out's config.json
// when it names s's structure and signs, else "".
func legacyStructure(s *Spec) string {
	b, err := os.ReadFile(filepath.Join(s.Out, ConfigFile))
	if err != nil {
		return ""
	}
	var old struct {
		Structure string  `json:"structure"`
		Signs     *string `json:"signs"`
	}
	if json.Unmarshal(b, &old) != nil || old.Signs != nil {
		return ""
	}
	if l, ok := legacyStructures[old.Structure]; ok && l == [2]string{s.Structure, s.Signs} {
		return old.Structure
	}
	return ""
}
