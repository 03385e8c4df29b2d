package semisup

import (
	"math/rand/v2"

	"github.com/argmaxvae/argmaxvae/nn"
)

// DefaultEpsSup is the ε of labelled examples when Direct.EpsSup is zero:
// the authors' code trains its labelled phase at ε = 0.05.
const DefaultEpsSup = 0.05

// Direct is direct optimization through the arg max for the discrete
// latent, with the categorical KL folded into the perturbed arg max (the
// project's default, see package train):
//
//	z*    = argmax_k h_k + γ_k
//	z*(ε) = argmax_k (1−ε)·h_k + γ_k − ε·f(x, k)
//
// where f(x, k) = −log p(x | k, z_c^k) + KL(q(z_c | x, k) ‖ N(0, I)) is
// the loss of component k at its own reparameterized Gaussian sample (K
// decoder passes per example, forward only). The gradient of the loss with
// respect to h is (1[z*] − 1[z*(ε)])/ε. For a labelled example z*(ε) is its
// label and ε is EpsSup: direct loss minimization with the indicator loss
// (the paper's Section 4.2), whose mean is (q − 1[label])/EpsSup, the
// cross-entropy gradient scaled by 1/EpsSup. The decoder and the Gaussian
// encoder are trained by reparameterization at z*.
type Direct struct {
	// EpsSup is the ε of labelled examples; 0 means DefaultEpsSup.
	EpsSup float64
}

// Name returns "direct".
func (Direct) Name() string { return "direct" }

// Step implements [Estimator]. O(B·K) decoder passes.
func (d Direct) Step(m *Model, x nn.Mat, labels []int, eps float64, r *rand.Rand) float64 {
	s := m.S
	B := x.Rows
	w, e := m.begin(x, r)
	m.componentLosses(e, &w.in, w.ll, w.f)
	epsSup := d.EpsSup
	if epsSup == 0 {
		epsSup = DefaultEpsSup
	}
	pert := make([]float64, s.K)
	nn.Resize(&w.in, B, s.K*s.C)
	w.in.Zero()
	var loss float64
	for b := 0; b < B; b++ {
		h, g, f := e.h.Row(b), w.gumbel[b*s.K:(b+1)*s.K], w.f[b*s.K:(b+1)*s.K]
		logq := nn.LogSoftmax(h, w.logq)
		zs, ze := directCodes(h, g, f, eps, labels[b], pert)
		ep := eps
		if labels[b] >= 0 {
			ep = epsSup
		}
		c := float32(1 / (ep * float64(B)))
		w.dh.Row(b)[zs] += c
		w.dh.Row(b)[ze] -= c
		loss += f[zs] + catKL(logq)
		m.setBlock(w.in, b, zs, e.zc.Row(b*s.K+zs), 1)
		w.scale[b] = -1 / float32(B)
		w.klScale[b*s.K+zs] = 1 / float32(B)
		w.zstar[b] = zs
	}
	m.decodeBackward(x, w.in, w.scale, w.ll, &w.din)
	for b := 0; b < B; b++ {
		zs := w.zstar[b]
		copy(w.dzc.Row(b*s.K+zs), w.din.Row(b)[zs*s.C:(zs+1)*s.C])
	}
	m.backward(e, w)
	return loss / float64(B)
}

// directCodes returns z* = argmax h+γ and z*(ε) = argmax (1−ε)h + γ − εf,
// or label in place of z*(ε) when label ≥ 0. pert is K scratch entries.
func directCodes(h []float32, g, f []float64, eps float64, label int, pert []float64) (zs, ze int) {
	for k := range pert {
		pert[k] = float64(h[k]) + g[k]
	}
	zs = argmaxF(pert)
	if label >= 0 {
		return zs, label
	}
	for k := range pert {
		pert[k] = (1-eps)*float64(h[k]) + g[k] - eps*f[k]
	}
	return zs, argmaxF(pert)
}
