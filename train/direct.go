package train

import (
	"fmt"
	"math/rand/v2"

	"github.com/argmaxvae/argmaxvae/decoder"
	"github.com/argmaxvae/argmaxvae/nn"
)

// Direct is direct optimization through arg max (the paper's Algorithm 1).
//
// With z* = argmax h + γ and z*(ε) = argmax h + γ + ε·f̃, the encoder
// gradient of the loss −f is −(φ(z*(ε)) − φ(z*))/ε with respect to the
// encoder's output w = (unary scores, pairwise weights): −1/ε on the states
// z*(ε) picks, +1/ε on those z* picks, and −(zᵢ(ε)zⱼ(ε) − zᵢ*zⱼ*)/ε on edge
// (i,j). f̃(x, z) adds to the unary score of latent i in state s the
// decoder's log-likelihood with latent i set to s and the others at z*
// (decoder.Variants): for one latent this is f itself. The decoder is
// trained by backpropagation at z*.
//
// KLGrad adds the gradient of the analytic KL of the unary factors to the
// encoder; the reference implementation omits it (KLGrad = false).
type Direct struct {
	KLGrad bool

	c       allCodes // one latent: decode the K codes once per batch
	general bool     // tests: take the general path for one latent too
}

// Name implements [Estimator].
func (*Direct) Name() string { return "direct" }

// Step implements [Estimator]; eps must be positive.
func (d *Direct) Step(v *VAE, x nn.Mat, r *rand.Rand, eps float64) (Stats, error) {
	if !(eps > 0) {
		return Stats{}, fmt.Errorf("train: direct estimator needs ε > 0, got %v", eps)
	}
	scores, err := v.sample(x, r)
	if err != nil {
		return Stats{}, err
	}
	B, n, k, nk := x.Rows, v.Enc.N, v.Enc.K, v.NK()
	single := n == 1 && len(v.Edges) == 0 && !d.general
	var codeLogits nn.Mat
	if single {
		codeLogits = d.c.forward(v, x, v.F)
	} else {
		v.Dec.Variants(x, v.zstar, v.F)
	}
	v.addToUnary(v.F, eps)
	if err := v.solve(B, v.zeps); err != nil {
		return Stats{}, err
	}
	if single {
		// f(x_b, z*_b) is F[b, z*_b]; the decoder gradient at z* is the
		// codes' gradient weighted by the one-hot of z*.
		decoder.OneHot(v.zstar, 1, k, v.onehot)
		for b := 0; b < B; b++ {
			v.f[b] = v.F.At(b, v.zstar[b])
		}
		d.c.backward(v, x, v.onehot, codeLogits)
	} else {
		v.decodeAndBackward(x, v.zstar)
	}

	clear(v.dscores.Data[:B*v.dscores.Cols])
	g := float32(1 / (eps * float64(B)))
	for b := 0; b < B; b++ {
		ds := v.dscores.Row(b)
		zs, ze := v.zstar[b*n:(b+1)*n], v.zeps[b*n:(b+1)*n]
		for i := 0; i < n; i++ {
			if zs[i] != ze[i] {
				ds[i*k+ze[i]] -= g
				ds[i*k+zs[i]] += g
			}
		}
		for e, ed := range v.Edges {
			diff := float32(ze[ed.I]*ze[ed.J] - zs[ed.I]*zs[ed.J])
			ds[nk+e] -= g * diff
		}
	}
	var klg nn.Mat
	if d.KLGrad {
		klg = v.dscores
	}
	klUnary(v, scores, n, k, v.kl, klg, 1/float64(B))
	v.Enc.Backward(x, v.dscores)
	return meanStats(v.f, v.kl), nil
}
