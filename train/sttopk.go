package train

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/argmaxvae/argmaxvae/nn"
)

// STTopK is the straight-through Gumbel-top-k estimator for k-subset
// latents (a k-subset or a product of them), the relaxation baseline of the
// I-MLE paper's discrete VAE. The hard code z* is the solver's top k of the
// gains gᵢ = w[2i+1] − w[2i] plus Gumbel noise (a Gumbel-top-k sample); the
// decoder sees z*, and the encoder gets the loss gradient at z* pushed back
// through the successive-softmax relaxation of top-k at temperature τ
// (Plötz and Roth, 2018; Xie and Ermon, 2019); the unary KL is added
// analytically. Biased, as every straight-through estimator. One solve and
// O(B·k·n) relaxation work a step. Derivation: docs/estimators.md#sttopk.
type STTopK struct {
	gains []float64 // B×N perturbed gains g + G
	a     []float64 // k×n softmax rows of one part
	dz    nn.Mat
}

// Name implements [Estimator].
func (*STTopK) Name() string { return "st-topk" }

// Needs implements [Estimator]: k-subset latents, temperature τ.
func (*STTopK) Needs() Needs {
	return Needs{Subsets: true, Temperature: "τ", MaxTemp: inf, AnnealEvery: 500}
}

// Step implements [Estimator]; tau must be positive.
func (e *STTopK) Step(ctx context.Context, v *VAE, x nn.Mat, r *rand.Rand, tau float64) (Stats, error) {
	if err := checkStep(e.Name(), v, x, r); err != nil {
		return Stats{}, err
	}
	if !(tau > 0) {
		return Stats{}, fmt.Errorf("train: straight-through top-k needs τ > 0, got %v", tau)
	}
	parts, err := subsetParts(v.S)
	if err != nil {
		return Stats{}, fmt.Errorf("train: straight-through top-k: %w", err)
	}
	B, n, nk := x.Rows, v.N, v.NK()
	scores, err := v.Scores(x)
	if err != nil {
		return Stats{}, err
	}
	e.gains = grow(e.gains, B*n)
	for b := 0; b < B; b++ {
		w, g := v.Weights()[b], e.gains[b*n:(b+1)*n]
		for i := 0; i < n; i++ {
			w[2*i+1] += argmax.Gumbel(r)
			g[i] = w[2*i+1] - w[2*i]
		}
	}
	zstar, err := v.Solve(ctx, B)
	if err != nil {
		return Stats{}, err
	}
	nn.Resize(&e.dz, B, nk)
	f, err := v.DecodeBackward(x, zstar, e.dz) // dz = (1/B)·∂L_b/∂code
	if err != nil {
		return Stats{}, err
	}
	ds := v.GradBuffer()
	c := make([]float64, n)
	for b := 0; b < B; b++ {
		dz, g, d := e.dz.Row(b), e.gains[b*n:(b+1)*n], ds.Row(b)
		for i := range c {
			c[i] = float64(dz[2*i+1] - dz[2*i])
		}
		for _, p := range parts {
			grad := e.softTopKGrad(g[p.off:p.off+p.n], p.k, tau, c[p.off:p.off+p.n])
			for i, gi := range grad {
				d[2*(p.off+i)+1] += float32(gi)
				d[2*(p.off+i)] -= float32(gi)
			}
		}
	}
	kl, err := v.UnaryKL(scores, ds, 1/float64(B))
	if err != nil {
		return Stats{}, err
	}
	if err := v.EncoderBackward(x, ds); err != nil {
		return Stats{}, err
	}
	return MeanStats(f, kl), nil
}

// minOneMinus floors 1 − aʲᵢ in the relaxation's log(1 − aʲᵢ): an item
// already (numerically) chosen keeps a finite, very low score, and no
// gradient flows through the floored logarithm.
const minOneMinus = 1e-30

// softTopK writes the successive-softmax relaxation ẑ of the top k of s
// at temperature tau into out (len(s)), and, when a is not nil, the
// softmax rows aʲ into a (k×len(s)). Σᵢ ẑᵢ = k; ẑ tends to the hard
// top-k as tau → 0 when the gaps between scores are large against tau
// (an item nearly tied with another is split between two steps and can
// be picked again, so ẑᵢ > 1 is possible).
func softTopK(s []float64, k int, tau float64, out, a []float64) {
	n := len(s)
	alpha := append([]float64(nil), s...)
	row := make([]float64, n)
	clear(out)
	for j := 0; j < k; j++ {
		m := math.Inf(-1)
		for _, x := range alpha {
			m = math.Max(m, x/tau)
		}
		sum := 0.0
		for i, x := range alpha {
			row[i] = math.Exp(x/tau - m)
			sum += row[i]
		}
		for i := range row {
			row[i] /= sum
			out[i] += row[i]
			alpha[i] += math.Log(math.Max(1-row[i], minOneMinus))
		}
		if a != nil {
			copy(a[j*n:(j+1)*n], row)
		}
	}
}

// softTopKGrad returns ∂⟨c, ẑ(s)⟩/∂s for softTopK's relaxation, by
// reverse-mode differentiation of its k steps (O(k·n)).
func (e *STTopK) softTopKGrad(s []float64, k int, tau float64, c []float64) []float64 {
	n := len(s)
	if cap(e.a) < k*n {
		e.a = make([]float64, k*n)
	}
	a := e.a[:k*n]
	out := make([]float64, n)
	softTopK(s, k, tau, out, a)
	return softTopKBackward(a, k, n, tau, c)
}

// softTopKBackward is the reverse pass of softTopK given its softmax rows
// a (k×n) and the output gradient c.
func softTopKBackward(a []float64, k, n int, tau float64, c []float64) []float64 {
	u := make([]float64, n) // ∂/∂αʲ⁺¹, then ∂/∂αʲ
	abar := make([]float64, n)
	for j := k - 1; j >= 0; j-- {
		row := a[j*n : (j+1)*n]
		dot := 0.0
		for i := range row {
			abar[i] = c[i]
			if 1-row[i] > minOneMinus {
				abar[i] -= u[i] / (1 - row[i])
			}
			dot += abar[i] * row[i]
		}
		for i := range row {
			u[i] += row[i] * (abar[i] - dot) / tau
		}
	}
	return u
}
