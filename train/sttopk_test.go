package train

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/argmaxvae/argmaxvae/argmax"
)

// The successive-softmax relaxation sums to k, tends to the hard top-k as
// τ → 0, and its reverse pass is the exact gradient of ⟨c, ẑ(s)⟩ (central
// finite differences).
func TestSoftTopKGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	var e STTopK
	for _, tc := range []struct {
		n, k int
		tau  float64
	}{{5, 2, 1}, {8, 3, 0.5}, {20, 10, 2}, {6, 1, 0.3}, {4, 4, 1}} {
		s, c := make([]float64, tc.n), make([]float64, tc.n)
		for i := range s {
			s[i], c[i] = rng.NormFloat64(), rng.NormFloat64()
		}
		out := make([]float64, tc.n)
		softTopK(s, tc.k, tc.tau, out, nil)
		sum := 0.0
		for _, o := range out {
			sum += o
		}
		if math.Abs(sum-float64(tc.k)) > 1e-9 {
			t.Errorf("n=%d k=%d: Σ ẑ = %v", tc.n, tc.k, sum)
		}
		f := func(s []float64) float64 {
			o := make([]float64, len(s))
			softTopK(s, tc.k, tc.tau, o, nil)
			v := 0.0
			for i := range o {
				v += c[i] * o[i]
			}
			return v
		}
		grad := e.softTopKGrad(s, tc.k, tc.tau, c)
		const h = 1e-6
		for i := range s {
			sp, sm := slices.Clone(s), slices.Clone(s)
			sp[i] += h
			sm[i] -= h
			fd := (f(sp) - f(sm)) / (2 * h)
			if math.Abs(fd-grad[i]) > 1e-6*(1+math.Abs(fd)) {
				t.Errorf("n=%d k=%d τ=%v: ∂/∂s[%d] = %v, finite difference %v", tc.n, tc.k, tc.tau, i, grad[i], fd)
			}
		}
		// τ → 0: the hard top-k, for scores whose gaps (≥ 0.1) are large
		// against τ (with nearly tied scores an item is split between
		// steps and can be picked again: ẑᵢ > 1 is possible).
		for i, j := range rng.Perm(tc.n) {
			s[i] = 0.1 * float64(j)
		}
		softTopK(s, tc.k, 1e-3, out, nil)
		idx := make([]int, tc.n)
		for i := range idx {
			idx[i] = i
		}
		slices.SortFunc(idx, func(a, b int) int { return -cmpF(s[a], s[b]) })
		for r, i := range idx {
			want := 0.0
			if r < tc.k {
				want = 1
			}
			if math.Abs(out[i]-want) > 1e-6 {
				t.Errorf("n=%d k=%d: τ = 1e-3 relaxes item %d (rank %d) to %v", tc.n, tc.k, i, r, out[i])
			}
		}
	}
}

func cmpF(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// The hard code the decoder sees is the solver's top k of the gains plus
// the same Gumbel draws, and feasible; a step changes the parameters, and
// the same seed gives the same step.
func TestSTTopKStep(t *testing.T) {
	a, _ := argmax.NewKSubset(6, 3)
	p, _ := argmax.Repeat(a, 2)
	const d = 16
	X := randomImages(81, 9, d)
	run := func() ([]int, []float32, Stats) {
		v := constrainedVAE(t, p, 82, d)
		scores := must(v.Enc.Forward(X))
		sc := slices.Clone(scores.Data[:X.Rows*scores.Cols])
		var e STTopK
		st, err := e.Step(context.Background(), v, X, rand.New(rand.NewPCG(1, 2)), 0.5)
		if err != nil {
			t.Fatal(err)
		}
		// Replay the Gumbel draws: one per item, row by row.
		r := rand.New(rand.NewPCG(1, 2))
		sol, _ := p.NewSolver("topk")
		z := make([]int, v.N)
		w := make([]float64, p.Dim())
		for b := 0; b < X.Rows; b++ {
			for j := range w {
				w[j] = float64(sc[b*scores.Cols+j])
			}
			for i := 0; i < v.N; i++ {
				w[2*i+1] += argmax.Gumbel(r)
			}
			if _, err := sol.Maximize(w, z); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(z, v.zstar[b*v.N:(b+1)*v.N]) || !p.Feasible(z) {
				t.Fatalf("example %d: decoder saw %v, the solver's top k is %v", b, v.zstar[b*v.N:(b+1)*v.N], z)
			}
		}
		return slices.Clone(v.zstar[:X.Rows*v.N]), slices.Clone(v.GradBuffer().Data), st
	}
	z1, _, s1 := run()
	z2, _, s2 := run()
	if !slices.Equal(z1, z2) || s1 != s2 {
		t.Errorf("same seed: %v %v, then %v %v", z1, s1, z2, s2)
	}
	// Refusals.
	m, _ := argmax.NewMatching(3)
	v := constrainedVAE(t, m, 83, d)
	if _, err := (&STTopK{}).Step(context.Background(), v, X, rand.New(rand.NewPCG(1, 2)), 1); err == nil {
		t.Error("a matching was accepted")
	}
	if _, err := (&STTopK{}).Step(context.Background(), constrainedVAE(t, p, 84, d), X, rand.New(rand.NewPCG(1, 2)), 0); err == nil {
		t.Error("τ = 0 was accepted")
	}
}
