package train

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/argmaxvae/argmaxvae/nn"
)

// Relax is the RELAX estimator (Grathwohl et al., 2018) for independent
// binary latents: REBAR's noise with the control variate c_φ(z) =
// η·L(σ(z/λ)) + r_ψ(σ(z)) (a learned scale η and a network r_ψ of Hidden
// tanh units), unbiased for every φ. φ = (η, ψ) is trained online, one Adam
// step per minibatch after the estimate is used, to minimise the variance of
// the logits' gradient; λ stays fixed (its gradient needs second derivatives
// the nn layers lack). The decoder is trained on the hard sample. η and ψ
// survive checkpoints ([Stateful]). Derivation: docs/estimators.md#relax.
type Relax struct {
	Lambda float64 // relaxation temperature λ; 0 means 0.5
	Hidden int     // units of r_ψ; 0 means 32
	LR     float64 // Adam rate for η and ψ; 0 means 1e-3

	n                   int
	eta, w1, b1, w2, b2 nn.Param // η; r_ψ(s) = w2·tanh(w1·s + b1) + b2
	opt                 *nn.Adam

	rb      Rebar // relaxed passes and their buffers
	z, zt   []float64
	bz, th  []float64 // dz̃/dα and θ per bit
	bits    []int
	lb, lzt []float64 // L(b), L(σ(z̃/λ)) per example
	gz, gzt []float64 // ∂L(σ(·/λ))/∂z at z and z̃
	g       []float64 // ĝ per bit
	act     []float64 // scratch: 2×Hidden
}

// Name implements [Estimator].
func (*Relax) Name() string { return "relax" }

// Needs implements [Estimator]: independent binary latents.
func (*Relax) Needs() Needs { return Needs{Binary: true, Independent: true} }

func (e *Relax) params() []nn.Param { return []nn.Param{e.eta, e.w1, e.b1, e.w2, e.b2} }

// init creates η = 1 and r_ψ for n bits, with weights drawn from a fixed
// seed (uniform ±1/√fan-in, output layer zero: c starts as REBAR's).
func (e *Relax) init(n int) error {
	h := e.Hidden
	if h == 0 {
		h = 32
	}
	lr := e.LR
	if lr == 0 {
		lr = 1e-3
	}
	mk := func(name string, rows, cols int) nn.Param {
		return nn.Param{Name: "relax." + name, W: make([]float32, rows*cols), G: make([]float32, rows*cols), Rows: rows, Cols: cols}
	}
	e.n = n
	e.eta, e.w1, e.b1, e.w2, e.b2 = mk("eta", 1, 1), mk("w1", h, n), mk("b1", h, 1), mk("w2", 1, h), mk("b2", 1, 1)
	e.eta.W[0] = 1
	r := rand.New(rand.NewPCG(0x7e1a, uint64(n)))
	s := 1 / math.Sqrt(float64(n))
	for i := range e.w1.W {
		e.w1.W[i] = float32(s * (2*r.Float64() - 1))
	}
	for i := range e.b1.W {
		e.b1.W[i] = float32(s * (2*r.Float64() - 1))
	}
	opt, err := nn.NewAdam(e.params(), float32(lr))
	if err != nil {
		return fmt.Errorf("train: relax: %w", err)
	}
	e.opt = opt
	e.act = make([]float64, 2*h)
	return nil
}

// stateParams returns η, ψ and their Adam moments under checkpoint keys of
// their own ("relax/…", apart from the trainer's Adam state).
func (e *Relax) stateParams() []nn.Param {
	ps := append(e.params(), e.opt.State()...)
	for i := range ps {
		ps[i].Name = "relax/" + ps[i].Name
	}
	return ps
}

// StateKeys implements [Stateful]: η, r_ψ and their Adam moments survive
// checkpoints. The keys do not depend on the sizes.
func (e *Relax) StateKeys() []string {
	var k []string
	tmpl := e
	if e.opt == nil {
		tmpl = &Relax{Hidden: 1}
		tmpl.init(1)
	}
	for _, p := range tmpl.stateParams() {
		k = append(k, p.Name)
	}
	return k
}

// SaveState implements [Stateful]; nothing before the first step.
func (e *Relax) SaveState() map[string][]float32 {
	m := map[string][]float32{}
	if e.opt == nil {
		return m
	}
	for _, p := range e.stateParams() {
		m[p.Name] = append([]float32(nil), p.W...)
	}
	return m
}

