package train

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"time"

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
	Likelihood      func(v *VAE, X nn.Mat) (Likelihood, error)
	LikelihoodEvery int
	LikelihoodKind  string
	// Dir, if set, is the run folder: Fit takes a lock on it (LockFile),
	// commits each epoch atomically to CheckpointFile (the trainer's state
	// and the history so far), and keeps the best-validation state in
	// BestFile. A run killed at any point resumes from the last committed
	// epoch. Without Dir nothing is written.
	Dir string
	// Resume continues from Dir's checkpoint instead of starting afresh.
	Resume bool
}

// Files [Fit] keeps in Settings.Dir.
const (
	CheckpointFile = "checkpoint.bin"
	BestFile       = "best.bin"
	LockFile       = "lock"
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
// gonum's optimize.Minimize: one driver, settings whose zero value is the
// default, progress through [Recorder]s. When ctx is cancelled it stops
// after the current minibatch, drops the epoch in progress (the trainer is
// put back to the last committed epoch when there is a run folder),
// finishes the recorders and returns the summary with ctx's error, so that
// resuming gives exactly the run an uninterrupted one would have.
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
	var history []Epoch
	var best []byte // trainer state at the best validation score
	if s.Dir != "" {
		if err := os.MkdirAll(s.Dir, 0o755); err != nil {
			return Summary{}, err
		}
		unlock, err := lockDir(s.Dir)
		if err != nil {
			return Summary{}, err
		}
		defer unlock()
		if s.Resume {
			if history, err = t.loadCommitted(filepath.Join(s.Dir, CheckpointFile)); err != nil {
				return Summary{}, fmt.Errorf("resume: %w", err)
			}
			if b, err := os.ReadFile(filepath.Join(s.Dir, BestFile)); err == nil {
				best = b
			}
		} else {
			os.Remove(filepath.Join(s.Dir, BestFile))
			if err := t.commit(s.Dir, history, nil); err != nil {
				return Summary{}, err
			}
		}
	}
	for _, r := range recs {
		if err := r.Start(history); err != nil {
			return Summary{}, err
		}
	}
	var wall, solverBase, evalSecs float64
	bestValid := math.Inf(1)
	for _, e := range history {
		wall, solverBase, evalSecs = e.Wall, e.SolverSeconds, e.EvalSeconds
		bestValid = math.Min(bestValid, score(e.Valid))
	}
	solveStart := t.V.SolveTime()
	interrupted := false
	for t.Epoch < epochs {
		if data.Resample != nil {
			if err := data.Resample(t.Epoch); err != nil {
				return Summary{}, err
			}
		}
		start := time.Now()
		stats, err := t.TrainEpochContext(ctx, data.Train)
		wall += time.Since(start).Seconds()
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			interrupted = true
			break
		}
		if err != nil {
			return Summary{}, err
		}
		e := Epoch{Epoch: t.Epoch, Iter: t.Iter, Wall: wall, SolverSeconds: solverBase + (t.V.SolveTime() - solveStart).Seconds(),
			Temp: t.Sched.At(t.Iter - 1), Train: stats, TestLik: NoLikelihood}
		evalStart := time.Now()
		if e.Valid, err = t.Evaluate(data.Valid, s.Seed+1, EvalOptions{Samples: 1}); err != nil {
			return Summary{}, err
		}
		if e.Test, err = t.Evaluate(data.Test, s.Seed+2, s.TestEval); err != nil {
			return Summary{}, err
		}
		if s.Likelihood != nil && (t.Epoch == epochs || (s.LikelihoodEvery > 0 && t.Epoch%s.LikelihoodEvery == 0)) {
			if e.TestLik, err = s.Likelihood(t.V, data.Test); err != nil {
				return Summary{}, err
			}
		}
		evalSecs += time.Since(evalStart).Seconds()
		e.EvalSeconds = evalSecs
		history = append(history, e)
		var newBest []byte
		if v := score(e.Valid); v < bestValid {
			bestValid = v
			var buf bytes.Buffer
			if err := t.Save(&buf); err != nil {
				return Summary{}, err
			}
			best, newBest = buf.Bytes(), buf.Bytes()
		}
		if s.Dir != "" {
			if err := t.commit(s.Dir, history, newBest); err != nil {
				return Summary{}, err
			}
		}
		if commitHook != nil {
			commitHook("between checkpoint and recorders", len(history))
		}
		for _, r := range recs {
			if err := r.Record(e); err != nil {
				return Summary{}, err
			}
		}
	}
	if interrupted && s.Dir != "" {
		if _, err := t.loadCommitted(filepath.Join(s.Dir, CheckpointFile)); err != nil {
			return Summary{}, err
		}
	}
	sum := summarize(history, interrupted, score)
	if s.Likelihood != nil && !interrupted {
		if err := likelihoodAtBest(t, data, s, &sum, history, best); err != nil {
			return sum, err
		}
	}
	for _, r := range recs {
		if err := r.Finish(sum, history); err != nil {
			return sum, err
		}
	}
	if interrupted {
		return sum, ctx.Err()
	}
	return sum, nil
}

// summarize picks the best-validation epoch and totals the clocks.
func summarize(h []Epoch, interrupted bool, score func(Eval) float64) Summary {
	sum := Summary{Epochs: len(h), BestEpoch: -1, BestValid: math.NaN(), TestAtBest: math.NaN(), FinalTest: math.NaN(), Interrupted: interrupted,
		TestNLLAtBest: math.NaN(), TestNLLStdErrAtBest: math.NaN(), TestGibbsNELBOAtBest: math.NaN()}
	for _, e := range h {
		if v := score(e.Valid); sum.BestEpoch < 0 || v < sum.BestValid {
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
func likelihoodAtBest(t *Trainer, data Data, s Settings, sum *Summary, h []Epoch, best []byte) error {
	if len(h) == 0 {
		return nil
	}
	lik := NoLikelihood
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
		if t.Epoch != sum.BestEpoch {
			return fmt.Errorf("train: the kept best state is from epoch %d, the best validation epoch is %d", t.Epoch, sum.BestEpoch)
		}
		start := time.Now()
		l, err := s.Likelihood(t.V, data.Test)
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
