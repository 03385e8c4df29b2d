// Package semirun is the semi-supervised run of cmd/semisup and
// cmd/table2: [Config] (the flags, with their one set of defaults,
// checked before any data are read, and config.json), [Train] (one run in
// its folder through semisup.Run and the one training driver, then
// summary.json) and [Finished] (the grid's "is this cell done?", the run
// folder's check). [Run] is cmd/semisup's command line.
//
// Train sets no process-wide state: the thread count is set once by the
// command (cmd/table2 runs several cells at a time).
package semirun

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"path/filepath"
	"strings"

	"github.com/argmaxvae/argmaxvae/dataset"
	"github.com/argmaxvae/argmaxvae/internal/cli"
	"github.com/argmaxvae/argmaxvae/internal/memory"
	"github.com/argmaxvae/argmaxvae/internal/runfolder"
	"github.com/argmaxvae/argmaxvae/nn"
	"github.com/argmaxvae/argmaxvae/semisup"
	"github.com/argmaxvae/argmaxvae/train"
)

// Config is config.json: everything that determines the run.
type Config struct {
	Command     string  `json:"command"` // "semisup", whichever command trains it (a table2 cell too)
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

// Default is the configuration of `semisup` without flags.
func Default() Config {
	return Config{Data: "mnist", Labels: 100, Estimator: "direct", Epochs: 30, Batch: 100, LabelBatch: 10, LR: 1e-3,
		AnnealRate: 1e-4, EpsSup: semisup.DefaultEpsSup, Alpha: semisup.DefaultAlpha, C: 20}
}

// free lists the config.json fields a resumed or reused run may change:
// where the run computes is recorded, not enforced (the AVX-512 tiles give
// the same numbers at any thread count, OpenBLAS the same for the same
// count), a resume may extend -epochs, and "command" is absent from the
// folders written before it was recorded.
var free = []string{"gemm_kernels", "kernels", "blas_core", "threads", "epochs", "command"}

// Summary is summary.json.
type Summary struct {
	Epochs          int     `json:"epochs"`
	TestNELBO       float64 `json:"test_nelbo"`
	TestAccArgmax   float64 `json:"test_acc_argmax"`
	TestAccSample   float64 `json:"test_acc_sample"`
	TestAccMajority float64 `json:"test_acc_majority"`
	Labels          int     `json:"labels"`
	Estimator       string  `json:"estimator"`
	Data            string  `json:"data"`
	BoundKind       string  `json:"bound_kind"`
	Seconds         float64 `json:"seconds"` // training and evaluation, every epoch
}

// Run parses the command line of cmd/semisup (see its documentation),
// sets the thread count and trains, writing the result line to stdout and
// progress to stderr. Flag problems come back as cli.UsageErrors, before
// any data is read.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c := Default()
	fs := cli.NewFlagSet("semisup", stderr)
	cli.Data(fs, &c.Data, c.Data)
	cli.IntIn(fs, &c.Labels, "labels", c.Labels, 0, 50000, "the training split has 50,000 images", "class-balanced labelled training images (a multiple of 10; 0: unsupervised)")
	fs.StringVar(&c.Estimator, "estimator", c.Estimator, "discrete-latent estimator: direct or gsm")
	cli.Epochs(fs, &c.Epochs, c.Epochs)
	cli.Batch(fs, &c.Batch, "unlabelled images per step")
	cli.IntIn(fs, &c.LabelBatch, "label-batch", c.LabelBatch, 1, cli.MaxBatch, "", "labelled images added to each step (at most -labels; not with -labels 0)")
	cli.LR(fs, &c.LR)
	cli.FloatIn(fs, &c.AnnealRate, "anneal", c.AnnealRate, cli.NonNegative, "annealing rate r: ε (τ) = max(exp(−r·step), 0.1), updated every 1000 steps")
	cli.FloatIn(fs, &c.EpsSup, "eps-sup", c.EpsSup, cli.Fraction, "direct only: ε of labelled examples")
	cli.FloatIn(fs, &c.Alpha, "alpha", c.Alpha, cli.NonNegative, "gsm only: weight of the labelled examples' cross-entropy")
	cli.IntIn(fs, &c.C, "gaussian-dim", c.C, 1, dataset.Pixels, "no wider than the image", "dimension of each component's Gaussian")
	cli.Seed(fs, &c.Seed)
	cli.Limit(fs, &c.Limit)
	var out string
	cli.RunOut(fs, &out, "")
	var resume bool
	cli.Resume(fs, &resume)
	var threads int
	cli.Threads(fs, &threads)
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	given := cli.Given(fs)
	// A flag the run would ignore is refused.
	switch {
	case c.Labels == 0 && given("label-batch"):
		return cli.Usagef("-label-batch: -labels 0 has no labelled images")
	case c.Estimator != "direct" && given("eps-sup"):
		return cli.Usagef("-eps-sup applies to -estimator direct only, not %s", c.Estimator)
	case c.Estimator != "gsm" && given("alpha"):
		return cli.Usagef("-alpha applies to -estimator gsm only, not %s", c.Estimator)
	}
	if err := c.check(); err != nil {
		return cli.Usage(err)
	}
	c.Threads = cli.ResolveThreads(threads)
	nn.SetThreads(c.Threads)
	if out == "" {
		out = filepath.Join("results", "semisup", fmt.Sprintf("%s-%s-%d-s%d", c.Data, c.Estimator, c.Labels, c.Seed))
	}
	sum, err := Train(ctx, c, out, resume, stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s %s %d labels: test accuracy %.2f%% (arg max), %.2f%% (sample), %.2f%% (majority map); test NELBO %.2f (estimate of a bound)\n",
		c.Data, c.Estimator, c.Labels, 100*sum.TestAccArgmax, 100*sum.TestAccSample, 100*sum.TestAccMajority, sum.TestNELBO)
	return nil
}

