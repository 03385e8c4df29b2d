package train

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

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
// unary factors is added with its analytic gradient.
//
// With SumOfGamma set (registered as "imle-sog") the noise is I-MLE's own
// for k-subsets instead: the encoder's scores unperturbed, plus
// sum-of-Gamma noise (see sumOfGamma, k of each subset) on the score of
// each item being chosen, so that z* is the top k of the gains plus that
// noise; the latent must be a k-subset or a product of them. The target
// solve keeps the same noise. This is the estimator of the I-MLE paper's
// discrete VAE; with Gumbel noise it is also blackbox differentiation.
type IMLE struct {
	Lambda     float64 // λ; 0 means 10
	SumOfGamma bool    // sum-of-Gamma noise on k-subset gains instead of Gumbel on every unary score

	dz nn.Mat
}

// Name implements [Estimator]: "imle", or "imle-sog" with sum-of-Gamma
// noise.
func (e *IMLE) Name() string {
	if e.SumOfGamma {
		return "imle-sog"
	}
	return "imle"
}

// Needs implements [Estimator]: any structure (k-subsets with sum-of-Gamma
// noise), no temperature.
func (e *IMLE) Needs() Needs { return Needs{Subsets: e.SumOfGamma} }

// check refuses a λ that is negative or not finite.
func (e *IMLE) check() error {
	if !(e.Lambda >= 0) || math.IsInf(e.Lambda, 0) {
		return fmt.Errorf("train: I-MLE needs a finite λ > 0 (0 means 10), got %v", e.Lambda)
	}
	return nil
}

// Step implements [Estimator]; temp is ignored.
func (e *IMLE) Step(ctx context.Context, v *VAE, x nn.Mat, r *rand.Rand, temp float64) (Stats, error) {
	if err := e.check(); err != nil {
		return Stats{}, err
	}
	lambda := e.Lambda
	if lambda == 0 {
		lambda = 10
	}
	var scores nn.Mat
	var zstar []int
	var err error
	if e.SumOfGamma {
		scores, zstar, err = e.sampleSoG(ctx, v, x, r)
	} else {
		scores, zstar, err = v.SampleArgmax(ctx, x, r)
	}
	if err != nil {
		return Stats{}, err
	}
	B, nk := x.Rows, v.NK()
	nn.Resize(&e.dz, B, nk)
	f := v.DecodeBackward(x, zstar, e.dz) // dz = ∂(mean loss)/∂code = (1/B)·∂L_b/∂code
	step := lambda * float64(B)
	for b := 0; b < B; b++ {
		w, dz := v.Weights(b), e.dz.Row(b)
		for j := 0; j < nk; j++ {
			w[j] -= step * float64(dz[j])
		}
	}
	zt, err := v.SolveAgain(ctx, B)
	if err != nil {
		return Stats{}, err
	}
	ds := v.GradBuffer(B)
	g := float32(1 / (lambda * float64(B)))
	v.AddFeatures(zstar, g, ds)
	v.AddFeatures(zt, -g, ds)
	kl := v.UnaryKL(scores, ds, 1/float64(B))
	v.EncoderBackward(x, ds)
	return MeanStats(f, kl), nil
}

// sampleSoG encodes x, adds sum-of-Gamma noise to the "chosen" score of
// every item of every k-subset part (drawn from r in row, then item order)
// and solves for z*.
func (e *IMLE) sampleSoG(ctx context.Context, v *VAE, x nn.Mat, r *rand.Rand) (nn.Mat, []int, error) {
	parts, err := subsetParts(v.S)
	if err != nil {
		return nn.Mat{}, nil, fmt.Errorf("train: I-MLE with sum-of-Gamma noise: %w", err)
	}
	scores := v.Scores(x)
	for b := 0; b < x.Rows; b++ {
		w := v.Weights(b)
		for _, p := range parts {
			for i := p.off; i < p.off+p.n; i++ {
				w[2*i+1] += sumOfGamma(r, max(p.k, 1))
			}
		}
	}
	zstar, err := v.Solve(ctx, x.Rows)
	return scores, zstar, err
}
