package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestGaussianBackwardMatchesFiniteDifferences checks dmu and dlogvar of
// L = Σ dz·z + Σ k_r·KL_r against central differences in float64 terms.
func TestGaussianBackwardMatchesFiniteDifferences(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const rows, c = 3, 4
	mk := func(scale float64) Mat {
		m := NewMat(rows, c)
		for i := range m.Data {
			m.Data[i] = float32(r.NormFloat64() * scale)
		}
		return m
	}
	mu, lv, noise, dz := mk(1), mk(0.7), mk(1), mk(1)
	kl := []float32{1, 0, 2.5}
	loss := func() float64 {
		z := NewMat(rows, c)
		GaussianSample(mu, lv, noise, z)
		k := make([]float64, rows)
		GaussianKL(mu, lv, k)
		var s float64
		for i := range z.Data {
			s += float64(dz.Data[i]) * float64(z.Data[i])
		}
		for i := range k {
			s += float64(kl[i]) * k[i]
		}
		return s
	}
	dmu, dlv := NewMat(rows, c), NewMat(rows, c)
	GaussianBackward(mu, lv, noise, dz, kl, dmu, dlv)
	for _, p := range []struct {
		name string
		w, g []float32
	}{{"mu", mu.Data, dmu.Data}, {"logvar", lv.Data, dlv.Data}} {
		for i := range p.w {
			const h = 1e-2
			old := p.w[i]
			p.w[i] = old + h
			up := loss()
			p.w[i] = old - h
			down := loss()
			p.w[i] = old
			num := (up - down) / (2 * h)
			if math.Abs(num-float64(p.g[i])) > 2e-3*(1+math.Abs(num)) {
				t.Errorf("d%s[%d] = %g, finite difference %g", p.name, i, p.g[i], num)
			}
		}
	}
}

// TestGaussianKLKnownValues checks the closed form on hand-computed cases:
// N(0,1) has KL 0; N(1, e) in one dimension has ½(1 + e − 1 − 1) = ½(e − 1).
func TestGaussianKLKnownValues(t *testing.T) {
	mu := Mat{Rows: 2, Cols: 1, Data: []float32{0, 1}}
	lv := Mat{Rows: 2, Cols: 1, Data: []float32{0, 1}}
	out := make([]float64, 2)
	GaussianKL(mu, lv, out)
	if out[0] != 0 || math.Abs(out[1]-0.5*(math.E-1)) > 1e-6 {
		t.Fatalf("KL = %v, want [0 %g]", out, 0.5*(math.E-1))
	}
}

// TestGaussianSampleMoments: with fixed mu and logvar the samples have that
// mean and variance (10⁵ draws, 5σ tolerance).
func TestGaussianSampleMoments(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const n = 100000
	mu, lv, noise := NewMat(n, 1), NewMat(n, 1), NewMat(n, 1)
	for i := 0; i < n; i++ {
		mu.Data[i], lv.Data[i] = 2, float32(math.Log(9))
		noise.Data[i] = float32(r.NormFloat64())
	}
	GaussianSample(mu, lv, noise, noise)
	var s, s2 float64
	for _, v := range noise.Data {
		s += float64(v)
		s2 += float64(v) * float64(v)
	}
	mean := s / n
	v := s2/n - mean*mean
	if math.Abs(mean-2) > 5*3/math.Sqrt(n) || math.Abs(v-9) > 5*9*math.Sqrt(2.0/n) {
		t.Fatalf("mean %g variance %g, want 2 and 9", mean, v)
	}
}
