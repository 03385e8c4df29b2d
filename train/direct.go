package train

import (
	"context"
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

// check returns an error unless m is one of the three modes.
func (m KLMode) check(estimator string) error {
	if m < KLFolded || m > KLAnalytic {
		return fmt.Errorf("train: estimator %s: unknown %v (want folded, none or analytic)", estimator, m)
	}
	return nil
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
	fAll    nn.Mat   // one latent: f(x_b, s) for every state
	onehot  nn.Mat   // one latent: the one-hot code of z*
	f       []float32
	general bool // tests: take the general path for one latent too
}

// Name implements [Estimator].
func (*Direct) Name() string { return "direct" }

// Needs implements [Estimator]: any structure; temperature ε (at most 1
// with the folded KL), annealed every 500 iterations by default.
func (d *Direct) Needs() Needs {
	return Needs{Temperature: "ε", MaxTemp: d.KL.MaxEps(), AnnealEvery: 500}
}

// check refuses a KL mode that is none of the three.
func (d *Direct) check() error { return d.KL.check(d.Name()) }

// Step implements [Estimator]; eps must be in (0, KL.MaxEps()].
func (d *Direct) Step(ctx context.Context, v *VAE, x nn.Mat, r *rand.Rand, eps float64) (Stats, error) {
	if err := checkStep(d.Name(), v, x, r); err != nil {
		return Stats{}, err
	}
	if err := d.check(); err != nil {
		return Stats{}, err
	}
	if err := checkEps(d.Name(), d.KL, eps); err != nil {
		return Stats{}, err
	}
	if err := d.Needs().Check(d.Name(), v.S); err != nil {
		return Stats{}, err
	}
	scores, zstar, err := v.SampleArgmax(ctx, x, r)
	if err != nil {
		return Stats{}, err
	}
	B, k := x.Rows, v.K
	single := v.N == 1 && v.S.Dim() == v.NK() && !d.general
	var F, codeLogits nn.Mat
	if single {
		nn.Resize(&d.fAll, B, k)
		F = d.fAll
		if codeLogits, err = d.c.forward(v, x, d.fAll); err != nil {
			return Stats{}, err
		}
	} else if F, err = v.LocalLogLik(x, zstar); err != nil {
		return Stats{}, err
	}
	perturbDirect(v, scores, F, eps, d.KL == KLFolded)
	zeps, err := v.SolveAgain(ctx, B)
	if err != nil {
		return Stats{}, err
	}
	var f []float32
	if single {
		// f(x_b, z*_b) is F[b, z*_b]; the decoder gradient at z* is the
		// codes' gradient weighted by the one-hot of z*.
		nn.Resize(&d.onehot, B, k)
		if err := decoder.OneHot(zstar, 1, k, d.onehot); err != nil {
			return Stats{}, err
		}
		d.f = grow(d.f, B)
		for b := 0; b < B; b++ {
			d.f[b] = F.At(b, zstar[b])
		}
		if err := d.c.backward(v, x, d.onehot, codeLogits); err != nil {
			return Stats{}, err
		}
		f = d.f
	} else if f, err = v.DecodeBackwardLocal(x, zstar); err != nil {
		return Stats{}, err
	}
	return directEncoderStep(v, x, scores, zstar, zeps, f, eps, d.KL)
}

// checkEps returns an error unless eps is in (0, kl.MaxEps()].
func checkEps(name string, kl KLMode, eps float64) error {
	if eps > 0 && eps <= kl.MaxEps() {
		return nil
	}
	if kl == KLFolded {
		return fmt.Errorf("train: %s estimator with the folded KL needs 0 < ε ≤ 1, got %v", name, eps)
	}
	return fmt.Errorf("train: %s estimator needs ε > 0, got %v", name, eps)
}

// perturbDirect turns the weights w + γ that SampleArgmax left into those
// of z*(ε): (1−ε)·h + γ + ε·F with the folded KL (log q ∝ h, see
// [KLFolded]; pairwise weights scaled by 1 − ε), h + γ + ε·F otherwise,
// F (B×N·K) added to the unary block. O(B·Dim).
func perturbDirect(v *VAE, scores, F nn.Mat, eps float64, folded bool) {
	nk, ws := v.NK(), v.Weights()
	for b := 0; b < scores.Rows; b++ {
		row, w := scores.Row(b), ws[b]
		if folded {
			for j := 0; j < nk; j++ {
				w[j] -= eps * float64(row[j])
			}
			for j := nk; j < len(w); j++ {
				w[j] = (1 - eps) * float64(row[j])
			}
		}
		if F.Data != nil {
			for j, fj := range F.Row(b) {
				w[j] += eps * float64(fj)
			}
		}
	}
}

// directEncoderStep finishes a direct step once z* and z*(ε) are known and
// the decoder has been trained at z* (f = log p(x|z*)): it sets the score
// gradient (φ(z*) − φ(z*(ε)))/(εB), adds the unary KL's gradient when kl is
// KLAnalytic, backpropagates through the encoder and returns the batch's
// statistics. Direct and DirectExact differ only in how they find z*(ε).
// O(B·(Dim + encoder)).
func directEncoderStep(v *VAE, x, scores nn.Mat, zstar, zeps []int, f []float32, eps float64, kl KLMode) (Stats, error) {
	B := x.Rows
	dw := v.GradBuffer()
	g := float32(1 / (eps * float64(B)))
	if err := v.AddFeatures(zeps, -g, dw); err != nil {
		return Stats{}, err
	}
	if err := v.AddFeatures(zstar, g, dw); err != nil {
		return Stats{}, err
	}
	var klg nn.Mat
	if kl == KLAnalytic {
		klg = dw
	}
	kls, err := v.UnaryKL(scores, klg, 1/float64(B))
	if err != nil {
		return Stats{}, err
	}
	if err := v.EncoderBackward(x, dw); err != nil {
		return Stats{}, err
	}
	return MeanStats(f, kls), nil
}
