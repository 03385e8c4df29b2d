package experiment

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"time"

	"github.com/argmaxvae/argmaxvae/nn"
	"github.com/argmaxvae/argmaxvae/report"
	"github.com/argmaxvae/argmaxvae/train"
)

// Epoch is what one epoch produced.
type Epoch struct {
	Epoch, Iter   int
	Wall          float64 // cumulative training seconds (evaluation excluded)
	SolverSeconds float64 // cumulative seconds inside arg max solves
	Temp          float64 // ε or τ used in the epoch's last step
	Train         train.Stats
	Valid, Test   train.Eval
	// TestLik is the test set's likelihood evaluation (Run.Likelihood);
	// its NLL is NaN in epochs where it did not run.
	TestLik     train.Likelihood
	EvalSeconds float64 // cumulative seconds spent evaluating
}

// noLik is the likelihood of an epoch where none was computed.
var noLik = train.Likelihood{NLL: math.NaN(), NLLStdErr: math.NaN(), GibbsNELBO: math.NaN(), GibbsKL: math.NaN()}

// Run is one training run: a trainer, its data and how to record it.
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
	// (and on interrupt).
	Pictures func(v *train.VAE) error
	// Likelihood, if set, evaluates −log p(x) (and the Gibbs NELBO) on the
	// test set every LikEvery epochs (≤ 0: only the last) and at the last
	// epoch. The parameters of the best-validation epoch are kept in
	// BestFile so that the summary reports it at that epoch too.
	Likelihood func(v *train.VAE, X nn.Mat) (train.Likelihood, error)
	LikEvery   int
	LikKind    string // what Likelihood's NLL is: "exact" or "importance-weighted (S samples)"
}

// Files in the output directory.
const (
	MetricsFile    = "metrics.csv"
	ConfigFile     = "config.json"
	CheckpointFile = "checkpoint.bin"
	SummaryFile    = "summary.json"
	LossPlotFile   = "loss.png"
	BestFile       = "best.bin" // checkpoint of the best-validation epoch (runs with a Likelihood)
)

// Summary is written to summary.json at the end of a run. Losses that do
// not exist (no epoch finished) are NaN here and null in the JSON.
type Summary struct {
	Epochs          int
	BestEpoch       int
	BestValid       float64
	TestAtBest      float64
	FinalTest       float64
	WallSeconds     float64
	SolverSeconds   float64
	SecondsPerEpoch float64
	Interrupted     bool
	// At the best-validation epoch: −log p(x) on the test set (exact or
	// importance-weighted, see NLLKind) and the Gibbs NELBO (a valid
	// bound; NaN where not enumerable). NaN when not computed.
	TestNLLAtBest        float64
	TestNLLStdErrAtBest  float64
	TestGibbsNELBOAtBest float64
	NLLKind              string  // "exact", "importance-weighted (S samples)" or ""
	EvalSeconds          float64 // seconds spent evaluating (all epochs)
}

// summaryJSON is Summary's JSON form, with null for NaN.
type summaryJSON struct {
	Epochs          int      `json:"epochs"`
	BestEpoch       int      `json:"best_valid_epoch"`
	BestValid       *float64 `json:"best_valid_loss"`
	TestAtBest      *float64 `json:"test_loss_at_best_valid"`
	FinalTest       *float64 `json:"final_test_loss"`
	WallSeconds     float64  `json:"train_wall_seconds"`
	SolverSeconds   float64  `json:"solver_seconds"`
	SecondsPerEpoch float64  `json:"seconds_per_epoch"`
	Interrupted     bool     `json:"interrupted"`
	TestNLL         *float64 `json:"test_nll_at_best_valid"`
	TestNLLStdErr   *float64 `json:"test_nll_stderr_at_best_valid"`
	TestGibbsNELBO  *float64 `json:"test_nelbo_gibbs_at_best_valid"`
	NLLKind         string   `json:"test_nll_kind"`
	EvalSeconds     float64  `json:"eval_seconds"`
}

