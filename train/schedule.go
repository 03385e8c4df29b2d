package train

import "math"

// Schedule anneals a temperature (ε for direct, τ for Gumbel-Softmax):
// every Every iterations it is set to max(Start·exp(−Rate·t), Min), t the
// iteration count, and it is constant in between (the schedule of Jang et
// al. that the paper follows).
type Schedule struct {
	Start, Min, Rate float64
	Every            int
}

// At returns the temperature at iteration iter (0-based).
func (s Schedule) At(iter int) float64 {
	t := iter
	if s.Every > 1 {
		t -= iter % s.Every
	}
	return math.Max(s.Start*math.Exp(-s.Rate*float64(t)), s.Min)
}
