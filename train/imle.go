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
// z* = argmax ⟨w + γ, φ(z)⟩, a target solve z′ with the same noise on
// w + γ − λ·∂L/∂z, and the estimate (φ(z*) − φ(z′))/λ; the unary KL is added
// analytically. With Gumbel noise it is also blackbox differentiation
// (Vlastelica et al., ICLR 2020). It is biased (a finite difference of the
// solver); the test measures its alignment with the exact gradient. With
// SumOfGamma ("imle-sog") the noise is sum-of-Gamma on k-subset gains, the
// I-MLE paper's VAE; the latent must be k-subsets. Two solves per example
// a step. Derivation: docs/estimators.md#imle.
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
	if err := checkStep(e.Name(), v, x, r); err != nil {
		return Stats{}, err
	}
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
	f, err := v.DecodeBackward(x, zstar, e.dz) // dz = ∂(mean loss)/∂code = (1/B)·∂L_b/∂code
	if err != nil {
		return Stats{}, err
	}
	step := lambda * float64(B)
	for b := 0; b < B; b++ {
		w, dz := v.Weights()[b], e.dz.Row(b)
		for j := 0; j < nk; j++ {
			w[j] -= step * float64(dz[j])
		}
	}
	zt, err := v.SolveAgain(ctx, B)
	if err != nil {
		return Stats{}, err
	}
	ds := v.GradBuffer()
	g := float32(1 / (lambda * float64(B)))
	if err := v.AddFeatures(zstar, g, ds); err != nil {
		return Stats{}, err
	}
	if err := v.AddFeatures(zt, -g, ds); err != nil {
		return Stats{}, err
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

// sampleSoG encodes x, adds sum-of-Gamma noise to the "chosen" score of
// every item of every k-subset part (drawn from r in row, then item order)
// and solves for z*.
func (e *IMLE) sampleSoG(ctx context.Context, v *VAE, x nn.Mat, r *rand.Rand) (nn.Mat, []int, error) {
	parts, err := subsetParts(v.S)
	if err != nil {
		return nn.Mat{}, nil, fmt.Errorf("train: I-MLE with sum-of-Gamma noise: %w", err)
	}
	scores, err := v.Scores(x)
	if err != nil {
		return nn.Mat{}, nil, err
	}
	for b := 0; b < x.Rows; b++ {
		w := v.Weights()[b]
		for _, p := range parts {
			for i := p.off; i < p.off+p.n; i++ {
				w[2*i+1] += sumOfGamma(r, max(p.k, 1))
			}
		}
	}
	zstar, err := v.Solve(ctx, x.Rows)
	return scores, zstar, err
}