func nullable(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

func orNaN(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

// MarshalJSON writes null for missing losses.
func (s Summary) MarshalJSON() ([]byte, error) {
	return json.Marshal(summaryJSON{s.Epochs, s.BestEpoch, nullable(s.BestValid), nullable(s.TestAtBest), nullable(s.FinalTest),
		s.WallSeconds, s.SolverSeconds, s.SecondsPerEpoch, s.Interrupted,
		nullable(s.TestNLLAtBest), nullable(s.TestNLLStdErrAtBest), nullable(s.TestGibbsNELBOAtBest), s.NLLKind, s.EvalSeconds})
}

// UnmarshalJSON reads null losses as NaN.
func (s *Summary) UnmarshalJSON(b []byte) error {
	var j summaryJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*s = Summary{j.Epochs, j.BestEpoch, orNaN(j.BestValid), orNaN(j.TestAtBest), orNaN(j.FinalTest),
		j.WallSeconds, j.SolverSeconds, j.SecondsPerEpoch, j.Interrupted,
		orNaN(j.TestNLL), orNaN(j.TestNLLStdErr), orNaN(j.TestGibbsNELBO), j.NLLKind, j.EvalSeconds}
	return nil
}

// Execute trains until Spec.Epochs epochs are done (resuming from the
// checkpoint in Spec.Out when resume is set), evaluating, logging and
// checkpointing after every epoch. When ctx is cancelled (Ctrl-C) it saves
// the checkpoint, metrics so far, plots and pictures, and returns ctx's
// error.
func (r *Run) Execute(ctx context.Context, resume bool) (Summary, error) {
	s, t := r.Spec, r.Trainer
	log := r.Log
	if log == nil {
		log = os.Stderr
	}
	if err := os.MkdirAll(s.Out, 0o755); err != nil {
		return Summary{}, err
	}
	metrics := filepath.Join(s.Out, MetricsFile)
	var history []Epoch
	var csv *report.CSV
	var err error
	if resume {
		if err := r.loadCheckpoint(); err != nil {
			return Summary{}, err
		}
		if history, err = r.readHistory(metrics, t.Epoch); err != nil {
			return Summary{}, err
		}
		csv, err = report.AppendCSV(metrics, r.Header)
	} else {
		csv, err = report.CreateCSV(metrics, r.Header)
	}
	if err != nil {
		return Summary{}, err
	}
	defer csv.Close()
	if err := report.WriteJSON(filepath.Join(s.Out, ConfigFile), configJSON(s)); err != nil {
		return Summary{}, err
	}
	wall, solverBase, evalSecs := 0.0, 0.0, 0.0
	if n := len(history); n > 0 {
		wall, solverBase, evalSecs = history[n-1].Wall, history[n-1].SolverSeconds, history[n-1].EvalSeconds
	}
	bestValid := math.Inf(1)
	for _, e := range history {
		bestValid = math.Min(bestValid, r.Score(e.Valid))
	}
	progress := report.NewProgress(log, s.Epochs, fmt.Sprintf("%s %s/%s", s.Command, s.Estimator, s.Solver))
	progress.Resume(t.Epoch)
	interrupted := false
	for t.Epoch < s.Epochs {
		if err := r.Data.Resample(t.Epoch); err != nil {
			return Summary{}, err
		}
		start := time.Now()
		stats, err := t.TrainEpochContext(ctx, r.Data.Train)
		wall += time.Since(start).Seconds()
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			interrupted = true
			break
		}
		if err != nil {
			return Summary{}, err
		}
		e := Epoch{Epoch: t.Epoch, Iter: t.Iter, Wall: wall, SolverSeconds: solverBase + t.V.SolveTime().Seconds(),
			Temp: t.Sched.At(t.Iter - 1), Train: stats, TestLik: noLik}
		evalStart := time.Now()
		if e.Valid, err = t.Evaluate(r.Data.Valid, s.Seed+1, train.EvalOptions{Samples: 1}); err != nil {
			return Summary{}, err
		}
		if e.Test, err = t.Evaluate(r.Data.Test, s.Seed+2, r.EvalOpt); err != nil {
			return Summary{}, err
		}
		if r.Likelihood != nil && (t.Epoch == s.Epochs || (r.LikEvery > 0 && t.Epoch%r.LikEvery == 0)) {
			if e.TestLik, err = r.Likelihood(t.V, r.Data.Test); err != nil {
				return Summary{}, err
			}
		}
		evalSecs += time.Since(evalStart).Seconds()
		e.EvalSeconds = evalSecs
		history = append(history, e)
		if v := r.Score(e.Valid); r.Likelihood != nil && v < bestValid {
			bestValid = v
			if err := r.saveTo(BestFile); err != nil {
				return Summary{}, err
			}
		}
		if err := csv.Write(r.Row(e)...); err != nil {
			return Summary{}, err
		}
		if err := r.saveCheckpoint(); err != nil {
			return Summary{}, err
		}
		progress.Step(t.Epoch, fmt.Sprintf("train %.2f  valid %.2f  test %.2f  temp %.3g", stats.Loss, r.Score(e.Valid), r.Score(e.Test), e.Temp))
	}
	if interrupted {
		if err := r.saveCheckpoint(); err != nil {
			return Summary{}, err
		}
		fmt.Fprintf(log, "interrupted after %d epochs: checkpoint and metrics saved in %s\n", t.Epoch, s.Out)
	}
	sum := r.summarize(history, interrupted)
	if err := r.likelihoodAtBest(&sum, history); err != nil {
		return sum, err
	}
	if err := report.WriteJSON(filepath.Join(s.Out, SummaryFile), sum); err != nil {
		return sum, err
	}
	if err := r.plotLoss(history); err != nil {
		return sum, err
	}
	if r.Pictures != nil {
		if err := r.Pictures(t.V); err != nil {
			return sum, err
		}
	}
	if interrupted {
		return sum, ctx.Err()
	}
	return sum, nil
}

func (r *Run) summarize(h []Epoch, interrupted bool) Summary {
	sum := Summary{Epochs: len(h), BestEpoch: -1, BestValid: math.NaN(), TestAtBest: math.NaN(), FinalTest: math.NaN(), Interrupted: interrupted,
		TestNLLAtBest: math.NaN(), TestNLLStdErrAtBest: math.NaN(), TestGibbsNELBOAtBest: math.NaN()}
	for _, e := range h {
		if v := r.Score(e.Valid); sum.BestEpoch < 0 || v < sum.BestValid {
			sum.BestEpoch, sum.BestValid, sum.TestAtBest = e.Epoch, v, r.Score(e.Test)
		}
	}
	for _, e := range h {
		if e.Epoch == sum.BestEpoch {
			sum.TestNLLAtBest, sum.TestNLLStdErrAtBest, sum.TestGibbsNELBOAtBest = e.TestLik.NLL, e.TestLik.NLLStdErr, e.TestLik.GibbsNELBO
			if r.Likelihood == nil { // one latent: exact from the evaluation
				sum.TestNLLAtBest, sum.TestNLLStdErrAtBest, sum.TestGibbsNELBOAtBest = e.Test.NLL, 0, e.Test.Exact
			}
		}
	}
	if !math.IsNaN(sum.TestNLLAtBest) {
		sum.NLLKind = "exact"
	}
	if n := len(h); n > 0 {
		sum.EvalSeconds = h[n-1].EvalSeconds
		sum.FinalTest = r.Score(h[n-1].Test)
		sum.WallSeconds, sum.SolverSeconds = h[n-1].Wall, h[n-1].SolverSeconds
		sum.SecondsPerEpoch = h[n-1].Wall / float64(h[n-1].Epoch)
	}
	if sum.BestEpoch < 0 {
		sum.BestEpoch = 0
	}
	return sum
}

func (r *Run) plotLoss(h []Epoch) error {
	if len(h) == 0 {
		return nil
	}
	name := r.Spec.Estimator
	ep, wall, test := make([]float64, len(h)), make([]float64, len(h)), make([]float64, len(h))
	for i, e := range h {
		ep[i], wall[i], test[i] = float64(e.Epoch), e.Wall, r.Score(e.Test)
	}
	title := fmt.Sprintf("%s, %s", r.Spec.Data, r.Spec.Solver)
	return report.PlotPanels(filepath.Join(r.Spec.Out, LossPlotFile), []report.Panel{
		{Title: title, XLabel: "epoch", YLabel: "test loss (nats)", Series: []report.Series{{Name: name, X: ep, Y: test}}},
		{Title: title, XLabel: "training wall clock (s)", YLabel: "test loss (nats)", Series: []report.Series{{Name: name, X: wall, Y: test}}},
	}, 2, 10, 4)
}

// likelihoodAtBest fills the summary's likelihood at the best-validation
// epoch of a finished run: from the history when that epoch was
// evaluated, else from BestFile's parameters (evaluated now, on a second
// trainer, so the run's own state is untouched).
func (r *Run) likelihoodAtBest(sum *Summary, h []Epoch) error {
	if r.Likelihood == nil || sum.Interrupted || len(h) == 0 {
		return nil
	}
	lik := noLik
	for _, e := range h {
		if e.Epoch == sum.BestEpoch {
			lik = e.TestLik
		}
	}
	if math.IsNaN(lik.NLL) {
		bt, err := NewTrainer(r.Spec, r.Data.Train.Cols)
		if err != nil {
			return err
		}
		if err := LoadCheckpoint(bt, filepath.Join(r.Spec.Out, BestFile)); err != nil {
			return err
		}
		if bt.Epoch != sum.BestEpoch {
			return fmt.Errorf("%s holds epoch %d, the best validation epoch is %d", BestFile, bt.Epoch, sum.BestEpoch)
		}
		start := time.Now()
		if lik, err = r.Likelihood(bt.V, r.Data.Test); err != nil {
			return err
		}
		sum.EvalSeconds += time.Since(start).Seconds()
	}
	sum.TestNLLAtBest, sum.TestNLLStdErrAtBest, sum.TestGibbsNELBOAtBest = lik.NLL, lik.NLLStdErr, lik.GibbsNELBO
	sum.NLLKind = r.LikKind
	return nil
}

func (r *Run) saveCheckpoint() error { return r.saveTo(CheckpointFile) }

// saveTo writes the trainer's state to name in the output folder, through
// a temporary file and a rename, so the file is never left half written.
func (r *Run) saveTo(name string) error {
	path := filepath.Join(r.Spec.Out, name)
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := r.Trainer.Save(f); err != nil {
		f.Close()
		return fmt.Errorf("saving %s: %w", tmp, err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func (r *Run) loadCheckpoint() error {
	return LoadCheckpoint(r.Trainer, filepath.Join(r.Spec.Out, CheckpointFile))
}

// LoadCheckpoint restores a trainer from a checkpoint file.
func LoadCheckpoint(t *train.Trainer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("resume: %w", err)
	}
	defer f.Close()
	if err := t.Load(f); err != nil {
		return fmt.Errorf("resume from %s: %w", path, err)
	}
	return nil
}

// readHistory reads the metrics rows of the epochs before a resume (for the
// plots and the cumulative clocks). Rows after the checkpoint's epoch are
// an error: the checkpoint is older than the metrics.
func (r *Run) readHistory(path string, epochs int) ([]Epoch, error) {
	header, rows, err := report.ReadCSV(path)
	if err != nil {
		return nil, fmt.Errorf("resume: %w", err)
	}
	if len(rows) != epochs {
		return nil, fmt.Errorf("resume: %s has %d epochs but the checkpoint is at epoch %d", path, len(rows), epochs)
	}
	return parseMetrics(header, rows), nil
}

// ReadMetrics reads a run's metrics.csv back into epochs (the columns both
// layouts share: epoch, wall and solver seconds, validation and test loss).
func ReadMetrics(path string) ([]Epoch, error) {
	header, rows, err := report.ReadCSV(path)
	if err != nil {
		return nil, err
	}
	return parseMetrics(header, rows), nil
}

func parseMetrics(header []string, rows [][]string) []Epoch {
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	get := func(row []string, name string) float64 {
		i, ok := col[name]
		if !ok {
			return math.NaN()
		}
		v, _ := report.ParseFloat(row[i])
		return v
	}
	var h []Epoch
	for _, row := range rows {
		e := Epoch{Wall: get(row, "wall_seconds"), SolverSeconds: get(row, "solver_seconds")}
		e.Epoch, _ = strconv.Atoi(row[col["epoch"]])
		if math.IsNaN(e.SolverSeconds) {
			e.SolverSeconds = 0
		}
		// The plotted loss is test_loss in every layout.
		e.Test = train.Eval{Exact: get(row, "test_loss"), Sampled: get(row, "test_loss"), NLL: get(row, "test_nll_exact")}
		e.TestLik = noLik
		e.TestLik.NLL, e.TestLik.GibbsNELBO = get(row, "test_nll"), get(row, "test_nelbo_gibbs")
		if e.EvalSeconds = get(row, "eval_seconds"); math.IsNaN(e.EvalSeconds) {
			e.EvalSeconds = 0
		}
		e.Valid = train.Eval{Exact: get(row, "valid_loss"), Sampled: get(row, "valid_loss")}
		h = append(h, e)
	}
	return h
}

type config struct {
	*Spec
	BLAS        string `json:"blas"`
	GemmKernels string `json:"gemm_kernels"`
	Kernels     string `json:"kernels"`
	GoVersion   string `json:"go"`
	CPUs        int    `json:"cpus"`
}

func configJSON(s *Spec) config {
	return config{Spec: s, BLAS: nn.Backend(), GemmKernels: nn.GemmKernels(), Kernels: nn.Kernels(), GoVersion: runtime.Version(), CPUs: runtime.NumCPU()}
}