// complete fills what c records but the command line does not set.
func (c *Config) complete() {
	c.Command = "semisup"
	c.Binarize = "threshold 0.5"
	c.BoundKind = "NELBO: exact sum over z_d, one Gaussian sample per component (unbiased estimate of a valid bound)"
	c.GemmKernels, c.Kernels, c.BLASCore = nn.GemmKernels(), nn.Kernels(), nn.BLASCore()
	if c.Threads == 0 {
		c.Threads = nn.Threads()
	}
}

// Train trains the run c describes in the folder out (resuming its
// checkpoint when resume is set) and writes summary.json. The checks of c
// and a resume's config come before the data are read; refusals are
// cli.UsageErrors.
func Train(ctx context.Context, c Config, out string, resume bool, stderr io.Writer) (Summary, error) {
	if err := c.check(); err != nil {
		return Summary{}, cli.Usage(err)
	}
	c.complete()
	if resume { // before the data are read; the driver checks again under the lock
		if err := runfolder.CheckConfig(out, c, free...); err != nil {
			return Summary{}, cli.Usage(fmt.Errorf("-resume: %w", err))
		}
		if err := runfolder.CheckResume(out, c.Epochs); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return Summary{}, cli.Usage(fmt.Errorf("-resume: %w", err))
		}
	} else if err := runfolder.CheckNew(out); err != nil {
		return Summary{}, cli.Usage(err)
	}
	sp, err := dataset.Load(c.Data, dataset.Options{})
	if err != nil {
		return Summary{}, err
	}
	if c.Limit > sp.Train.N {
		return Summary{}, cli.Usagef("-limit %d: more than the %d training images of %s", c.Limit, sp.Train.N, c.Data)
	}
	if c.Limit > 0 {
		sp.Train = sp.Train.Head(c.Limit)
	}
	if c.Batch > sp.Train.N {
		return Summary{}, cli.Usagef("-batch %d: more than the %d training images (an epoch would have no step)", c.Batch, sp.Train.N)
	}
	lab, err := semisup.Labelled(sp.Train.Labels, 10, c.Labels, c.Seed)
	if err != nil {
		return Summary{}, cli.Usagef("-labels %d: %s", c.Labels, strings.TrimPrefix(err.Error(), "semisup: "))
	}
	mat := func(s *dataset.Set) nn.Mat { return nn.Mat{Rows: s.N, Cols: s.D, Data: s.X[:s.N*s.D]} }
	data := semisup.Data{Train: mat(sp.Train), Valid: mat(sp.Valid), Test: mat(sp.Test),
		TrainLabels: sp.Train.Labels, ValidLabels: sp.Valid.Labels, TestLabels: sp.Test.Labels, Labelled: lab}
	m, err := semisup.New(semisup.Sizes{C: c.C}, rand.New(rand.NewPCG(c.Seed, 0x5e315)))
	if err != nil {
		return Summary{}, err
	}
	var est semisup.Estimator = semisup.Direct{EpsSup: c.EpsSup}
	if c.Estimator == "gsm" {
		est = semisup.GSM{Alpha: c.Alpha}
	}
	hist, err := semisup.Run(ctx, m, est, data, semisup.Settings{
		Epochs: c.Epochs, Batch: c.Batch, LabelBatch: c.LabelBatch, LR: c.LR,
		Sched: train.Schedule{Start: 1, Min: 0.1, Rate: c.AnnealRate, Every: 1000},
		Seed:  c.Seed, Dir: out, Resume: resume, Log: stderr, Config: c, ConfigFree: free}, recorders(out, c, stderr)...)
	if errors.Is(err, runfolder.ErrRefused) {
		return Summary{}, cli.Usage(err)
	}
	if err != nil {
		return Summary{}, err
	}
	if len(hist) == 0 {
		return Summary{}, errors.New("no epoch trained")
	}
	if err := figure4(out, m, c.Seed+3); err != nil {
		return Summary{}, err
	}
	last := hist[len(hist)-1]
	sum := Summary{Epochs: last.Epoch, TestNELBO: last.TestNELBO, TestAccArgmax: last.TestAccArgmax, TestAccSample: last.TestAccSample,
		TestAccMajority: last.TestAccMj, Labels: c.Labels, Estimator: c.Estimator, Data: c.Data, BoundKind: c.BoundKind}
	for _, r := range hist {
		sum.Seconds += r.Seconds + r.EvalSeconds
	}
	return sum, runfolder.WriteJSON(filepath.Join(out, runfolder.SummaryFile), sum)
}

