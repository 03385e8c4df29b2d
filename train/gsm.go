package train

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/argmaxvae/argmaxvae/decoder"
	"github.com/argmaxvae/argmaxvae/nn"
)

// GumbelSoftmax is the Gumbel-Softmax (Concrete) estimator: each latent is
// relaxed to y = softmax((h + γ)/τ). By default (the zero value, "gsm",
// straight-through as in the reference) the decoder sees the one-hot arg
// max, which is the same z* as Gumbel-Max, and the gradient flows back
// through y as if the decoder had seen y; with Relaxed ("gsm-relaxed") the
// decoder sees y itself. The encoder always gets the KL gradient.
//
// It needs an unstructured encoder: the softmax over a pairwise structure
// would sum over all 2ⁿ states.
type GumbelSoftmax struct {
	Relaxed bool // feed the relaxed sample y to the decoder instead of straight-through

	y, dz, onehot nn.Mat
}

// Name implements [Estimator].
func (g *GumbelSoftmax) Name() string {
	if g.Relaxed {
		return "gsm-relaxed"
	}
	return "gsm"
}

// Needs implements [Estimator]: independent latents (the relaxation is per
// variable); temperature τ, annealed every 1000 iterations by default.
func (g *GumbelSoftmax) Needs() Needs {
	return Needs{Independent: true, Temperature: "τ", MaxTemp: inf, AnnealEvery: 1000}
}

// Step implements [Estimator]; tau must be positive.
func (g *GumbelSoftmax) Step(ctx context.Context, v *VAE, x nn.Mat, r *rand.Rand, tau float64) (Stats, error) {
	if err := checkStep(g.Name(), v, x, r); err != nil {
		return Stats{}, err
	}
	if !(tau > 0) {
		return Stats{}, fmt.Errorf("train: Gumbel-Softmax needs τ > 0, got %v", tau)
	}
	if err := g.Needs().Check(g.Name(), v.S); err != nil {
		return Stats{}, err
	}
	scores, zstar, err := v.SampleArgmax(ctx, x, r) // z* = argmax h+γ, used by the hard version
	if err != nil {
		return Stats{}, err
	}
	B, n, k, nk := x.Rows, v.N, v.K, v.NK()
	nn.Resize(&g.y, B, nk)
	nn.Resize(&g.dz, B, nk)
	// y = softmax((h+γ)/τ); the weights' unary block holds h+γ.
	for b := 0; b < B; b++ {
		u, y := v.Weights()[b][:nk], g.y.Row(b)
		for i := 0; i < n; i++ {
			mx := math.Inf(-1)
			for s := i * k; s < (i+1)*k; s++ {
				mx = math.Max(mx, u[s])
			}
			sum := 0.0
			for s := i * k; s < (i+1)*k; s++ {
				e := math.Exp((u[s] - mx) / tau)
				y[s] = float32(e)
				sum += e
			}
			for s := i * k; s < (i+1)*k; s++ {
				y[s] = float32(float64(y[s]) / sum)
			}
		}
	}
	input := g.y
	if !g.Relaxed {
		nn.Resize(&g.onehot, B, nk)
		if err := decoder.OneHot(zstar, n, k, g.onehot); err != nil {
			return Stats{}, err
		}
		input = g.onehot
	}
	f, err := v.DecodeBackwardCode(x, input, float32(1)/float32(B), g.dz)
	if err != nil {
		return Stats{}, err
	}

	// Through the softmax: ∂/∂h_s = (1/τ)·y_s·(dy_s − Σ_t y_t dy_t).
	dw := v.GradBuffer()
	for b := 0; b < B; b++ {
		y, dy, ds := g.y.Row(b), g.dz.Row(b), dw.Row(b)
		for i := 0; i < n; i++ {
			dot := 0.0
			for s := i * k; s < (i+1)*k; s++ {
				dot += float64(y[s]) * float64(dy[s])
			}
			for s := i * k; s < (i+1)*k; s++ {
				ds[s] = float32(float64(y[s]) * (float64(dy[s]) - dot) / tau)
			}
		}
	}
	kl, err := v.UnaryKL(scores, dw, 1/float64(B))
	if err != nil {
		return Stats{}, err
	}
	if err := v.EncoderBackward(x, dw); err != nil {
		return Stats{}, err
	}
	return MeanStats(f, kl), nil
}
