package argmax_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/argmaxvae/argmaxvae/argmax"
)

// enumFamily returns log Z(θ) and log q_θ of every feasible code of s (by
// the code's index in odometer order), by enumeration.
func enumFamily(s argmax.Structure, theta []float64) (float64, map[int]float64) {
	n, k := s.Vars(), s.States()
	w := make([]float64, s.Dim())
	copy(w, theta)
	z := make([]int, n)
	scores := map[int]float64{}
	total := 1
	for i := 0; i < n; i++ {
		total *= k
	}
	for c := 0; c < total; c++ {
		for i, r := 0, c; i < n; i, r = i+1, r/k {
			z[i] = r % k
		}
		if argmax.Feasible(s, z) {
			scores[c], _ = argmax.Score(s, w, z)
		}
	}
	m := math.Inf(-1)
	for _, v := range scores {
		m = math.Max(m, v)
	}
	sum := 0.0
	for _, v := range scores {
		sum += math.Exp(v - m)
	}
	logZ := m + math.Log(sum)
	for c, v := range scores {
		scores[c] = v - logZ
	}
	return logZ, scores
}

// codeIndex is z's index in odometer order (variable 0 fastest).
func codeIndex(z []int, k int) int {
	c := 0
	for i := len(z) - 1; i >= 0; i-- {
		c = c*k + z[i]
	}
	return c
}

// TestUnaryFamilyMatchesEnumeration checks log Z, the returned log q and
// the sampling frequencies of k-subsets, spanning trees (complete and
// sparse graphs, a bridge and a parallel edge) and products of them
// against enumeration.
func TestUnaryFamilyMatchesEnumeration(t *testing.T) {
	a, _ := argmax.NewKSubset(6, 3)
	b, _ := argmax.NewKSubset(4, 1)
	c, _ := argmax.NewKSubset(5, 5)
	prod, _ := argmax.NewProduct(b, a)
	tree4, _ := argmax.NewSpanningTree(4, argmax.CompleteGraph(4))
	tree5, _ := argmax.NewSpanningTree(5, argmax.CompleteGraph(5))
	// A sparse graph with a bridge (4–5) and a parallel edge (0–1 twice).
	sparse, _ := argmax.NewSpanningTree(6, [][2]int{{0, 1}, {1, 2}, {2, 0}, {0, 1}, {2, 3}, {3, 4}, {4, 5}, {5, 3}, {1, 3}})
	trees, _ := argmax.Repeat(tree4, 2)
	rng := rand.New(rand.NewPCG(5, 6))
	for _, s := range []argmax.Structure{a, b, c, prod, tree4, tree5, sparse, trees} {
		sm := argmax.SamplerOf(s)
		if sm == nil {
			t.Fatalf("%s: no sampler", s.Name())
		}
		theta := make([]float64, argmax.Unary(s))
		// θ = 0: log Z is the log of the number of feasible codes.
		lz, err := sm.Set(theta)
		if err != nil {
			t.Fatal(err)
		}
		if _, q := enumFamily(s, theta); math.Abs(lz-math.Log(float64(len(q)))) > 1e-12 {
			t.Fatalf("%s: log Z(0) = %v, log(#codes) = %v", s.Name(), lz, math.Log(float64(len(q))))
		}
		for j := range theta {
			theta[j] = 2 * rng.NormFloat64()
		}
		lz, err = sm.Set(theta)
		if err != nil {
			t.Fatal(err)
		}
		wantZ, logq := enumFamily(s, theta)
		if math.Abs(lz-wantZ) > 1e-10*(1+math.Abs(wantZ)) {
			t.Fatalf("%s: log Z = %v, enumeration %v", s.Name(), lz, wantZ)
		}
		const draws = 200000
		count := map[int]int{}
		z := make([]int, s.Vars())
		for d := 0; d < draws; d++ {
			lq, err := sm.Sample(rng.Float64, z)
			if err != nil {
				t.Fatal(err)
			}
			ci := codeIndex(z, s.States())
			want, ok := logq[ci]
			if !ok {
				t.Fatalf("%s: infeasible sample %v", s.Name(), z)
			}
			if math.Abs(lq-want) > 1e-10 {
				t.Fatalf("%s: log q(%v) = %v, enumeration %v", s.Name(), z, lq, want)
			}
			count[ci]++
		}
		for ci, lq := range logq {
			p := math.Exp(lq)
			got := float64(count[ci]) / draws
			if sd := math.Sqrt(p * (1 - p) / draws); math.Abs(got-p) > 5*sd+1e-9 {
				t.Fatalf("%s: code %d sampled with frequency %v, probability %v (sd %v)", s.Name(), ci, got, p, sd)
			}
		}
	}
}

// TestUnaryFamilyErrors checks Set's refusals.
func TestUnaryFamilyErrors(t *testing.T) {
	a, _ := argmax.NewKSubset(4, 2)
	sm := a.NewUnarySampler()
	if _, err := sm.Set(make([]float64, 3)); err == nil {
		t.Error("short θ accepted")
	}
	theta := make([]float64, 8)
	theta[3] = math.Inf(1)
	if _, err := sm.Set(theta); err == nil {
		t.Error("infinite θ accepted")
	}
}
