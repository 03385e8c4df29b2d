package train

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/argmaxvae/argmaxvae/internal/driver"
	"github.com/argmaxvae/argmaxvae/internal/runfolder"
	"github.com/argmaxvae/argmaxvae/nn"
)

// Data is what [Fit] trains and evaluates on: one image a row.
type Data struct {
	Train, Valid, Test nn.Mat
	// Resample, if set, is called before each epoch with the epoch's index
	// (dynamic binarization redraws the training images there).
	Resample func(epoch int) error
}

// Settings configure [Fit]. The zero value trains 10 epochs in memory,
// evaluating validation and test sets after each and selecting the best
// epoch by [DefaultScore].
type Settings struct {
	// Epochs is the total number of epochs, counting those a resumed run
	// has done; 0 means 10.
	Epochs int
	// Seed seeds the evaluation noise: validation uses Seed+1 and test
	// Seed+2, so every evaluation of the same parameters gives the same
	// numbers and evaluating does not disturb training.
	Seed uint64
	// TestEval configures the test-set evaluation (validation always uses
	// one sample per example).
	TestEval EvalOptions
	// Score is the loss that picks the best epoch; nil means DefaultScore.
	Score func(Eval) float64
	// Likelihood, if set, evaluates the test set's −log p(x) every
	// LikelihoodEvery epochs (0: only the last) and at the last epoch; the
	// summary reports it at the best-validation epoch too (re-evaluating
	// the parameters kept from that epoch). LikelihoodKind says what it is
	// ("exact", "importance-weighted (S samples)").
	Likelihood      func(ctx context.Context, v *VAE, X nn.Mat) (Likelihood, error)
	LikelihoodEvery int
	LikelihoodKind  string
	// MaxLoss stops a run whose mean training loss in an epoch exceeds
	// it, with an error saying it diverged (a non-finite loss always
	// does); 0 means 1000 nats per data dimension (an untrained Bernoulli
	// decoder costs about ln 2 ≈ 0.69), negative means no limit.
	MaxLoss float64
	// Dir, if set, is the run folder: Fit takes a lock on it (LockFile),
	// commits each epoch atomically to CheckpointFile (the trainer's state,
	// the best-validation state and the history so far), and keeps the
	// best-validation state in BestFile too. A run killed at any point
	// resumes from the last committed epoch. A new run is refused in a
	// folder that holds one. Without Dir nothing is written.
	Dir string
	// Resume continues from Dir's checkpoint instead of starting afresh.
	Resume bool
	// Config, if set, describes the run: written (as JSON) to
	// Dir/config.json once the folder is locked and every check has
	// passed; a resume is refused when the folder's config.json differs
	// from it in a field not named in ConfigFree, naming the fields.
	Config     any
	ConfigFree []string
	// Log receives notes about the folder (a best.bin rewritten from the
	// checkpoint); nil means os.Stderr.
	Log io.Writer
}

// Files [Fit] keeps in Settings.Dir.
const (
	CheckpointFile = runfolder.CheckpointFile
	BestFile       = runfolder.BestFile
	LockFile       = runfolder.LockFile
)

// DefaultScore is the exact NELBO when the evaluation has it (one
// categorical latent), else the one-sample estimate.
func DefaultScore(e Eval) float64 {
	if !math.IsNaN(e.Exact) {
		return e.Exact
	}
	return e.Sampled
}

