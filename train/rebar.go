package train

import (
	"context"
	"fmt"
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
	Eta    float64 // η, the control variate's scale; 0 means 1
	Lambda float64 // λ, the relaxation's temperature; 0 means 0.5

	dz, soft    nn.Mat
	z, zt, bz   []float64
	sv, gz, gzt []float64
	lz, lzt     []float32
	bits        []int
}

// Name implements [Estimator].
func (*Rebar) Name() string { return "rebar" }

// Needs implements [Estimator]: independent binary latents.
func (*Rebar) Needs() Needs { return Needs{Binary: true, Independent: true} }

// check refuses a non-finite η and a λ that is negative or not finite.
func (e *Rebar) check() error {
	if math.IsNaN(e.Eta) || math.IsInf(e.Eta, 0) {
		return fmt.Errorf("train: rebar needs a finite η (0 means 1), got %v", e.Eta)
	}
	if !(e.Lambda >= 0) || math.IsInf(e.Lambda, 0) {
		return fmt.Errorf("train: rebar needs a finite temperature λ > 0 (0 means 0.5), got %v", e.Lambda)
	}
	return nil
}

// Step implements [Estimator]; temp is ignored.
func (e *Rebar) Step(ctx context.Context, v *VAE, x nn.Mat, r *rand.Rand, temp float64) (Stats, error) {
	if err := checkStep(e.Name(), v, x, r); err != nil {
		return Stats{}, err
	}
	if err := e.check(); err != nil {
		return Stats{}, err
	}
	if err := e.Needs().Check(e.Name(), v.S); err != nil {
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
	scores, err := v.Scores(x)
	if err != nil {
		return Stats{}, err
	}
	e.z, e.zt, e.bz = grow(e.z, B*n), grow(e.zt, B*n), grow(e.bz, B*n)
	e.sv, e.gz, e.gzt = grow(e.sv, B*n), grow(e.gz, B*n), grow(e.gzt, B*n)
	e.lz, e.lzt, e.bits = grow(e.lz, B), grow(e.lzt, B), grow(e.bits, B*n)
	// Draw z, b and the conditional z̃; keep dz̃/dα in bz.
	for b := 0; b < B; b++ {
		row := scores.Row(b)
		for i := 0; i < n; i++ {
			j := b*n + i
			a := float64(row[2*i+1]) - float64(row[2*i])
			e.bits[j], e.z[j], e.zt[j], e.bz[j] = rebarDraw(a, r)
		}
	}
	// Relaxed passes: L(σ(z/λ)) and L(σ(z̃/λ)) with their input gradients.
	// They also accumulate decoder gradients, which are cleared afterwards:
	// the decoder is trained on the hard sample only.
	if err := e.relaxed(v, x, e.z, lambda, e.lz, e.gz); err != nil {
		return Stats{}, err
	}
	if err := e.relaxed(v, x, e.zt, lambda, e.lzt, e.gzt); err != nil {
		return Stats{}, err
	}
	gz, gzt := e.gz, e.gzt
	nn.ZeroGrad(v.Dec.Params())
	f, err := v.DecodeBackward(x, e.bits, nn.Mat{})
	if err != nil {
		return Stats{}, err
	}

	dw := v.GradBuffer()
	for b := 0; b < B; b++ {
		row, ds := scores.Row(b), dw.Row(b)
		Lb := -float64(f[b])
		Lzt := -float64(e.lzt[b])
		for i := 0; i < n; i++ {
			j := b*n + i
			th := sigmoid(float64(row[2*i+1]) - float64(row[2*i]))
			g := (Lb-eta*Lzt)*(float64(e.bits[j])-th) + eta*gz[j] - eta*gzt[j]*e.bz[j]
			addBitGrad(ds, i, g/float64(B))
		}
	}
	kl, err := v.UnaryKL(scores, dw, 1/float64(B))
	if err != nil {
		return Stats{}, err
	}
	if err := v.EncoderBackward(x, dw); err != nil {
		return Stats{}, err
	}
	return MeanStats(f, kl), nil
}

// relaxed feeds s = σ(z/λ) (as two-way codes [1−s, s]) to the decoder,
// stores log p(x|s) per example in f, and sets g to dL/dz per bit, with
// L = −log p(x|s): (∂L/∂s)·s(1−s)/λ.
func (e *Rebar) relaxed(v *VAE, x nn.Mat, z []float64, lambda float64, f []float32, g []float64) error {
	B, n := x.Rows, v.N
	nn.Resize(&e.soft, B, 2*n)
	nn.Resize(&e.dz, B, 2*n)
	sv := e.sv
	for j, zj := range z {
		s := sigmoid(zj / lambda)
		sv[j] = s
		e.soft.Data[2*j], e.soft.Data[2*j+1] = float32(1-s), float32(s)
	}
	// Gradient of Σ_b L_b (per-example losses, unscaled) w.r.t. the input.
	fs, err := v.DecodeBackwardCode(x, e.soft, 1, e.dz)
	if err != nil {
		return err
	}
	copy(f, fs)
	for j := range g {
		dLds := float64(e.dz.Data[2*j+1]) - float64(e.dz.Data[2*j])
		g[j] = dLds * sv[j] * (1 - sv[j]) / lambda
	}
	return nil
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
