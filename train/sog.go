package train

import (
	"math"
	"math/rand/v2"
)

// sogIterations is s, the number of Gamma terms of the sum-of-Gamma noise
// (10, the default of the I-MLE reference implementation).
const sogIterations = 10

// sumOfGamma draws the sum-of-Gamma noise of I-MLE for k-subsets (Niepert,
// Minervini and Franceschi, NeurIPS 2021, Section 4; uclnlp/torch-imle,
// imle/noise.py, SumOfGammaNoiseDistribution):
//
//	ε = (Σ_{i=1}^{s} Gamma(shape 1/k, rate i/k) − log s) / k,
//
// so that a sum of k independent copies is distributed as Σ_{i≤s}
// Gamma(1, rate i) − log s, which tends to a standard Gumbel as s → ∞
// (mean H_s − log s → γ, variance Σ_{i≤s} 1/i² → π²/6). Perturbing each
// item's score with it makes the top-k of θ + ε a perturb-and-MAP sample
// whose k-subset score Σ_{i∈S} (θᵢ + εᵢ) carries (approximately) Gumbel
// noise. k ≥ 1.
func sumOfGamma(r *rand.Rand, k int) float64 {
	kf := float64(k)
	sum := 0.0
	for i := 1; i <= sogIterations; i++ {
		sum += gammaSample(r, 1/kf) * kf / float64(i) // scale k/i
	}
	return (sum - math.Log(sogIterations)) / kf
}

// gammaSample draws Gamma(shape a, scale 1), a > 0, by Marsaglia and
// Tsang's method ("A simple method for generating gamma variables", ACM
// TOMS 2000), with the boost Gamma(a) = Gamma(a+1)·U^{1/a} for a < 1.
func gammaSample(r *rand.Rand, a float64) float64 {
	if a < 1 {
		u := r.Float64()
		for u == 0 {
			u = r.Float64()
		}
		return gammaSample(r, a+1) * math.Pow(u, 1/a)
	}
	d := a - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := r.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := r.Float64()
		if u < 1-0.0331*x*x*x*x || (u > 0 && math.Log(u) < 0.5*x*x+d*(1-v+math.Log(v))) {
			return d * v
		}
	}
}
