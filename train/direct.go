package train

import (
	"fmt"
	"math/rand/v2"

	"github.com/argmaxvae/argmaxvae/decoder"
	"github.com/argmaxvae/argmaxvae/nn"
)

// KLMode says how the direct estimator treats the KL term of the negative
// ELBO. The zero value, [KLFolded], is the default.
type KLMode int

const (
	// KLFolded folds the KL into the loss perturbation:
	// z*(ε) = argmax h + γ + ε·[f̃ + log p(z) − log q(z)], log q held
	// constant, no separate KL gradient. With log q ∝ h (exact for
	// independent latents, the Gibbs form for pairwise encoders) and a
	// uniform prior this is argmax (1−ε)·h + γ + ε·f̃: the unary and
	// pairwise weights are scaled by 1 − ε, so a supermodular model stays
	// supermodular. Needs 0 < ε ≤ 1. For one categorical latent the
	// expected update is −(softmax((1−ε)h + ε·log p(x,·)) − q)/ε, zero
	// exactly at the posterior for every such ε and the ELBO gradient as
	// ε → 0.
	KLFolded KLMode = iota
	// KLNone ignores the KL term in the encoder's gradient, as the
	// reference implementation does; the reported loss still includes it.
	KLNone
	// KLAnalytic adds the analytic gradient of the unary-factor KL to the
	// direct estimate of the reconstruction gradient. Its fixed point is
	// not the posterior: the direct term is bounded by 1/ε per coordinate
	// while the KL gradient is not, which keeps q too flat.
	KLAnalytic
)

var klModeNames = [...]string{KLFolded: "folded", KLNone: "none", KLAnalytic: "analytic"}

// KLModes lists the names [ParseKLMode] accepts, default first.
func KLModes() []string { return append([]string(nil), klModeNames[:]...) }

// String returns the mode's name: "folded", "none" or "analytic".
func (m KLMode) String() string {
	if m < 0 || int(m) >= len(klModeNames) {
		return fmt.Sprintf("KLMode(%d)", int(m))
	}
	return klModeNames[m]
}

// ParseKLMode returns the mode named s.
func ParseKLMode(s string) (KLMode, error) {
	for i, n := range klModeNames {
		if n == s {
			return KLMode(i), nil
		}
	}
	return 0, fmt.Errorf("unknown KL mode %q (want folded, none or analytic)", s)
}

// MaxEps returns the largest ε the mode accepts: 1 for [KLFolded] (above
// it, 1 − ε would flip the encoder's scores), +Inf otherwise.
func (m KLMode) MaxEps() float64 {
	if m == KLFolded {
		return 1
	}
	return inf
}

// Direct is direct optimization through arg max (the paper's Algorithm 1).
//
// With z* = argmax h + γ and z*(ε) = argmax h' + γ + ε·f̃, the encoder
// gradient of the loss is −(φ(z*(ε)) − φ(z*))/ε with respect to the
// encoder's output w = (unary scores, pairwise weights): −1/ε on the states
// z*(ε) picks, +1/ε on those z* picks, and −(zᵢ(ε)zⱼ(ε) − zᵢ*zⱼ*)/ε on edge
// (i,j). h' is h for [KLNone] and [KLAnalytic] and (1−ε)·h for
// [KLFolded], the default (see [KLMode]). f̃(x, z) adds to the unary score
// of latent i in state s the decoder's log-likelihood with latent i set to
// s and the others at z* (decoder.Variants): for one latent this is f
// itself. The decoder is trained by backpropagation at z*.
type Direct struct {
	KL KLMode

	c       allCodes // one latent: decode the K codes once per batch
	general bool     // tests: take the general path for one latent too
}

// Name implements [Estimator].
func (*Direct) Name() string { return "direct" }

// Needs implements [Estimator]: any structure; temperature ε (at most 1
// with the folded KL), annealed every 500 iterations by default.
func (d *Direct) Needs() Needs {
	return Needs{Temperature: "ε", MaxTemp: d.KL.MaxEps(), AnnealEvery: 500}
}

// Step implements [Estimator]; eps must be in (0, KL.MaxEps()].
func (d *Direct) Step(v *VAE, x nn.Mat, r *rand.Rand, eps float64) (Stats, error) {
	if !(eps > 0) || eps > d.KL.MaxEps() {
		if d.KL == KLFolded {
			return Stats{}, fmt.Errorf("train: direct estimator with the folded KL needs 0 < ε ≤ 1, got %v", eps)
		}
		return Stats{}, fmt.Errorf("train: direct estimator needs ε > 0, got %v", eps)
	}
	if err := checkNeeds(d, v); err != nil {
		return Stats{}, err
	}
	scores, err := v.sample(x, r)
	if err != nil {
		return Stats{}, err
	}
	B, k := x.Rows, v.K
	single := v.oneLatent() && !d.general
	var codeLogits nn.Mat
	if single {
		codeLogits = d.c.forward(v, x, v.F)
	} else {
		v.Dec.Variants(x, v.zstar, v.F)
	}
	if d.KL == KLFolded {
		v.shrinkScores(scores, eps)
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
		v.decodeVariantsAndBackward(x, v.zstar)
	}

	return v.directEncoderStep(x, scores, eps, d.KL), nil
}

// directEncoderStep finishes a direct step once z* (v.zstar) and z*(ε)
// (v.zeps) are known and the decoder has been trained at z*: it sets the
// score gradient (φ(z*) − φ(z*(ε)))/(εB), adds the unary KL's gradient when
// kl is KLAnalytic, backpropagates through the encoder and returns the
// batch's statistics. Direct and DirectExact differ only in how they find
// z*(ε). O(B·(Dim + encoder)).
func (v *VAE) directEncoderStep(x, scores nn.Mat, eps float64, kl KLMode) Stats {
	B, n := x.Rows, v.N
	clear(v.dscores.Data[:B*v.dscores.Cols])
	g := float32(1 / (eps * float64(B)))
	for b := 0; b < B; b++ {
		ds := v.dscores.Row(b)
		v.S.AddFeatures(v.zeps[b*n:(b+1)*n], -g, ds)
		v.S.AddFeatures(v.zstar[b*n:(b+1)*n], g, ds)
	}
	var klg nn.Mat
	if kl == KLAnalytic {
		klg = v.dscores
	}
	klUnary(v, scores, n, v.K, v.kl, klg, 1/float64(B))
	v.Enc.Backward(x, v.dscores)
	return meanStats(v.f, v.kl)
}
