package bench

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/argmaxvae/argmaxvae/qip"
)

// BenchmarkQPBO compares branch and bound with QPBO (+ branch and bound on
// the remainder) on general-sign models both solve (n = 64), and times
// QPBO alone beyond branch and bound's reach (n = 1000, 10000). Read the
// bnb/qpbo pairs as ratios within one run; solverbench -qpbo-crossover
// prints the full table behind the pairwise rule's thresholds.
func BenchmarkQPBO(b *testing.B) {
	structures := []struct {
		name  string
		pairs func(r *rand.Rand, n int) [][2]int
	}{
		{"chain", func(_ *rand.Rand, n int) [][2]int { return ChainPairs(n) }},
		{"grid", func(_ *rand.Rand, n int) [][2]int {
			s := int(math.Sqrt(float64(n)))
			return GridPairs(s, s)
		}},
		{"sparse-deg3", func(r *rand.Rand, n int) [][2]int { return RandomPairs(r, n, 3) }},
	}
	for _, st := range structures {
		for _, n := range []int{64, 1000, 10000} {
			ms := pool(8, func(r *rand.Rand) *argmax.Model { return Frustrated(r, n, st.pairs(r, n), 0.1, 1) })
			if n <= argmax.MaxBranchAndBoundVars {
				b.Run(fmt.Sprintf("bnb/%s-%d", st.name, n), func(b *testing.B) { benchSolve(b, &argmax.BranchAndBound{}, ms) })
			}
			b.Run(fmt.Sprintf("qpbo/%s-%d", st.name, n), func(b *testing.B) { benchSolve(b, &argmax.QPBO{}, ms) })
		}
	}
}

func TestPairs(t *testing.T) {
	if got := len(ChainPairs(5)); got != 4 {
		t.Errorf("chain of 5: %d pairs", got)
	}
	if got := len(GridPairs(3, 4)); got != 2*3*4-3-4 {
		t.Errorf("3×4 grid: %d pairs, want 17", got)
	}
	if got := len(CompletePairs(6)); got != 15 {
		t.Errorf("complete 6: %d pairs", got)
	}
	r := rand.New(rand.NewPCG(1, 1))
	ps := RandomPairs(r, 50, 3)
	seen := map[[2]int]bool{}
	for _, p := range ps {
		if p[0] >= p[1] || p[1] >= 50 || seen[p] {
			t.Fatalf("bad or repeated pair %v", p)
		}
		seen[p] = true
	}
	if len(ps) != 75 {
		t.Errorf("50 variables, degree 3: %d pairs, want 75", len(ps))
	}
	if got := len(RandomPairs(r, 4, 10)); got != 6 {
		t.Errorf("degree above n−1: %d pairs, want all 6", got)
	}
}

// TestFrustratedIsing checks the weight generators: signs by negFrac, and
// Ising's binary form equals Σ J sᵢsⱼ + Σ h sᵢ up to a constant.
func TestFrustratedIsing(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 2))
	ps := GridPairs(4, 4)
	if m := Frustrated(r, 16, ps, 0, 1); !m.Supermodular() || m.Validate() != nil {
		t.Error("negFrac 0 should be a valid supermodular model")
	}
	neg := 0
	for _, e := range Frustrated(r, 16, ps, 1, 2).Edges {
		if e.W < 0 {
			neg++
		}
	}
	if neg != len(ps) {
		t.Errorf("negFrac 1: %d of %d negative", neg, len(ps))
	}
	m := Ising(r, 16, ps, 0.5, 1)
	// Recover J and h from the model and compare the two forms on random
	// assignments: the difference must be constant.
	h := make([]float64, 16)
	for i := range h {
		h[i] = m.Unary[2*i+1] / 2
	}
	for _, e := range m.Edges {
		h[e.I] += e.W / 4
		h[e.J] += e.W / 4
	}
	spin := func(z []int) float64 {
		s := 0.0
		for _, e := range m.Edges {
			s += e.W / 4 * float64((2*z[e.I]-1)*(2*z[e.J]-1))
		}
		for i, zi := range z {
			s += h[i] * float64(2*zi-1)
		}
		return s
	}
	z := make([]int, 16)
	diff := math.NaN()
	for k := 0; k < 50; k++ {
		for i := range z {
			z[i] = r.IntN(2)
		}
		d := spin(z) - m.Score(z)
		if !math.IsNaN(diff) && math.Abs(d-diff) > 1e-9 {
			t.Fatalf("spin form − binary form not constant: %v vs %v", d, diff)
		}
		diff = d
	}
}