// LoadState implements [Stateful]; the number of latents is read from the
// network's first layer.
func (e *Relax) LoadState(st map[string][]float32) error {
	h := e.Hidden
	if h <= 0 {
		h = 32
	}
	w1 := st["relax/relax.w1"]
	if len(w1) == 0 || len(w1)%h != 0 {
		return fmt.Errorf("train: relax: checkpoint has no control-variate network of %d hidden units", h)
	}
	if e.opt == nil || e.n != len(w1)/h {
		if err := e.init(len(w1) / h); err != nil {
			return err
		}
	}
	for _, p := range e.stateParams() {
		w, ok := st[p.Name]
		if !ok || len(w) != len(p.W) {
			return fmt.Errorf("train: relax: checkpoint entry %s missing or of the wrong length", p.Name)
		}
		copy(p.W, w)
	}
	return nil
}

// prepare creates the control variate for v's latents on first use.
func (e *Relax) prepare(v *VAE) error {
	if e.opt == nil || e.n != v.N {
		return e.init(v.N)
	}
	return nil
}

// check refuses negative or non-finite settings.
func (e *Relax) check() error {
	if !(e.Lambda >= 0) || math.IsInf(e.Lambda, 0) {
		return fmt.Errorf("train: relax needs a finite temperature λ > 0 (0 means 0.5), got %v", e.Lambda)
	}
	if e.Hidden < 0 {
		return fmt.Errorf("train: relax needs Hidden ≥ 1 units (0 means 32), got %d", e.Hidden)
	}
	if lr32 := float32(e.LR); !(e.LR >= 0) || math.IsInf(float64(lr32), 0) || (e.LR > 0 && lr32 == 0) {
		return fmt.Errorf("train: relax needs a learning rate LR > 0 that is finite in float32 (0 means 1e-3), got %v", e.LR)
	}
	return nil
}

// Step implements [Estimator]; temp is ignored.
func (e *Relax) Step(ctx context.Context, v *VAE, x nn.Mat, r *rand.Rand, temp float64) (Stats, error) {
	if err := checkStep(e.Name(), v, x, r); err != nil {
		return Stats{}, err
	}
	if err := e.check(); err != nil {
		return Stats{}, err
	}
	if err := e.Needs().Check(e.Name(), v.S); err != nil {
		return Stats{}, err
	}
	if err := e.prepare(v); err != nil {
		return Stats{}, err
	}
	lambda := e.Lambda
	if lambda == 0 {
		lambda = 0.5
	}
	B, n := x.Rows, v.N
	scores, err := v.Scores(x)
	if err != nil {
		return Stats{}, err
	}
	e.size(B, n)
	for b := 0; b < B; b++ {
		row := scores.Row(b)
		for i := 0; i < n; i++ {
			j := b*n + i
			a := float64(row[2*i+1]) - float64(row[2*i])
			e.th[j] = sigmoid(a)
			e.bits[j], e.z[j], e.zt[j], e.bz[j] = rebarDraw(a, r)
		}
	}
	lz, lzt := e.rb.lz[:B], e.rb.lzt[:B]
	e.rb.relaxed(v, x, e.z, lambda, lz, e.gz)
	e.rb.relaxed(v, x, e.zt, lambda, lzt, e.gzt)
	nn.ZeroGrad(v.Dec.Params())
	f, err := v.DecodeBackward(x, e.bits, nn.Mat{})
	if err != nil {
		return Stats{}, err
	}
	for b := 0; b < B; b++ {
		e.lb[b], e.lzt[b] = -float64(f[b]), -float64(lzt[b])
	}
	e.objective(B, true)
	dw := v.GradBuffer()
	for b := 0; b < B; b++ {
		ds := dw.Row(b)
		for i := 0; i < n; i++ {
			addBitGrad(ds, i, e.g[b*n+i]/float64(B))
		}
	}
	e.opt.Step()
	kl, err := v.UnaryKL(scores, dw, 1/float64(B))
	if err != nil {
		return Stats{}, err
	}
	if err := v.EncoderBackward(x, dw); err != nil {
		return Stats{}, err
	}
	return MeanStats(f, kl), nil
}

func (e *Relax) size(B, n int) {
	if cap(e.z) < B*n {
		e.z, e.zt, e.bz, e.th = make([]float64, B*n), make([]float64, B*n), make([]float64, B*n), make([]float64, B*n)
		e.gz, e.gzt, e.g, e.bits = make([]float64, B*n), make([]float64, B*n), make([]float64, B*n), make([]int, B*n)
		e.rb.sv = make([]float64, B*n)
		e.rb.lz, e.rb.lzt = make([]float32, B), make([]float32, B)
		e.lb, e.lzt = make([]float64, B), make([]float64, B)
	}
	e.z, e.zt, e.bz, e.th = e.z[:B*n], e.zt[:B*n], e.bz[:B*n], e.th[:B*n]
	e.gz, e.gzt, e.g, e.bits = e.gz[:B*n], e.gzt[:B*n], e.g[:B*n], e.bits[:B*n]
	e.rb.sv = e.rb.sv[:B*n]
}

