package argmax

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The Gumbel-Max trick: argmax(h + γ) is distributed as softmax(h). A
// chi-square goodness-of-fit test with a fixed seed; the critical value is
// for p = 0.001, so the test fails only if the sampler is wrong (or with
// probability 0.001 for this one seed, which is fixed, so never flakes).
func TestGumbelMaxMatchesSoftmax(t *testing.T) {
	h := []float64{0.5, -1, 2, 0, 1.3}
	const samples = 200000
	r := rand.New(rand.NewPCG(7, 8))
	counts := make([]int, len(h))
	scores := make([]float64, len(h))
	z := []int{0}
	m := NewCategorical(scores)
	for s := 0; s < samples; s++ {
		copy(scores, h)
		PerturbUnary(m, r)
		if _, err := (Categorical{}).Solve(m, z); err != nil {
			t.Fatal(err)
		}
		counts[z[0]]++
	}
	p := softmax(h)
	chi2 := 0.0
	for i := range h {
		e := p[i] * samples
		chi2 += (float64(counts[i]) - e) * (float64(counts[i]) - e) / e
	}
	const critical = 18.47 // χ²(4 dof), p = 0.001
	if chi2 > critical {
		t.Errorf("χ² = %.2f > %.2f: counts %v, softmax %v", chi2, critical, counts, p)
	}
}

// For a binary model without edges, perturbing both states of each bit
// gives P(zᵢ = 1) = σ(θᵢ), independently per bit.
func TestPerturbUnaryBinaryIsLogistic(t *testing.T) {
	theta := []float64{-2, 0, 0.7, 3}
	const samples = 100000
	r := rand.New(rand.NewPCG(9, 10))
	ones := make([]int, len(theta))
	z := make([]int, len(theta))
	base := NewBinary(theta, nil)
	m := &Model{N: base.N, K: 2, Unary: make([]float64, len(base.Unary))}
	for s := 0; s < samples; s++ {
		copy(m.Unary, base.Unary)
		PerturbUnary(m, r)
		Categorical{}.Solve(m, z)
		for i := range z {
			ones[i] += z[i]
		}
	}
	for i, th := range theta {
		p := 1 / (1 + math.Exp(-th))
		sd := math.Sqrt(p * (1 - p) / samples)
		if got := float64(ones[i]) / samples; math.Abs(got-p) > 4.5*sd {
			t.Errorf("bit %d: P(z=1) = %.4f, want σ(%v) = %.4f ± %.4f", i, got, th, p, sd)
		}
	}
}

func TestGumbelMoments(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	const n = 200000
	sum, sq := 0.0, 0.0
	for i := 0; i < n; i++ {
		g := Gumbel(r)
		if math.IsNaN(g) || math.IsInf(g, 0) {
			t.Fatalf("Gumbel returned %v", g)
		}
		sum += g
		sq += g * g
	}
	mean := sum / n
	variance := sq/n - mean*mean
	const euler = 0.5772156649015329
	if math.Abs(mean-euler) > 0.01 || math.Abs(variance-math.Pi*math.Pi/6) > 0.03 {
		t.Errorf("mean %.4f (want %.4f), variance %.4f (want %.4f)", mean, euler, variance, math.Pi*math.Pi/6)
	}
}

func TestGumbelSeededReproducible(t *testing.T) {
	a, b := make([]float64, 50), make([]float64, 50)
	GumbelFill(a, rand.New(rand.NewPCG(1, 1)))
	GumbelFill(b, rand.New(rand.NewPCG(1, 1)))
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("same seed, different noise at %d", i)
		}
	}
}

func softmax(h []float64) []float64 {
	mx := math.Inf(-1)
	for _, v := range h {
		mx = math.Max(mx, v)
	}
	p := make([]float64, len(h))
	s := 0.0
	for i, v := range h {
		p[i] = math.Exp(v - mx)
		s += p[i]
	}
	for i := range p {
		p[i] /= s
	}
	return p
}