// Fit trains t on data until Settings.Epochs epochs are done, evaluating
// after each epoch and reporting to the recorders, in the manner of
// gonum's optimize.Minimize: one driver (the one package semisup's runs
// go through too), settings whose zero value is the default, progress
// through [Recorder]s. When ctx is cancelled it stops after the current
// minibatch, drops the epoch in progress (the trainer is put back to the
// last completed epoch), finishes the recorders and returns the summary
// with ctx's error, so that resuming gives exactly the run an
// uninterrupted one would have. A run whose training loss is not finite
// or above Settings.MaxLoss stops with an error. The data (width, finite
// values) and the folder (lock, same run, damaged checkpoint) are checked
// before any training. Without validation data no epoch is best:
// Summary.BestEpoch is 0 and the scores at it are NaN.
func Fit(ctx context.Context, t *Trainer, data Data, s Settings, recs ...Recorder) (Summary, error) {
	epochs := s.Epochs
	if epochs == 0 {
		epochs = 10
	}
	if epochs < 0 {
		return Summary{}, fmt.Errorf("train: Fit: %d epochs", epochs)
	}
	score := s.Score
	if score == nil {
		score = DefaultScore
	}
	if s.Resume && s.Dir == "" {
		return Summary{}, errors.New("train: Fit: Resume needs a run folder (Settings.Dir)")
	}
	if err := t.usable(); err != nil {
		return Summary{}, fmt.Errorf("train: Fit: %w", err)
	}
	if err := checkCtx(ctx); err != nil {
		return Summary{}, err
	}
	if err := checkData(t.vae, data.Train, "Fit: training data"); err != nil {
		return Summary{}, err
	}
	for _, d := range []struct {
		X    nn.Mat
		name string
	}{{data.Valid, "Fit: validation data"}, {data.Test, "Fit: test data"}} {
		if d.X.Rows > 0 { // no rows: nothing evaluated, NaN scores
			if err := checkData(t.vae, d.X, d.name); err != nil {
				return Summary{}, err
			}
		}
	}
	maxLoss := s.MaxLoss
	if maxLoss == 0 {
		maxLoss = 1000 * float64(data.Train.Cols)
	}
	var sum Summary
	drecs := make([]driver.Recorder[Epoch], len(recs))
	for i, r := range recs {
		drecs[i] = r
	}
	_, err := driver.Run(ctx, &fitModel{t: t, data: data, s: s, epochs: epochs}, driver.Settings[Epoch]{
		Epochs: epochs, Dir: s.Dir, Resume: s.Resume, Config: s.Config, Free: s.ConfigFree, Log: s.Log,
		Score:   func(e Epoch) float64 { return score(e.Valid) },
		Loss:    func(e Epoch) float64 { return e.Train.Loss },
		MaxLoss: maxLoss,
		Finish: func(res driver.Result[Epoch]) error {
			sum = summarize(res.History, res.Interrupted, score)
			if s.Likelihood != nil && !res.Interrupted {
				if err := likelihoodAtBest(ctx, t, data, s, &sum, res.History, res.Best); err != nil {
					return err
				}
			}
			for _, r := range recs {
				if f, ok := r.(Finisher); ok {
					if err := f.Finish(sum, res.History); err != nil {
						return err
					}
				}
			}
			return nil
		},
	}, drecs...)
	return sum, err
}

// fitModel is the VAE trainer as the driver sees it: an epoch of
// training, its evaluation (validation, test and the likelihood when it
// is due) and the trainer's state.
type fitModel struct {
	t      *Trainer
	data   Data
	s      Settings
	epochs int

	started    bool
	solveStart time.Duration // t.vae.SolveTime() when training started in this process
	solverBase float64       // solver seconds of the epochs before
}

func (f *fitModel) Epoch() int { return f.t.epoch }

func (f *fitModel) TrainEpoch(ctx context.Context, history []Epoch) (Epoch, error) {
	t := f.t
	var wall, evalSecs float64
	if n := len(history); n > 0 {
		wall, evalSecs = history[n-1].Wall, history[n-1].EvalSeconds
	}
	if !f.started {
		f.started, f.solveStart = true, t.vae.SolveTime()
		if n := len(history); n > 0 {
			f.solverBase = history[n-1].SolverSeconds
		}
	}
	if f.data.Resample != nil {
		if err := f.data.Resample(t.epoch); err != nil {
			return Epoch{}, err
		}
	}
	start := time.Now()
	stats, err := t.TrainEpoch(ctx, f.data.Train)
	if err != nil {
		return Epoch{}, err
	}
	return Epoch{Epoch: t.epoch, Iter: t.iter, Wall: wall + time.Since(start).Seconds(),
		SolverSeconds: f.solverBase + (t.vae.SolveTime() - f.solveStart).Seconds(),
		Temp:          t.sched.At(t.iter - 1), Train: stats, TestLik: NoLikelihood(), EvalSeconds: evalSecs}, nil
}

func (f *fitModel) Evaluate(ctx context.Context, e *Epoch) error {
	t, s := f.t, f.s
	start := time.Now()
	var err error
	if e.Valid, err = t.Evaluate(ctx, f.data.Valid, s.Seed+1, EvalOptions{Samples: 1}); err != nil {
		return err
	}
	if e.Test, err = t.Evaluate(ctx, f.data.Test, s.Seed+2, s.TestEval); err != nil {
		return err
	}
	if s.Likelihood != nil && (t.epoch == f.epochs || (s.LikelihoodEvery > 0 && t.epoch%s.LikelihoodEvery == 0)) {
		if e.TestLik, err = s.Likelihood(ctx, t.vae, f.data.Test); err != nil {
			return err
		}
	}
	e.EvalSeconds += time.Since(start).Seconds()
	return nil
}

