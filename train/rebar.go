package train

import (
	"math"
	"math/rand/v2"

	"github.com/argmaxvae/argmaxvae/nn"
)

// Rebar is the REBAR estimator (Tucker et al., 2017) for independent binary
// latents with logits α = h₁ − h₀, θ = σ(α). With u, v ~ U(0,1)ⁿ,
// z = α + log(u/(1−u)), b = 1[z > 0], and z̃ the logistic variable
// conditioned on b (reparameterized by v),
//
//	∇_α E[L(b)] = E[(L(b) − η·L(σ(z̃/λ)))·(b − θ) + η·∇_α L(σ(z/λ)) − η·∇_α L(σ(z̃/λ))],
//
// where L(s) is the loss with the relaxed bits s fed to the decoder. It is
// unbiased for every η and λ; this implementation keeps them fixed (Eta,
// Lambda; defaults 1 and 0.5) instead of tuning them online by the variance
// gradient as the paper does, so it is REBAR without the adaptation (RELAX
// would further replace σ(·/λ) by a learned network). The decoder is trained
// on the hard sample b.
type Rebar struct {
	Eta, Lambda float64

	s, dz, soft nn.Mat
	z, zt, bz   []float64
	sv, gz, gzt []float64
	lz, lzt     []float32
}

// Name implements [Estimator].
func (*Rebar) Name() string { return "rebar" }

// Needs implements [Estimator]: independent binary latents.
func (*Rebar) Needs() Needs { return Needs{Binary: true, Independent: true} }

// Step implements [Estimator]; temp is ignored.
func (e *Rebar) Step(v *VAE, x nn.Mat, r *rand.Rand, temp float64) (Stats, error) {
	if err := checkNeeds(e, v); err != nil {
		return Stats{}, err
	}
	eta, lambda := e.Eta, e.Lambda
	if eta == 0 {
		eta = 1
	}
	if lambda == 0 {
		lambda = 0.5
	}
	B, n := x.Rows, v.N
	v.resize(B)
	scores := v.Enc.Forward(x)
	if cap(e.z) < B*n {
		e.z, e.zt, e.bz = make([]float64, B*n), make([]float64, B*n), make([]float64, B*n)
		e.sv, e.gz, e.gzt = make([]float64, B*n), make([]float64, B*n), make([]float64, B*n)
		e.lz, e.lzt = make([]float32, B), make([]float32, B)
	}
	e.z, e.zt, e.bz, e.lz, e.lzt = e.z[:B*n], e.zt[:B*n], e.bz[:B*n], e.lz[:B], e.lzt[:B]
	e.sv, e.gz, e.gzt = e.sv[:B*n], e.gz[:B*n], e.gzt[:B*n]
	// Draw z, b and the conditional z̃; keep dz̃/dα in bz.
	for b := 0; b < B; b++ {
		row := scores.Row(b)
		for i := 0; i < n; i++ {
			j := b*n + i
			a := float64(row[2*i+1]) - float64(row[2*i])
			v.zstar[j], e.z[j], e.zt[j], e.bz[j] = rebarDraw(a, r)
		}
	}
	// Relaxed passes: L(σ(z/λ)) and L(σ(z̃/λ)) with their input gradients.
	// They also accumulate decoder gradients, which are cleared afterwards:
	// the decoder is trained on the hard sample only.
	e.relaxed(v, x, e.z, lambda, e.lz, e.gz)
	e.relaxed(v, x, e.zt, lambda, e.lzt, e.gzt)
	gz, gzt := e.gz, e.gzt
	nn.ZeroGrad(v.Dec.Params())
	v.decodeAndBackward(x, v.zstar)

	clear(v.dscores.Data[:B*v.dscores.Cols])
	for b := 0; b < B; b++ {
		row, ds := scores.Row(b), v.dscores.Row(b)
		Lb := -float64(v.f[b])
		Lzt := -float64(e.lzt[b])
		for i := 0; i < n; i++ {
			j := b*n + i
			th := sigmoid(float64(row[2*i+1]) - float64(row[2*i]))
			g := (Lb-eta*Lzt)*(float64(v.zstar[j])-th) + eta*gz[j] - eta*gzt[j]*e.bz[j]
			addBitGrad(ds, i, g/float64(B))
		}
	}
	klUnary(v, scores, n, 2, v.kl, v.dscores, 1/float64(B))
	v.Enc.Backward(x, v.dscores)
	return meanStats(v.f, v.kl), nil
}

// relaxed feeds s = σ(z/λ) (as two-way codes [1−s, s]) to the decoder,
// stores log p(x|s) per example in f, and sets g to dL/dz per bit, with
// L = −log p(x|s): (∂L/∂s)·s(1−s)/λ.
func (e *Rebar) relaxed(v *VAE, x nn.Mat, z []float64, lambda float64, f []float32, g []float64) {
	B, n := x.Rows, v.N
	nn.Resize(&e.soft, B, 2*n)
	nn.Resize(&e.dz, B, 2*n)
	sv := e.sv
	for j, zj := range z {
		s := sigmoid(zj / lambda)
		sv[j] = s
		e.soft.Data[2*j], e.soft.Data[2*j+1] = float32(1-s), float32(s)
	}
	logits := v.Dec.Forward(e.soft)
	// Gradient of Σ_b L_b (per-example losses, unscaled) w.r.t. the input.
	nn.BernoulliLogLikAndGrad(x, logits, v.scaleBuf(B, -1), f, v.dlogits)
	v.Dec.Backward(e.soft, v.dlogits, e.dz)
	for j := range g {
		dLds := float64(e.dz.Data[2*j+1]) - float64(e.dz.Data[2*j])
		g[j] = dLds * sv[j] * (1 - sv[j]) / lambda
	}
}

// openUnit draws from U(0,1), excluding 0.
func openUnit(r *rand.Rand) float64 {
	for {
		if u := r.Float64(); u > 0 {
			return u
		}
	}
}

// rebarDraw draws one bit's REBAR noise for the logit a: z = a + logistic
// noise (from u), the bit b = [z > 0], the conditional z̃ given b (from w)
// and dz̃/dα = dz̃/dθ · θ(1−θ), written so that it does not overflow as
// θ → 0 or 1. REBAR and RELAX draw through it, u then w.
func rebarDraw(a float64, r *rand.Rand) (bit int, z, zt, dzt float64) {
	th, q := sigmoid(a), sigmoid(-a) // θ and 1−θ, each accurate
	u, w := openUnit(r), openUnit(r)
	z = a + math.Log(u) - math.Log1p(-u)
	ratio := w / (1 - w)
	if z > 0 {
		return 1, z, math.Log1p(ratio / q), ratio * th / (q + ratio)
	}
	return 0, z, -math.Log1p(ratio / th), ratio * q / (th + ratio)
}
