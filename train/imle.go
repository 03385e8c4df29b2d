package train

import (
	"fmt"
	"math/rand/v2"

	"github.com/argmaxvae/argmaxvae/decoder"
	"github.com/argmaxvae/argmaxvae/nn"
)

// IMLE is implicit maximum-likelihood estimation (Niepert, Minervini and
// Franceschi, NeurIPS 2021) on the VAE's own solver, for any structure:
// with z* = argmax ⟨w + γ, φ(z)⟩, the target weights
// w′ = w + γ − λ·∂L/∂z (∂L/∂z, the loss gradient with respect to the
// decoder's one-hot input, enters the unary block) give z′ = argmax ⟨w′, φ⟩
// with the same noise, and the gradient estimate is (φ(z*) − φ(z′))/λ.
// Blackbox differentiation of combinatorial solvers (Vlastelica et al.,
// ICLR 2020) is the same formula with the noise-free solver; on a VAE,
// whose codes are sampled with Gumbel noise, the two coincide, so this one
// estimator stands for both. It is biased (a finite-difference of the
// solver along the linearized loss); the test measures how well its mean
// aligns with the exact gradient on a small model. The KL term of the
// unary factors is added with its analytic gradient. I-MLE's
// sum-of-Gamma noise for k-subsets is not offered: the VAE samples with
// Gumbel noise on the unary scores.
type IMLE struct {
	Lambda float64 // λ; 0 means 10

	dz nn.Mat
}

// Name implements [Estimator].
func (*IMLE) Name() string { return "imle" }

// Needs implements [Estimator]: any structure, no temperature.
func (*IMLE) Needs() Needs { return Needs{} }

// Step implements [Estimator]; temp is ignored.
func (e *IMLE) Step(v *VAE, x nn.Mat, r *rand.Rand, temp float64) (Stats, error) {
	lambda := e.Lambda
	if lambda == 0 {
		lambda = 10
	}
	if !(lambda > 0) {
		return Stats{}, fmt.Errorf("train: I-MLE needs λ > 0, got %v", lambda)
	}
	scores, err := v.sample(x, r)
	if err != nil {
		return Stats{}, err
	}
	B, n, k, nk := x.Rows, v.N, v.K, v.NK()
	decoder.OneHot(v.zstar, n, k, v.onehot)
	nn.Resize(&e.dz, B, nk)
	v.decodeBackwardCode(x, v.onehot, e.dz) // dz = ∂(mean loss)/∂code = (1/B)·∂L_b/∂code
	step := lambda * float64(B)
	for b := 0; b < B; b++ {
		w, dz := v.w[b], e.dz.Row(b)
		for j := 0; j < nk; j++ {
			w[j] -= step * float64(dz[j])
		}
	}
	if err := v.solve(B, v.zeps); err != nil {
		return Stats{}, err
	}
	ds := v.GradBuffer(B)
	g := float32(1 / (lambda * float64(B)))
	v.AddFeatures(v.zstar, g, ds)
	v.AddFeatures(v.zeps, -g, ds)
	klUnary(v, scores, n, k, v.kl, ds, 1/float64(B))
	v.Enc.Backward(x, ds)
	return meanStats(v.f, v.kl), nil
}
