package train

import (
	"context"
	"math/rand/v2"

	"github.com/argmaxvae/argmaxvae/nn"
)

// ARM is the Augment-REINFORCE-Merge estimator (Yin & Zhou, 2019) for
// independent binary latents with logits α = h₁ − h₀: with u ~ U(0,1)ⁿ,
// z¹ = 1[u > σ(−α)] and z² = 1[u < σ(α)],
//
//	∇_α E[L(z)] = E_u[(L(z¹) − L(z²))·(u − ½)],
//
// unbiased, at the cost of two decoder passes. The decoder is trained on
// both samples (each is marginally a draw from q).
type ARM struct{ p binaryPair }

// Name implements [Estimator].
func (*ARM) Name() string { return "arm" }

// Needs implements [Estimator]: independent binary latents.
func (*ARM) Needs() Needs { return Needs{Binary: true, Independent: true} }

// Step implements [Estimator]; temp is ignored.
func (a *ARM) Step(ctx context.Context, v *VAE, x nn.Mat, r *rand.Rand, temp float64) (Stats, error) {
	if err := checkStep(a.Name(), v, x, r); err != nil {
		return Stats{}, err
	}
	if err := a.Needs().Check(a.Name(), v.S); err != nil {
		return Stats{}, err
	}
	B, n := x.Rows, v.N
	scores, err := a.p.prepare(v, x, r)
	if err != nil {
		return Stats{}, err
	}
	for j, u := range a.p.u {
		al := a.p.alpha[j]
		a.p.zz[j] = b2i(u > sigmoid(-al))
		a.p.zz[B*n+j] = b2i(u < sigmoid(al))
	}
	f, err := a.p.decodeBoth(v)
	if err != nil {
		return Stats{}, err
	}
	dw := v.GradBuffer()
	for b := 0; b < B; b++ {
		d := (-float64(f[b]) + float64(f[B+b])) / float64(B) // (L¹ − L²)/B
		ds := dw.Row(b)
		for i := 0; i < n; i++ {
			addBitGrad(ds, i, d*(a.p.u[b*n+i]-0.5))
		}
	}
	return finishBinary(v, x, scores, dw, f)
}

func b2i(c bool) int {
	if c {
		return 1
	}
	return 0
}
