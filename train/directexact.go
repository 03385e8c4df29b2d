package train

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/argmaxvae/argmaxvae/nn"
)

// DirectExact is direct optimization with the exact perturbed arg max
// z*(ε) = argmax_z h'(z) + γ(z) + ε·f(x, z) over all K^N ≤ [MaxExactCodes]
// codes, instead of [Direct]'s approximation f̃ (one latent changed at a
// time around z*); everything else (z*, the gradient −(φ(z*(ε)) − φ(z*))/ε,
// the KL modes, the decoder trained at z*) is Direct's. Every code is
// decoded once per step and scored for the whole batch by two products, so a
// step costs about K^N·hidden·D + B·K^N·(D + Dim) multiply-adds (2¹⁵ codes:
// ~8 GFLOP). With pairwise weights f̃ and f differ: one unary change can
// move several coupled bits. Derivation: docs/estimators.md#directexact.
type DirectExact struct {
	KL KLMode

	cs      *codeSpace
	f, vals nn.Mat // B×codes: f(x_b, z) and the perturbed scores
	w32     nn.Mat // B×Dim: the weights in float32
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
	if err := checkStep(d.Name(), v, x, r); err != nil {
		return Stats{}, err
	}
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
	d.zeps = grow(d.zeps, B*v.N)
	if err := d.cs.decodeAll(v, x, &d.f); err != nil {
		return Stats{}, err
	}
	d.cs.argmaxAll(v.Weights(), d.f, eps, &d.vals, &d.w32, d.zeps)
	f, err := v.DecodeBackward(x, zstar, nn.Mat{})
	if err != nil {
		return Stats{}, err
	}
	return directEncoderStep(v, x, scores, zstar, d.zeps, f, eps, d.KL)
}