func (f *fitModel) MarshalBinary() ([]byte, error) {
	var b bytes.Buffer
	err := f.t.Save(&b)
	return b.Bytes(), err
}

func (f *fitModel) UnmarshalBinary(b []byte) error { return f.t.Load(bytes.NewReader(b)) }

// summarize picks the best-validation epoch and totals the clocks.
func summarize(h []Epoch, interrupted bool, score func(Eval) float64) Summary {
	sum := Summary{Epochs: len(h), BestEpoch: -1, BestValid: math.NaN(), TestAtBest: math.NaN(), FinalTest: math.NaN(), Interrupted: interrupted,
		TestNLLAtBest: math.NaN(), TestNLLStdErrAtBest: math.NaN(), TestGibbsNELBOAtBest: math.NaN()}
	for _, e := range h {
		// NaN (no validation data) is never best, as in the driver.
		if v := score(e.Valid); !math.IsNaN(v) && (sum.BestEpoch < 0 || v < sum.BestValid) {
			sum.BestEpoch, sum.BestValid, sum.TestAtBest = e.Epoch, v, score(e.Test)
		}
	}
	for _, e := range h {
		if e.Epoch == sum.BestEpoch {
			sum.TestNLLAtBest, sum.TestNLLStdErrAtBest, sum.TestGibbsNELBOAtBest = e.TestLik.NLL, e.TestLik.NLLStdErr, e.TestLik.GibbsNELBO
			if !math.IsNaN(e.Test.NLL) { // one latent: exact from the evaluation
				sum.TestNLLAtBest, sum.TestNLLStdErrAtBest, sum.TestGibbsNELBOAtBest = e.Test.NLL, 0, e.Test.Exact
			}
		}
	}
	if !math.IsNaN(sum.TestNLLAtBest) {
		sum.NLLKind = "exact"
	}
	if n := len(h); n > 0 {
		last := h[n-1]
		sum.EvalSeconds = last.EvalSeconds
		sum.FinalTest = score(last.Test)
		sum.WallSeconds, sum.SolverSeconds = last.Wall, last.SolverSeconds
		sum.SecondsPerEpoch = last.Wall / float64(last.Epoch)
	}
	if sum.BestEpoch < 0 {
		sum.BestEpoch = 0
	}
	return sum
}

// likelihoodAtBest fills the summary's likelihood at the best-validation
// epoch: from the history when that epoch was evaluated, else by loading
// the state kept from it into t, evaluating, and putting t back.
func likelihoodAtBest(ctx context.Context, t *Trainer, data Data, s Settings, sum *Summary, h []Epoch, best []byte) error {
	if len(h) == 0 || sum.BestEpoch == 0 {
		return nil
	}
	lik := NoLikelihood()
	for _, e := range h {
		if e.Epoch == sum.BestEpoch {
			lik = e.TestLik
		}
	}
	if math.IsNaN(lik.NLL) {
		if best == nil {
			return fmt.Errorf("train: the state of the best-validation epoch %d was not kept", sum.BestEpoch)
		}
		var cur bytes.Buffer
		if err := t.Save(&cur); err != nil {
			return err
		}
		if err := t.Load(bytes.NewReader(best)); err != nil {
			return fmt.Errorf("train: best-validation state: %w", err)
		}
		if t.epoch != sum.BestEpoch {
			return fmt.Errorf("train: the kept best state is from epoch %d, the best validation epoch is %d", t.epoch, sum.BestEpoch)
		}
		start := time.Now()
		l, err := s.Likelihood(ctx, t.vae, data.Test)
		if err != nil {
			return err
		}
		lik = l
		sum.EvalSeconds += time.Since(start).Seconds()
		if err := t.Load(&cur); err != nil {
			return err
		}
	}
	sum.TestNLLAtBest, sum.TestNLLStdErrAtBest, sum.TestGibbsNELBOAtBest = lik.NLL, lik.NLLStdErr, lik.GibbsNELBO
	sum.NLLKind = s.LikelihoodKind
	return nil
}