// TestRunSolver: RunSolver counts failures and reports QPBO's labelled
// fraction.
func TestRunSolver(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	chains := []*argmax.Model{Frustrated(r, 200, ChainPairs(200), 0.5, 1), Frustrated(r, 100, ChainPairs(100), 0.5, 1)}
	run := RunSolver(func() argmax.PairwiseSolver { return &argmax.QPBO{} }, chains)
	if run.Solved != 2 || run.Failed != 0 || run.Labelled != 1 || !(run.MedianNs > 0) {
		t.Errorf("chains: %+v, want both solved, all labelled", run)
	}
	run = RunSolver(func() argmax.PairwiseSolver { return &argmax.BranchAndBound{} }, chains)
	if run.Solved != 0 || run.Failed != 2 || run.Err == nil || !math.IsNaN(run.Labelled) {
		t.Errorf("bnb on chains above 64: %+v, want both failed", run)
	}
	if FormatLabelled(math.NaN()) != "–" || FormatLabelled(0.5) != "50.0%" {
		t.Error("FormatLabelled")
	}
}

// TestQPBOLargeRemainderMILP: on spin glasses on a 9×9 grid, roof duality
// leaves a remainder component above MaxBranchAndBoundVars; QPBO with the
// MILP solver as Large (what a grid structure's "qpbo" solver is, package
// qip registered) hands it to the MILP solver, and the result must equal
// the MILP solver's on the whole model.
func TestQPBOLargeRemainderMILP(t *testing.T) {
	grid, err := argmax.Graph(81, GridPairs(9, 9), false)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(grid.Solvers(), "qpbo") || !slices.Contains(grid.Solvers(), "milp") {
		t.Fatalf("9×9 grid: Solvers() = %v, want qpbo and milp", grid.Solvers())
	}
	f := func() argmax.PairwiseSolver { return &argmax.QPBO{Large: qip.New()} }
	r := rand.New(rand.NewPCG(4, 4))
	big := 0
	for k := 0; k < 3; k++ {
		m := Ising(r, 81, GridPairs(9, 9), 0.5, 1)
		q := f()
		z := make([]int, m.N)
		got, err := q.Solve(m, z)
		if err != nil {
			t.Fatal(err)
		}
		if qp := q.(*argmax.QPBO); m.N-qp.Labelled() > argmax.MaxBranchAndBoundVars {
			big++
		}
		want, err := qip.New().Solve(m, make([]int, m.N))
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got-want) > 1e-6*math.Max(1, math.Abs(want)) || math.Abs(m.Score(z)-got) > 1e-9 {
			t.Errorf("model %d: QPBO+MILP %v (z scores %v), MILP %v", k, got, m.Score(z), want)
		}
	}
	if big == 0 {
		t.Error("no model left a remainder above MaxBranchAndBoundVars: the test does not reach the MILP fallback")
	}
}

// TestQPBOPast64VsMILP: beyond branch and bound's reach, QPBO alone
// (roof duality, then bnb on the small remainder) must agree with the MILP
// solver on the whole model: 10×10 grids and random degree-3 graphs on 100
// variables, half the pair weights negative.
func TestQPBOPast64VsMILP(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	var q argmax.QPBO
	for k := 0; k < 4; k++ {
		pairs := GridPairs(10, 10)
		if k%2 == 1 {
			pairs = RandomPairs(r, 100, 3)
		}
		m := Frustrated(r, 100, pairs, 0.5, 1)
		z := make([]int, m.N)
		got, err := q.Solve(m, z)
		if err != nil {
			t.Fatal(err)
		}
		want, err := qip.New().Solve(m, make([]int, m.N))
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got-want) > 1e-6*math.Max(1, math.Abs(want)) || math.Abs(m.Score(z)-got) > 1e-9 {
			t.Errorf("model %d: QPBO %v (z scores %v, %d labelled), MILP %v", k, got, m.Score(z), q.Labelled(), want)
		}
	}
}