// objective sets e.g to ĝ for the drawn noise and returns the variance
// surrogate (1/B)·Σ_b ‖ĝ_b‖²; with accumulate it also sets the parameters'
// gradients G to the surrogate's gradient with respect to η and ψ.
func (e *Relax) objective(B int, accumulate bool) float64 {
	n := e.n
	if accumulate {
		nn.ZeroGrad(e.params())
	}
	eta := float64(e.eta.W[0])
	rz, rzt := make([]float64, n), make([]float64, n) // ∇_z r at z and z̃
	total := 0.0
	for b := 0; b < B; b++ {
		o := b * n
		z, zt, bits, th, bz := e.z[o:o+n], e.zt[o:o+n], e.bits[o:o+n], e.th[o:o+n], e.bz[o:o+n]
		gz, gzt, g := e.gz[o:o+n], e.gzt[o:o+n], e.g[o:o+n]
		e.netGrad(z, rz, nil, 0)
		rt := e.netGrad(zt, rzt, nil, 0)
		adv := e.lb[b] - eta*e.lzt[b] - rt
		for i := range g {
			g[i] = adv*(float64(bits[i])-th[i]) + eta*gz[i] + rz[i] - (eta*gzt[i]+rzt[i])*bz[i]
			total += g[i] * g[i]
		}
		if !accumulate {
			continue
		}
		// d(ĝᵢ²/B) = (2ĝᵢ/B)·dĝᵢ.
		S, dEta := 0.0, 0.0
		u, ut := rz, rzt // reuse as the directions 2ĝ/B and −2ĝ⊙bz/B
		for i := range g {
			ui := 2 * g[i] / float64(B)
			S += ui * (float64(bits[i]) - th[i])
			dEta += ui * (-e.lzt[b]*(float64(bits[i])-th[i]) + gz[i] - gzt[i]*bz[i])
			u[i], ut[i] = ui, -ui*bz[i]
		}
		e.eta.G[0] += float32(dEta)
		e.netGrad(zt, nil, nil, -S) // −S·∂r(z̃)/∂ψ
		e.netGrad(z, nil, u, 0)     // ∂(uᵀ∇_z r(z))/∂ψ
		e.netGrad(zt, nil, ut, 0)   // ∂(ũᵀ∇_z r(z̃))/∂ψ
	}
	return total / float64(B)
}

// netGrad evaluates r_ψ at s = σ(z) and returns it. If gz is non-nil it
// sets gz = ∇_z r. If up ≠ 0 it adds up·∂r/∂ψ to the gradients; if dir is
// non-nil it adds ∂(dirᵀ∇_z r)/∂ψ. O(Hidden·n).
func (e *Relax) netGrad(z, gz, dir []float64, up float64) float64 {
	n, h := e.n, e.w1.Rows
	t, p := e.act[:h], e.act[h:2*h]
	r := float64(e.b2.W[0])
	for k := 0; k < h; k++ {
		a := float64(e.b1.W[k])
		wk := e.w1.W[k*n : (k+1)*n]
		pk := 0.0
		for i, zi := range z {
			s := sigmoid(zi)
			a += float64(wk[i]) * s
			if dir != nil {
				pk += float64(wk[i]) * dir[i] * s * (1 - s)
			}
		}
		t[k], p[k] = math.Tanh(a), pk
		r += float64(e.w2.W[k]) * t[k]
	}
	if gz != nil {
		clear(gz)
		for k := 0; k < h; k++ {
			c := float64(e.w2.W[k]) * (1 - t[k]*t[k])
			wk := e.w1.W[k*n : (k+1)*n]
			for i := range gz {
				gz[i] += c * float64(wk[i])
			}
		}
		for i, zi := range z {
			s := sigmoid(zi)
			gz[i] *= s * (1 - s)
		}
	}
	if up != 0 {
		e.b2.G[0] += float32(up)
		for k := 0; k < h; k++ {
			d := up * float64(e.w2.W[k]) * (1 - t[k]*t[k])
			e.w2.G[k] += float32(up * t[k])
			e.b1.G[k] += float32(d)
			gk := e.w1.G[k*n : (k+1)*n]
			for i, zi := range z {
				gk[i] += float32(d * sigmoid(zi))
			}
		}
	}
	if dir != nil {
		// Q = Σ_k w2_k (1 − t_k²) p_k, p = w1·(dir ⊙ s(1−s)).
		for k := 0; k < h; k++ {
			d1 := 1 - t[k]*t[k]
			vk := float64(e.w2.W[k])
			e.w2.G[k] += float32(d1 * p[k])
			da := vk * p[k] * (-2 * t[k] * d1) // ∂Q/∂a_k
			e.b1.G[k] += float32(da)
			gk := e.w1.G[k*n : (k+1)*n]
			for i, zi := range z {
				s := sigmoid(zi)
				gk[i] += float32(vk*d1*dir[i]*s*(1-s) + da*s)
			}
		}
	}
	return r
}
