// Package semirun is cmd/semisup's command line: the flags, their checks,
// the run's description (config.json, checked and written by the driver
// under the folder's lock), summary.json and the call to semisup.Run,
// shared by cmd/semisup and cmd/table2.
package semirun

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"path/filepath"
	"runtime"

	"github.com/argmaxvae/argmaxvae/dataset"
	"github.com/argmaxvae/argmaxvae/internal/cli"
	"github.com/argmaxvae/argmaxvae/internal/runfolder"
	"github.com/argmaxvae/argmaxvae/nn"
	"github.com/argmaxvae/argmaxvae/report"
	"github.com/argmaxvae/argmaxvae/semisup"
	"github.com/argmaxvae/argmaxvae/train"
)

// Config is config.json: everything that determines the run.
type Config struct {
	Data        string  `json:"data"`
	Labels      int     `json:"labels"`
	Estimator   string  `json:"estimator"`
	Epochs      int     `json:"epochs"`
	Batch       int     `json:"batch"`
	LabelBatch  int     `json:"label_batch"`
	LR          float64 `json:"lr"`
	AnnealRate  float64 `json:"anneal_rate"`
	EpsSup      float64 `json:"eps_sup"`
	Alpha       float64 `json:"alpha"`
	C           int     `json:"gaussian_dim"`
	Seed        uint64  `json:"seed"`
	Limit       int     `json:"limit"`
	Binarize    string  `json:"binarization"`
	BoundKind   string  `json:"bound_kind"`
	GemmKernels string  `json:"gemm_kernels"`
	Kernels     string  `json:"kernels"`
	BLASCore    string  `json:"blas_core,omitempty"`
	Threads     int     `json:"threads,omitempty"` // goroutines of the products and kernels (nn.SetThreads)
}

// Run parses the command line of cmd/semisup (see its documentation) and
// runs it, writing the result line to stdout and progress to stderr. Flag
// problems come back as experiment.UsageError, before any data is read.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c Config
	fs := cli.NewFlagSet("semisup", stderr)
	cli.Data(fs, &c.Data, "mnist")
	fs.IntVar(&c.Labels, "labels", 100, "class-balanced labelled training images (a multiple of 10; 0: unsupervised)")
	fs.StringVar(&c.Estimator, "estimator", "direct", "discrete-latent estimator: direct or gsm")
	fs.IntVar(&c.Epochs, "epochs", 30, "epochs (passes over the 50,000 unlabelled training images)")
	fs.IntVar(&c.Batch, "batch", 100, "unlabelled images per step")
	fs.IntVar(&c.LabelBatch, "label-batch", 10, "labelled images added to each step (ignored with -labels 0)")
	fs.Float64Var(&c.LR, "lr", 1e-3, "Adam learning rate")
	fs.Float64Var(&c.AnnealRate, "anneal", 1e-4, "annealing rate r: ε (τ) = max(exp(−r·step), 0.1), updated every 1000 steps")
	fs.Float64Var(&c.EpsSup, "eps-sup", semisup.DefaultEpsSup, "direct: ε of labelled examples")
	fs.Float64Var(&c.Alpha, "alpha", semisup.DefaultAlpha, "gsm: weight of the labelled examples' cross-entropy")
	fs.IntVar(&c.C, "gaussian-dim", 20, "dimension of each component's Gaussian")
	cli.Seed(fs, &c.Seed)
	cli.Limit(fs, &c.Limit)
	var out string
	cli.Out(fs, &out, "")
	resume := fs.Bool("resume", false, "continue from OUT/checkpoint.bin up to -epochs")
	var threads int
	cli.Threads(fs, &threads)
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if err := check(c); err != nil {
		return cli.Usage(err)
	}
	if threads > 0 {
		runtime.GOMAXPROCS(threads)
	}
	c.Threads = runtime.GOMAXPROCS(0)
	nn.SetThreads(c.Threads)
	if out == "" {
		out = filepath.Join("results", "semisup", fmt.Sprintf("%s-%s-%d-s%d", c.Data, c.Estimator, c.Labels, c.Seed))
	}
	c.Binarize = "threshold 0.5"
	c.BoundKind = "NELBO: exact sum over z_d, one Gaussian sample per component (unbiased estimate of a valid bound)"
	c.GemmKernels, c.Kernels, c.BLASCore = nn.GemmKernels(), nn.Kernels(), nn.BLASCore()
	// Where the run computes is recorded, not enforced (the AVX-512 tiles
	// give the same numbers at any thread count, OpenBLAS the same for the
	// same count); a resume may extend -epochs.
	free := []string{"gemm_kernels", "kernels", "blas_core", "threads", "epochs"}
	if *resume { // before the data is read; the driver checks again under the lock
		if err := runfolder.CheckConfig(out, c, free...); err != nil {
			return cli.Usage(fmt.Errorf("-resume: %w", err))
		}
	}
	sp, err := dataset.Load(c.Data, dataset.Options{})
	if err != nil {
		return err
	}
	if c.Limit > 0 && c.Limit < sp.Train.N {
		sp.Train = sp.Train.Head(c.Limit)
	}
	lab, err := semisup.Labelled(sp.Train.Labels, 10, c.Labels, c.Seed)
	if err != nil {
		return cli.Usage(err)
	}
	mat := func(s *dataset.Set) nn.Mat { return nn.Mat{Rows: s.N, Cols: s.D, Data: s.X[:s.N*s.D]} }
	data := semisup.Data{Train: mat(sp.Train), Valid: mat(sp.Valid), Test: mat(sp.Test),
		TrainLabels: sp.Train.Labels, ValidLabels: sp.Valid.Labels, TestLabels: sp.Test.Labels, Labelled: lab}
	m, err := semisup.New(semisup.Sizes{C: c.C}, rand.New(rand.NewPCG(c.Seed, 0x5e315)))
	if err != nil {
		return err
	}
	var est semisup.Estimator = semisup.Direct{EpsSup: c.EpsSup}
	if c.Estimator == "gsm" {
		est = semisup.GSM{Alpha: c.Alpha}
	}
	hist, err := semisup.Run(ctx, m, est, data, semisup.Settings{
		Epochs: c.Epochs, Batch: c.Batch, LabelBatch: c.LabelBatch, LR: c.LR,
		Sched: train.Schedule{Start: 1, Min: 0.1, Rate: c.AnnealRate, Every: 1000},
		Seed:  c.Seed, Dir: out, Resume: *resume, Progress: stderr, Config: c, ConfigFree: free})
	if errors.Is(err, runfolder.ErrRefused) {
		return cli.Usage(err)
	}
	if err != nil {
		return err
	}
	if len(hist) == 0 {
		return errors.New("no epoch trained")
	}
	last := hist[len(hist)-1]
	sum := map[string]any{"epochs": last.Epoch, "test_nelbo": last.TestNELBO,
		"test_acc_argmax": last.TestAccArgmax, "test_acc_sample": last.TestAccSample,
		"test_acc_majority": last.TestAccMj, "labels": c.Labels, "estimator": c.Estimator, "data": c.Data,
		"bound_kind": c.BoundKind}
	var secs float64
	for _, r := range hist {
		secs += r.Seconds + r.EvalSeconds
	}
	sum["seconds"] = secs
	if err := report.WriteJSON(filepath.Join(out, "summary.json"), sum); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s %s %d labels: test accuracy %.2f%% (arg max), %.2f%% (sample), %.2f%% (majority map); test NELBO %.2f (estimate of a bound)\n",
		c.Data, c.Estimator, c.Labels, 100*last.TestAccArgmax, 100*last.TestAccSample, 100*last.TestAccMj, last.TestNELBO)
	return nil
}

