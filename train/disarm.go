package train

import (
	"context"
	"math"
	"math/rand/v2"

	"github.com/argmaxvae/argmaxvae/nn"
)

// DisARM (Dong, Mnih & Tucker, 2020) integrates out ARM's augmentation: with
// the antithetic pair b = 1[u < σ(α)], b̃ = 1[1 − u < σ(α)],
//
//	∇_α E[L(z)] = E[½(L(b) − L(b̃))·(−1)^b̃ᵢ·1[bᵢ ≠ b̃ᵢ]·σ(|αᵢ|)],
//
// unbiased and never of higher variance than ARM. The decoder is trained on
// both samples.
type DisARM struct{ p binaryPair }

// Name implements [Estimator].
func (*DisARM) Name() string { return "disarm" }

// Needs implements [Estimator]: independent binary latents.
func (*DisARM) Needs() Needs { return Needs{Binary: true, Independent: true} }

// Step implements [Estimator]; temp is ignored.
func (d *DisARM) Step(ctx context.Context, v *VAE, x nn.Mat, r *rand.Rand, temp float64) (Stats, error) {
	if err := checkStep(d.Name(), v, x, r); err != nil {
		return Stats{}, err
	}
	if err := d.Needs().Check(d.Name(), v.S); err != nil {
		return Stats{}, err
	}
	B, n := x.Rows, v.N
	scores, err := d.p.prepare(v, x, r)
	if err != nil {
		return Stats{}, err
	}
	for j, u := range d.p.u {
		s := sigmoid(d.p.alpha[j])
		d.p.zz[j] = b2i(u < s)
		d.p.zz[B*n+j] = b2i(1-u < s)
	}
	f, err := d.p.decodeBoth(v)
	if err != nil {
		return Stats{}, err
	}
	dw := v.GradBuffer()
	for b := 0; b < B; b++ {
		half := 0.5 * (-float64(f[b]) + float64(f[B+b])) / float64(B) // ½(L(b) − L(b̃))/B
		ds := dw.Row(b)
		for i := 0; i < n; i++ {
			zb, zt := d.p.zz[b*n+i], d.p.zz[B*n+b*n+i]
			if zb == zt {
				continue
			}
			sign := 1.0
			if zt == 1 {
				sign = -1
			}
			addBitGrad(ds, i, half*sign*sigmoid(math.Abs(d.p.alpha[b*n+i])))
		}
	}
	return finishBinary(v, x, scores, dw, f)
}
