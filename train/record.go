package train

import (
	"encoding/json"
	"math"
)

// Epoch is what one epoch of [Fit] produced.
type Epoch struct {
	Epoch, Iter   int
	Wall          float64 // cumulative training seconds (evaluation excluded)
	SolverSeconds float64 // cumulative seconds inside arg max solves
	EvalSeconds   float64 // cumulative seconds spent evaluating
	Temp          float64 // ε or τ used in the epoch's last step
	Train         Stats
	Valid, Test   Eval
	// TestLik is the test set's likelihood (Settings.Likelihood); its
	// fields are NaN in epochs where it did not run.
	TestLik Likelihood
}

// NoLikelihood returns the Likelihood of an epoch where none was
// computed: NaN everywhere.
func NoLikelihood() Likelihood {
	return Likelihood{NLL: math.NaN(), NLLStdErr: math.NaN(), GibbsNELBO: math.NaN(), GibbsKL: math.NaN()}
}

// Recorder receives a run's progress from [Fit]: Start once with the
// epochs a resumed run already has (empty for a new run), then Record
// after every epoch once it is committed to the checkpoint. A Recorder
// that is also a [Finisher] is told the outcome. The commands' CSV files,
// plots and progress lines are recorders.
type Recorder interface {
	Start(history []Epoch) error
	Record(e Epoch) error
}

// Finisher is a [Recorder] that [Fit] calls at the end, also after an
// interrupt, with the summary and the whole history.
type Finisher interface {
	Finish(sum Summary, history []Epoch) error
}

// Summary is the outcome of [Fit]. Losses that do not exist (no epoch
// finished, or a likelihood not computed) are NaN, and null in JSON.
type Summary struct {
	Epochs          int
	BestEpoch       int     // epoch with the lowest validation score; 0 when none has one (no validation data)
	BestValid       float64 // that score
	TestAtBest      float64 // the test score at that epoch
	FinalTest       float64 // the test score at the last epoch
	WallSeconds     float64
	SolverSeconds   float64
	SecondsPerEpoch float64
	Interrupted     bool
	// At the best-validation epoch: −log p(x) on the test set (exact or
	// importance-weighted, see NLLKind) and the Gibbs NELBO (a valid
	// bound; NaN where not enumerable).
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
