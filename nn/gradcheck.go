package nn

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// GradCheck compares the analytic gradients stored in the G fields of ps
// (computed by the caller for the current parameters) with central
// differences of loss on samples randomly chosen coordinates (uniform over
// all scalars of ps). For a coordinate w it evaluates loss at fl(w+h) and
// fl(w−h), divides by the exact float32 distance between the two, and
// restores w. A coordinate fails when
//
//	|analytic − numeric| > tol·max(|analytic|, |numeric|, 0.01)
//
// (relative error, with an absolute floor of 0.01·tol for gradients near
// zero). The error names the parameter, index and both values. loss should
// accumulate in float64; with float32 parameters use h ≈ 1e-3..1e-2 and tol
// ≈ 1e-2. Cost: 2·samples evaluations of loss.
func GradCheck(loss func() float64, ps []Param, h float64, tol float64, r *rand.Rand, samples int) error {
	total := NumParams(ps)
	if total == 0 || samples <= 0 {
		return errors.New("nn: GradCheck: no parameters or no samples")
	}
	if !(h > 0) || !(tol > 0) {
		return fmt.Errorf("nn: GradCheck: h = %v and tol = %v must be positive", h, tol)
	}
	for _, p := range ps {
		if len(p.G) != len(p.W) {
			return fmt.Errorf("nn: GradCheck: param %q has %d values and %d gradients", p.Name, len(p.W), len(p.G))
		}
	}
	var fails []error
	for s := 0; s < samples; s++ {
		k := r.IntN(total)
		pi := 0
		for k >= len(ps[pi].W) {
			k -= len(ps[pi].W)
			pi++
		}
		p := ps[pi]
		w0 := p.W[k]
		wp, wm := float32(float64(w0)+h), float32(float64(w0)-h)
		p.W[k] = wp
		lp := loss()
		p.W[k] = wm
		lm := loss()
		p.W[k] = w0
		num := (lp - lm) / (float64(wp) - float64(wm))
		ana := float64(p.G[k])
		if diff := math.Abs(ana - num); !(diff <= tol*max(math.Abs(ana), math.Abs(num), 0.01)) {
			fails = append(fails, fmt.Errorf("param %q index %d: analytic %.6g, numeric %.6g (rel. error %.3g)",
				p.Name, k, ana, num, diff/max(math.Abs(ana), math.Abs(num), 0.01)))
		}
	}
	if len(fails) > 0 {
		return fmt.Errorf("nn: GradCheck: %d of %d coordinates disagree: %w", len(fails), samples, errors.Join(fails...))
	}
	return nil
}