// Finished reports whether out holds a finished run of c (all c.Epochs
// epochs, not interrupted) and returns its summary; a folder holding a
// different run is a cli.UsageError naming the fields that differ.
func Finished(c Config, out string) (Summary, bool, error) {
	c.complete()
	var s Summary
	ok, err := runfolder.Finished(out, c, c.Epochs, &s, free...)
	if errors.Is(err, runfolder.ErrRefused) {
		err = cli.Usage(err)
	}
	return s, ok, err
}

// CheckData refuses a data set the semi-supervised model cannot use: one
// not registered, or whose images are not all labelled with 10 classes
// (dataset.Source.Classes).
func CheckData(name string) error {
	if src, ok := dataset.Lookup(name); ok && src.Classes == 10 {
		return nil
	}
	var ok []string
	for _, n := range dataset.Names() {
		if src, _ := dataset.Lookup(n); src.Classes == 10 {
			ok = append(ok, n)
		}
	}
	return fmt.Errorf("want a data set labelled with 10 classes: %s", strings.Join(ok, ", "))
}

// check validates the flags before any data is read, the memory the run
// will hold included.
func (c Config) check() error {
	switch {
	case CheckData(c.Data) != nil:
		return fmt.Errorf("-data %q: %w", c.Data, CheckData(c.Data))
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
	case c.Labels > 0 && c.LabelBatch > c.Labels:
		return fmt.Errorf("-label-batch %d: more than the -labels %d labelled images", c.LabelBatch, c.Labels)
	case !(c.LR > 0) || c.LR > 1:
		return fmt.Errorf("-lr %g: want in (0, 1]", c.LR)
	case !(c.AnnealRate >= 0) || c.AnnealRate > 1e300:
		return fmt.Errorf("-anneal %g: want a finite rate ≥ 0", c.AnnealRate)
	case !(c.EpsSup > 0) || c.EpsSup > 1:
		return fmt.Errorf("-eps-sup %g: want in (0, 1]", c.EpsSup)
	case !(c.Alpha >= 0) || c.Alpha > 1e300:
		return fmt.Errorf("-alpha %g: want a finite weight ≥ 0", c.Alpha)
	case c.C < 1:
		return fmt.Errorf("-gaussian-dim %d: want ≥ 1", c.C)
	case c.Limit < 0:
		return fmt.Errorf("-limit %d: want ≥ 0", c.Limit)
	}
	return c.checkMemory()
}

// checkMemory refuses a configuration whose model or steps would hold
// more than half of the machine's memory ([memory.Check]): the
// parameters with gradients, Adam's moments and the kept best state (×6
// float32s), and a step's or an evaluation batch's decoder passes, one per
// component (K of them) for each example.
func (c Config) checkMemory() error {
	const f32 = 4
	// The defaults of semisup.Sizes (D 784, K 10, hidden layers 400, 200,
	// 100, 100, 66, 400).
	D, K, H, B, DH, CH, CM, DecH := 784., 10., 400., 200., 100., 100., 66., 400.
	C := float64(c.C)
	params := D*H + H*B + B*DH + DH*K + B*K*CH + CH*CM + CM*2*C + K*C*DecH + DecH*D
	perExample := K * (CH + CM + 4*C + K*C + DecH + D)
	rows := float64(c.Batch) + float64(min(c.LabelBatch, c.Labels))
	return memory.Check(
		memory.Term{Bytes: f32 * 6 * params, Flags: "-gaussian-dim"},
		memory.Term{Bytes: f32 * 2 * rows * perExample, Flags: "-batch, -label-batch, -gaussian-dim"},
		memory.Term{Bytes: f32 * 500 * perExample, Flags: "-gaussian-dim"},
	)
}
