package train

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/argmaxvae/argmaxvae/nn"
)

// DirectExact is direct optimization with the exact perturbed arg max
//
//	z*(ε) = argmax_z h'(z) + γ(z) + ε·f(x, z)
//
// over all K^N ≤ [MaxExactCodes] codes, instead of [Direct]'s
// low-dimensional approximation f̃ (f with one latent changed at a time
// around z*). The decoder's input does not depend on x, so every code is
// decoded once per step and f(x_b, z) for the whole batch is one product
// ([codeSpace.decodeAll]); the encoder scores of all codes are another.
// Everything else is [Direct]'s: z* = argmax h + γ by the VAE's solver,
// the encoder gradient −(φ(z*(ε)) − φ(z*))/ε, h' = (1−ε)·h for the folded
// KL (pairwise weights included), the decoder trained at z*.
//
// For one latent, or independent latents, f̃ and f give the same z*(ε) in
// the limit ε → 0 (one coordinate moves at a time); with pairwise weights
// they differ: a unary change can move several coupled bits at once, which
// f̃ scores as separate single-bit changes. A step costs about
// K^N·hidden·D multiply-adds for the decoder (2¹⁵ codes: ~8 GFLOP) plus
// B·K^N·(D + Dim) for the two products.
type DirectExact struct {
	KL KLMode

	cs      *codeSpace
	f, vals nn.Mat      // B×codes: f(x_b, z) and the perturbed scores
	w32     nn.Mat      // B×Dim: the weights in float32
	w       [][]float64 // the step's weight vectors
	zeps    []int
}

// Name implements [Estimator].
func (*DirectExact) Name() string { return "direct-exact" }

// Needs implements [Estimator]: any structure with at most MaxExactCodes
// codes; temperature ε as for [Direct].
func (d *DirectExact) Needs() Needs {
	return Needs{Temperature: "ε", MaxTemp: d.KL.MaxEps(), AnnealEvery: 500, MaxCodes: MaxExactCodes}
}

// check refuses a KL mode that is none of the three.
func (d *DirectExact) check() error { return d.KL.check(d.Name()) }

// Step implements [Estimator]; eps must be in (0, KL.MaxEps()].
func (d *DirectExact) Step(ctx context.Context, v *VAE, x nn.Mat, r *rand.Rand, eps float64) (Stats, error) {
	if err := d.check(); err != nil {
		return Stats{}, err
	}
	if !(eps > 0) || eps > d.KL.MaxEps() {
		return Stats{}, fmt.Errorf("train: direct-exact with the %s KL needs 0 < ε ≤ %v, got %v", d.KL, d.KL.MaxEps(), eps)
	}
	if err := d.Needs().Check(d.Name(), v.S); err != nil {
		return Stats{}, err
	}
	if d.cs == nil || d.cs.s != v.S {
		cs, err := newCodeSpace(v.S)
		if err != nil {
			return Stats{}, err
		}
		d.cs = cs
	}
	scores, zstar, err := v.SampleArgmax(ctx, x, r)
	if err != nil {
		return Stats{}, err
	}
	B := x.Rows
	perturbDirect(v, scores, nn.Mat{}, eps, d.KL == KLFolded)
	d.w = grow(d.w, B)
	for b := range d.w {
		d.w[b] = v.Weights(b)
	}
	d.zeps = grow(d.zeps, B*v.N)
	d.cs.decodeAll(v, x, &d.f)
	d.cs.argmaxAll(d.w, d.f, eps, &d.vals, &d.w32, d.zeps)
	f := v.DecodeBackward(x, zstar, nn.Mat{})
	return directEncoderStep(v, x, scores, zstar, d.zeps, f, eps, d.KL), nil
}