// check validates the flags before any data is read.
func check(c Config) error {
	switch {
	case c.Data != "mnist" && c.Data != "fashion":
		return fmt.Errorf("-data %q: want mnist or fashion (the data sets with labels)", c.Data)
	case c.Estimator != "direct" && c.Estimator != "gsm":
		return fmt.Errorf("-estimator %q: want direct or gsm", c.Estimator)
	case c.Labels < 0 || c.Labels%10 != 0:
		return fmt.Errorf("-labels %d: want a non-negative multiple of 10 (class-balanced)", c.Labels)
	case c.Labels > 50000:
		return fmt.Errorf("-labels %d: the training split has 50,000 images", c.Labels)
	case c.Epochs < 1:
		return fmt.Errorf("-epochs %d: want ≥ 1", c.Epochs)
	case c.Batch < 1 || c.LabelBatch < 1:
		return fmt.Errorf("-batch %d, -label-batch %d: want ≥ 1", c.Batch, c.LabelBatch)
	case !(c.LR > 0) || c.LR > 1:
		return fmt.Errorf("-lr %g: want in (0, 1]", c.LR)
	case !(c.AnnealRate >= 0):
		return fmt.Errorf("-anneal %g: want ≥ 0", c.AnnealRate)
	case !(c.EpsSup > 0) || c.EpsSup > 1:
		return fmt.Errorf("-eps-sup %g: want in (0, 1]", c.EpsSup)
	case !(c.Alpha >= 0):
		return fmt.Errorf("-alpha %g: want ≥ 0", c.Alpha)
	case c.C < 1:
		return fmt.Errorf("-gaussian-dim %d: want ≥ 1", c.C)
	case c.Limit < 0:
		return fmt.Errorf("-limit %d: want ≥ 0", c.Limit)
	}
	return nil
}
