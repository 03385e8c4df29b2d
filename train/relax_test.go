package train

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
)

// RELAX's mean over many steps must match the enumerated gradient within
// its standard error, coordinate by coordinate, while its control variate
// (η and the network) is trained online between the steps; the same
// pattern as TestUnbiasedEstimatorsMatchExact. A second model with a
// deliberately bad control variate (η = 5) checks that unbiasedness does
// not hinge on a good c.
func TestRelaxMatchesExact(t *testing.T) {
	for _, c := range []struct {
		name string
		est  *Relax
		eta  float32
	}{{"default", &Relax{}, 1}, {"η=5, λ=2, fast", &Relax{Lambda: 2, LR: 1e-2}, 5}} {
		checkUnbiased(t, "relax "+c.name, c.est, func(v *VAE) {
			c.est.prepare(v)
			c.est.eta.W[0] = c.eta
		})
		t.Logf("relax %s: η now %.3f", c.name, c.est.eta.W[0])
	}
}

// The gradient of the variance surrogate (1/B)·Σ‖ĝ‖² with respect to η and
// the network's weights must match central finite differences at the noise
// of the last step.
func TestRelaxVarianceGradient(t *testing.T) {
	const n, B = 5, 7
	v := tinyVAE(t, 3, 10, n, 2, false, false, "")
	x := randomImages(6, B, 10)
	e := &Relax{Hidden: 6}
	r := rand.New(rand.NewPCG(1, 2))
	for s := 0; s < 3; s++ { // move ψ away from its initialisation (w2 = 0)
		if _, err := e.Step(context.Background(), v, x, r, 0); err != nil {
			t.Fatal(err)
		}
	}
	// A nonlinear, non-trivial network: every term of ∂ĝ/∂ψ matters.
	for i := range e.w2.W {
		e.w2.W[i] += float32(math.Sin(float64(i) + 1))
	}
	for i := range e.w1.W {
		e.w1.W[i] *= 3
	}
	e.objective(B, true)
	checked := 0
	for _, p := range e.params() {
		for i := range p.W {
			const hstep = 1e-2
			old := p.W[i]
			p.W[i] = old + hstep
			up := e.objective(B, false)
			p.W[i] = old - hstep
			down := e.objective(B, false)
			p.W[i] = old
			fd := (up - down) / (2 * hstep)
			if g := float64(p.G[i]); math.Abs(g-fd) > 1e-2*math.Max(1e-2, math.Abs(fd)) {
				t.Errorf("%s[%d]: gradient %.6g, finite difference %.6g", p.Name, i, g, fd)
			}
			checked++
		}
	}
	if checked != 1+6*n+6+6+1 {
		t.Fatalf("checked %d coordinates", checked)
	}
}

// The control variate's state survives SaveState/LoadState into a fresh
// estimator, under keys that do not collide with the trainer's.
func TestRelaxState(t *testing.T) {
	v := tinyVAE(t, 3, 10, 4, 2, false, false, "")
	x := randomImages(6, 5, 10)
	a := &Relax{}
	if _, err := a.Step(context.Background(), v, x, rand.New(rand.NewPCG(1, 2)), 0); err != nil {
		t.Fatal(err)
	}
	st := a.SaveState()
	keys := (&Relax{}).StateKeys()
	if len(keys) != len(st) {
		t.Fatalf("%d keys before the first step, %d saved", len(keys), len(st))
	}
	for _, k := range keys {
		if _, ok := st[k]; !ok {
			t.Fatalf("key %s not saved", k)
		}
	}
	b := &Relax{}
	if err := b.LoadState(st); err != nil {
		t.Fatal(err)
	}
	ra, rb := rand.New(rand.NewPCG(5, 5)), rand.New(rand.NewPCG(5, 5))
	sa, _ := a.Step(context.Background(), v, x, ra, 0)
	ga := append([]float32(nil), v.dscores.Data...)
	sb, _ := b.Step(context.Background(), v, x, rb, 0)
	if sa != sb {
		t.Fatalf("stats differ after loading: %+v vs %+v", sa, sb)
	}
	for i, g := range v.dscores.Data {
		if g != ga[i] {
			t.Fatalf("score gradient %d differs after loading: %v vs %v", i, g, ga[i])
		}
	}
}
