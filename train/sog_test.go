package train

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/argmaxvae/argmaxvae/argmax"
)

// Gamma draws have the mean a and variance a of Gamma(a, 1).
func TestGammaSampleMoments(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	const draws = 200000
	for _, a := range []float64{0.05, 0.1, 0.5, 1, 3.7} {
		var m, m2 float64
		for i := 0; i < draws; i++ {
			x := gammaSample(r, a)
			if !(x >= 0) {
				t.Fatalf("a = %v: draw %v", a, x)
			}
			m += x / draws
			m2 += x * x / draws
		}
		v := m2 - m*m
		// sd of the sample mean sqrt(a/draws); of the variance ≈ sqrt((μ4 − a²)/draws) with μ4 = 3a² + 6a.
		if se := math.Sqrt(a / draws); math.Abs(m-a) > 5*se {
			t.Errorf("a = %v: mean %v, want %v ± %v", a, m, a, se)
		}
		if se := math.Sqrt((2*a*a + 6*a) / draws); math.Abs(v-a) > 5*se {
			t.Errorf("a = %v: variance %v, want %v ± %v", a, v, a, se)
		}
	}
}

// A sum of k sum-of-Gamma draws has mean H_s − log s and variance
// Σ_{i≤s} 1/i² (the Gumbel's γ and π²/6 in the limit s → ∞), and one draw
// has mean (H_s − log s)/k.
func TestSumOfGammaMoments(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 24))
	hs, v2 := 0.0, 0.0
	for i := 1; i <= sogIterations; i++ {
		hs += 1 / float64(i)
		v2 += 1 / float64(i*i)
	}
	wantMean := hs - math.Log(sogIterations)
	const draws = 100000
	for _, k := range []int{1, 3, 10} {
		var m, m2, one float64
		for d := 0; d < draws; d++ {
			s := 0.0
			for j := 0; j < k; j++ {
				x := sumOfGamma(r, k)
				s += x
				if j == 0 {
					one += x / draws
				}
			}
			m += s / draws
			m2 += s * s / draws
		}
		v := m2 - m*m
		se := math.Sqrt(v2 / draws)
		t.Logf("k = %d: sum of k: mean %.4f (want %.4f), variance %.4f (want %.4f)", k, m, wantMean, v, v2)
		if math.Abs(m-wantMean) > 5*se {
			t.Errorf("k = %d: mean of the sum %v, want %v ± %v", k, m, wantMean, se)
		}
		if math.Abs(v-v2) > 0.03*v2 {
			t.Errorf("k = %d: variance of the sum %v, want %v (3%%)", k, v, v2)
		}
		if math.Abs(one-wantMean/float64(k)) > 5*math.Sqrt(v2/float64(k)/draws) {
			t.Errorf("k = %d: mean of one draw %v, want %v", k, one, wantMean/float64(k))
		}
	}
}

// I-MLE with sum-of-Gamma noise: z* is the solver's top k of the scores
// plus the replayed noise on the chosen scores, feasible, and the step is
// reproducible; non-subset latents are refused.
func TestIMLESumOfGammaStep(t *testing.T) {
	a, _ := argmax.NewKSubset(6, 2)
	b, _ := argmax.NewKSubset(5, 3)
	p, _ := argmax.NewProduct(a, b)
	const d = 16
	X := randomImages(91, 7, d)
	run := func() ([]int, Stats) {
		v := constrainedVAE(t, p, 92, d)
		scores := must(v.Enc.Forward(X))
		sc := slices.Clone(scores.Data[:X.Rows*scores.Cols])
		e := &IMLE{SumOfGamma: true}
		if e.Name() != "imle-sog" {
			t.Fatalf("name %q", e.Name())
		}
		st, err := e.Step(context.Background(), v, X, rand.New(rand.NewPCG(3, 4)), 0)
		if err != nil {
			t.Fatal(err)
		}
		r := rand.New(rand.NewPCG(3, 4))
		sol, _ := p.NewSolver("topk")
		z := make([]int, v.N)
		w := make([]float64, p.Dim())
		for row := 0; row < X.Rows; row++ {
			for j := range w {
				w[j] = float64(sc[row*scores.Cols+j])
			}
			for i := 0; i < v.N; i++ {
				k := 2
				if i >= 6 {
					k = 3
				}
				w[2*i+1] += sumOfGamma(r, k)
			}
			if _, err := sol.Maximize(w, z); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(z, v.zstar[row*v.N:(row+1)*v.N]) || !p.Feasible(z) {
				t.Fatalf("example %d: z* %v, replayed %v", row, v.zstar[row*v.N:(row+1)*v.N], z)
			}
		}
		return slices.Clone(v.zstar[:X.Rows*v.N]), st
	}
	z1, s1 := run()
	z2, s2 := run()
	if !slices.Equal(z1, z2) || s1 != s2 {
		t.Errorf("same seed: %v %v, then %v %v", z1, s1, z2, s2)
	}
	tree, _ := argmax.NewSpanningTree(4, argmax.CompleteGraph(4))
	v := constrainedVAE(t, tree, 93, d)
	if _, err := (&IMLE{SumOfGamma: true}).Step(context.Background(), v, X, rand.New(rand.NewPCG(1, 2)), 0); err == nil {
		t.Error("a spanning tree was accepted")
	}
}
