package train

import (
	"fmt"
	"math"
)

// Schedule anneals a temperature (ε for direct, τ for Gumbel-Softmax, σ
// for the perturbed optimizer): every Every iterations it is set to
// max(Start·exp(−Rate·t), Min), t the iteration count, and it is constant
// in between (the schedule of Jang et al. that the paper follows). The
// zero Schedule given to [NewTrainer] means [DefaultSchedule]; in any other
// value every field means what it says.
type Schedule struct {
	Start, Min, Rate float64
	Every            int
}

// DefaultSchedule is the schedule of an estimator that declares nd: start
// at min(1, nd.MaxTemp), decay at rate 10⁻⁵ per iteration to the floor
// min(0.1, start), updated every nd.AnnealEvery iterations (the paper's
// settings; MaxTemp 0 means no limit, so start at 1). Without a
// temperature it is the zero Schedule.
func DefaultSchedule(nd Needs) Schedule {
	if nd.Temperature == "" {
		return Schedule{}
	}
	start := 1.0
	if nd.MaxTemp > 0 {
		start = math.Min(1, nd.MaxTemp)
	}
	return Schedule{Start: start, Min: math.Min(0.1, start), Rate: 1e-5, Every: nd.AnnealEvery}
}

// Check returns an error naming the first field of s that would give an
// estimator that declares nd a temperature it refuses at some iteration:
// Start must be finite and > 0, Rate finite and ≥ 0, Min finite and > 0
// when Rate > 0 (≥ 0 otherwise) and at most Start (a floor above the start
// would hold the temperature at the floor throughout, ignoring Start),
// Every ≥ 0, and Start and Min at most nd.MaxTemp.
func (s Schedule) Check(nd Needs) error {
	fin := func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
	maxT := nd.MaxTemp
	if maxT == 0 {
		maxT = math.Inf(1)
	}
	switch {
	case !fin(s.Start) || s.Start <= 0:
		return fmt.Errorf("schedule: start temperature %v, want a finite number > 0", s.Start)
	case !fin(s.Rate) || s.Rate < 0:
		return fmt.Errorf("schedule: rate %v, want a finite number ≥ 0", s.Rate)
	case !fin(s.Min) || s.Min < 0 || (s.Min == 0 && s.Rate > 0):
		return fmt.Errorf("schedule: floor %v, want a finite number > 0 (the temperature decays towards it)", s.Min)
	case s.Min > s.Start:
		return fmt.Errorf("schedule: floor %v above the start %v, want floor ≤ start (the temperature would be the floor throughout)", s.Min, s.Start)
	case s.Every < 0:
		return fmt.Errorf("schedule: every %d iterations, want ≥ 0", s.Every)
	case s.Start > maxT || s.Min > maxT:
		return fmt.Errorf("schedule: start %v and floor %v, want %s ≤ %v", s.Start, s.Min, nd.Temperature, maxT)
	}
	return nil
}

// At returns the temperature at iteration iter (0-based).
func (s Schedule) At(iter int) float64 {
	t := iter
	if s.Every > 1 {
		t -= iter % s.Every
	}
	return math.Max(s.Start*math.Exp(-s.Rate*float64(t)), s.Min)
}
