package argmax

import (
	"errors"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// exactScore is h(z) summed exactly (big.Float wide enough for any sum of
// float64s), so that overflow in the solver cannot hide in the reference.
func exactScore(m *Model, z []int) *big.Float {
	s := new(big.Float).SetPrec(4096)
	for i := 0; i < m.N; i++ {
		s.Add(s, big.NewFloat(m.Unary[i*m.K+z[i]]))
	}
	for _, e := range m.Edges {
		if z[e.I] == 1 && z[e.J] == 1 {
			s.Add(s, big.NewFloat(e.W))
		}
	}
	return s
}

// exactMax enumerates every binary code of m with exact sums.
func exactMax(m *Model) *big.Float {
	z := make([]int, m.N)
	var best *big.Float
	for code := 0; code < 1<<m.N; code++ {
		for i := range z {
			z[i] = code >> i & 1
		}
		if v := exactScore(m, z); best == nil || v.Cmp(best) > 0 {
			best = v
		}
	}
	return best
}

// TestOverflowExactOrRefused (issue 18 item 10): with finite scores near
// the largest float64, every pairwise solver either returns a code whose
// exact score is the exact maximum (to the rounding of the scores'
// scale) with a finite value, or refuses with ErrNotFinite; none returns
// ±Inf or a wrong maximum. The issue's model is refused by all.
func TestOverflowExactOrRefused(t *testing.T) {
	issue := &Model{N: 2, K: 2, Unary: []float64{-1.5e308, -1, -1.5e308, -1}, Edges: []Edge{{0, 1, -0.5}}}
	solvers := func(m *Model) map[string]PairwiseSolver {
		s := map[string]PairwiseSolver{"graycode": &GrayCode{}, "bnb": &BranchAndBound{}, "qpbo": &QPBO{}}
		if len(m.Edges) == 0 {
			s["categorical"] = Categorical{}
		}
		if m.Supermodular() {
			s["maxflow"] = &GraphCut{}
		}
		if shapeStats(m.N, m.Edges).forest {
			s["maxproduct"] = &MaxProduct{}
		}
		if f := milpFactory(); f != nil {
			s["milp"] = f()
		}
		return s
	}
	r := rand.New(rand.NewPCG(10, 308))
	models := []*Model{issue}
	for trial := 0; trial < 400; trial++ {
		n := 1 + r.IntN(7)
		scale := []float64{1e300, 1e306, 3e306, 1e307, 1e308, math.MaxFloat64}[r.IntN(6)]
		m := randomBinary(r, n, []float64{0, 0.3, 1}[r.IntN(3)], realWeights, r.IntN(2) == 0)
		for i := range m.Unary {
			m.Unary[i] = math.Max(-math.MaxFloat64, math.Min(math.MaxFloat64, m.Unary[i]*scale/3))
		}
		for e := range m.Edges {
			m.Edges[e].W = math.Max(-math.MaxFloat64, math.Min(math.MaxFloat64, m.Edges[e].W*scale/3))
		}
		models = append(models, m)
	}
	refused, solved := 0, 0
	for k, m := range models {
		want := exactMax(m)
		sum := 0.0 // the scores' scale, for the rounding tolerance
		for _, u := range m.Unary {
			sum += math.Abs(u) / 64
		}
		for _, e := range m.Edges {
			sum += math.Abs(e.W) / 64
		}
		tol := new(big.Float).SetFloat64(math.Min(sum, math.MaxFloat64/64) * 64 * 1e-12)
		for name, s := range solvers(m) {
			z := make([]int, m.N)
			v, err := s.Solve(m, z)
			if err != nil {
				if !errors.Is(err, ErrNotFinite) {
					t.Errorf("model %d (%s): %v, want ErrNotFinite or the maximum", k, name, err)
				}
				refused++
				continue
			}
			solved++
			got := exactScore(m, z)
			if math.IsInf(v, 0) || math.IsNaN(v) {
				t.Errorf("model %d (%s): value %v, code %v", k, name, v, z)
				continue
			}
			if d := new(big.Float).Sub(want, got); d.Cmp(tol) > 0 {
				t.Errorf("model %d (%s): code %v scores %v, the maximum is %v", k, name, z, got, want)
			}
			if d := new(big.Float).Sub(got, big.NewFloat(v)); d.Abs(d).Cmp(tol) > 0 {
				t.Errorf("model %d (%s): returned %v, its code %v scores %v", k, name, v, z, got)
			}
		}
		if k == 0 {
			for name, s := range solvers(m) {
				if _, err := s.Solve(m, make([]int, 2)); !errors.Is(err, ErrNotFinite) {
					t.Errorf("the issue's model (%s): %v, want ErrNotFinite", name, err)
				}
			}
		}
	}
	// Through the structure: every listed solver, the enumerator included.
	p := structureOf(issue)
	for _, name := range p.Solvers() {
		s, err := p.NewSolver(name)
		if err != nil {
			t.Fatal(err)
		}
		if v, err := s.Maximize(weightsOf(issue), make([]int, 2)); !errors.Is(err, ErrNotFinite) {
			t.Errorf("the issue's model through Pairwise (%s): %v, %v; want ErrNotFinite", name, v, err)
		}
	}
	if refused == 0 || solved == 0 {
		t.Errorf("%d refused, %d solved: the sizes should give both", refused, solved)
	}
}
