package argmax_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/argmaxvae/argmaxvae/argmax"
)

// Compile-time checks: Matching is a constrained Structure, Hungarian a
// Maximizer.
var (
	_ argmax.Structure   = (*argmax.Matching)(nil)
	_ argmax.Constrained = (*argmax.Matching)(nil)
	_ argmax.Maximizer   = (*argmax.Hungarian)(nil)
)

func mustMatching(t testing.TB, n int) *argmax.Matching {
	t.Helper()
	m, err := argmax.NewMatching(n)
	if err != nil {
		t.Fatalf("NewMatching(%d): %v", n, err)
	}
	return m
}

// TestHungarianMatchesEnumerate solves 1,200 (-short: 300) random
// assignment problems (n = 1…6) with one Hungarian solver per size and
// compares with Enumerate (see checkSolver): codes and values identical
// with exact sums, ties included. Feasible must admit exactly n! codes.
func TestHungarianMatchesEnumerate(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 1))
	trials := 1200
	if testing.Short() {
		trials = 300
	}
	solvers := map[int]argmax.Maximizer{}
	ties := 0
	for trial := 0; trial < trials; trial++ {
		n := 1 + rng.IntN(6)
		if n == 6 && trial%2 == 0 { // 6⁶ codes: half as often
			n = 1 + rng.IntN(5)
		}
		kind := trial % wKinds
		s := mustMatching(t, n)
		m := solvers[n]
		if m == nil {
			m = mustSolver(t, s, "hungarian")
			solvers[n] = m
		}
		w := make([]float64, s.Dim())
		structWeights(rng, kind, w)
		if checkSolver(t, fmt.Sprintf("trial %d", trial), s, m, kind, w) {
			ties++
		}
		if trial < 100 {
			fact := 1
			for i := 2; i <= n; i++ {
				fact *= i
			}
			if _, _, count, _ := feasibleTop2(s, w); count != fact {
				t.Fatalf("%s: %d feasible codes, want %d! = %d", s.Name(), count, n, fact)
			}
		}
	}
	if ties < trials/5 {
		t.Errorf("only %d of %d instances had tied maxima; the tie-breaking test is too weak", ties, trials)
	}
}

// assignmentDP is an independent reference for n ≤ 16: best[mask] is the
// best weight of rows 0…|mask|−1 assigned to the columns in mask, by
// dynamic programming over subsets (exact on integer weights), and the
// code is read off from the last row down, each row taking the lowest
// column that keeps the maximum — Enumerate's first maximizer.
func assignmentDP(n int, w []float64) (float64, []int) {
	full := 1<<n - 1
	best := make([]float64, full+1)
	for mask := 1; mask <= full; mask++ {
		r := popcount(mask) - 1
		best[mask] = math.Inf(-1)
		for c := 0; c < n; c++ {
			if mask>>c&1 == 1 {
				best[mask] = math.Max(best[mask], best[mask&^(1<<c)]+w[r*n+c])
			}
		}
	}
	z := make([]int, n)
	mask := full
	for r := n - 1; r >= 0; r-- {
		for c := 0; c < n; c++ {
			if mask>>c&1 == 1 && best[mask&^(1<<c)]+w[r*n+c] == best[mask] {
				z[r] = c
				mask &^= 1 << c
				break
			}
		}
	}
	return best[full], z
}

func popcount(x int) int {
	c := 0
	for ; x != 0; x &= x - 1 {
		c++
	}
	return c
}

// TestHungarianMatchesDP compares with assignmentDP at sizes beyond
// enumeration (n = 7…13): on integer weights (ties everywhere) the codes
// must be identical, so the tie-breaking pass is exercised on long
// alternating paths; on real weights the values must agree to rounding.
func TestHungarianMatchesDP(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 2))
	trials := 300
	if testing.Short() {
		trials = 60
	}
	for trial := 0; trial < trials; trial++ {
		n := 7 + rng.IntN(7)
		kind := []int{wContinuous, wSmallInt, wBinary, wZero}[trial%4]
		s := mustMatching(t, n)
		w := make([]float64, s.Dim())
		structWeights(rng, kind, w)
		if trial%8 == 5 { // many equal rows: very many optimal matchings
			for i := 1; i < n; i++ {
				copy(w[i*n:(i+1)*n], w[:n])
			}
		}
		z := make([]int, n)
		v, err := mustSolver(t, s, "hungarian").Maximize(w, z)
		if err != nil {
			t.Fatal(err)
		}
		want, wz := assignmentDP(n, w)
		if !s.Feasible(z) || mustScore(t, s, w, z) != v {
			t.Fatalf("trial %d: z = %v infeasible or value %v ≠ Score", trial, z, v)
		}
		if exactKind(kind) {
			if v != want || !slices.Equal(z, wz) {
				t.Fatalf("trial %d, %s, kind %d: Hungarian z = %v value %v, DP z = %v value %v", trial, s.Name(), kind, z, v, wz, want)
			}
		} else if math.Abs(v-want) > 1e-9 {
			t.Fatalf("trial %d, %s: Hungarian value %v, DP %v", trial, s.Name(), v, want)
		}
	}
}

// TestHungarianDegenerate: n = 1; all-zero weights give Enumerate's first
// permutation, z = (n−1, …, 1, 0); a dominant diagonal gives the
// identity; the same solver is reused across all of them.
func TestHungarianDegenerate(t *testing.T) {
	s1 := mustMatching(t, 1)
	z := []int{5}
	if v, err := mustSolver(t, s1, "hungarian").Maximize([]float64{-3.5}, z); err != nil || v != -3.5 || z[0] != 0 {
		t.Errorf("1×1: z = %v, value %v, err %v", z, v, err)
	}
	for n := 2; n <= 9; n++ {
		s := mustMatching(t, n)
		m := mustSolver(t, s, "hungarian")
		z := make([]int, n)
		if v, err := m.Maximize(make([]float64, n*n), z); err != nil || v != 0 {
			t.Fatalf("%s zero weights: %v, %v", s.Name(), v, err)
		}
		for i, j := range z {
			if j != n-1-i {
				t.Fatalf("%s zero weights: z = %v, want n−1 … 0", s.Name(), z)
			}
		}
		w := make([]float64, n*n)
		for i := 0; i < n; i++ {
			w[i*n+i] = 1
		}
		if v, err := m.Maximize(w, z); err != nil || v != float64(n) {
			t.Fatalf("%s identity: %v, %v", s.Name(), v, err)
		}
		for i, j := range z {
			if j != i {
				t.Fatalf("%s dominant diagonal: z = %v", s.Name(), z)
			}
		}
	}
}

// TestMatchingFeasible checks Feasible on permutations and non-permutations.
func TestMatchingFeasible(t *testing.T) {
	s := mustMatching(t, 4)
	for _, tc := range []struct {
		z    []int
		want bool
	}{
		{[]int{0, 1, 2, 3}, true},
		{[]int{3, 1, 0, 2}, true},
		{[]int{3, 1, 0, 2, 2}, true}, // only z[:N] counts
		{[]int{0, 1, 1, 3}, false},
		{[]int{0, 1, 2, 4}, false},
		{[]int{-1, 1, 2, 3}, false},
		{[]int{0, 1, 2}, false},
	} {
		if got := s.Feasible(tc.z); got != tc.want {
			t.Errorf("Feasible(%v) = %v, want %v", tc.z, got, tc.want)
		}
	}
	big := mustMatching(t, 300) // beyond the stack bitmap
	p := rand.New(rand.NewPCG(10, 3)).Perm(300)
	if !big.Feasible(p) {
		t.Error("300: a permutation is not feasible")
	}
	p[7] = p[8]
	if big.Feasible(p) {
		t.Error("300: a repeated column is feasible")
	}
	if a := testing.AllocsPerRun(100, func() { s.Feasible([]int{3, 1, 0, 2}) }); a != 0 {
		t.Errorf("Feasible allocates %v times", a)
	}
}

// TestMatchingFeatures: AddFeatures adds the permutation matrix.
func TestMatchingFeatures(t *testing.T) {
	s := mustMatching(t, 5)
	z := []int{2, 0, 4, 1, 3}
	dst := make([]float32, 25)
	s.AddFeatures(z, 2, dst)
	for i := 0; i < 5; i++ {
		for j := 0; j < 5; j++ {
			want := float32(0)
			if z[i] == j {
				want = 2
			}
			if dst[i*5+j] != want {
				t.Errorf("φ[%d][%d] = %v, want %v", i, j, dst[i*5+j], want)
			}
		}
	}
	w := make([]float64, 25)
	structWeights(rand.New(rand.NewPCG(10, 4)), wContinuous, w)
	if a, b := mustScore(t, s, w, z), unaryScore(5, w, z); a != b {
		t.Errorf("Score %v, explicit %v", a, b)
	}
}

// TestMatchingStructure checks the descriptive methods and the solvers.
func TestMatchingStructure(t *testing.T) {
	s := mustMatching(t, 6)
	if s.Name() != "6×6 matching" || s.Vars() != 6 || s.States() != 6 || s.Dim() != 36 || argmax.Unary(s) != 36 {
		t.Errorf("Name %q Vars %d States %d Dim %d", s.Name(), s.Vars(), s.States(), s.Dim())
	}
	signs := s.Signs()
	if len(signs) != 36 || slices.ContainsFunc(signs, func(g argmax.Sign) bool { return g != argmax.AnySign }) {
		t.Errorf("Signs = %v", signs)
	}
	if got := s.Solvers(); !slices.Equal(got, []string{"hungarian", "exhaustive"}) {
		t.Errorf("Solvers = %v", got)
	}
	name, m, err := argmax.Fastest(s)
	if _, ok := m.(*argmax.Hungarian); err != nil || name != "hungarian" || !ok {
		t.Errorf("Fastest = %q, %T, %v", name, m, err)
	}
	for _, name := range []string{"", "topk", "kruskal", "Hungarian"} {
		_, err := s.NewSolver(name)
		if err == nil || !strings.Contains(err.Error(), "hungarian") || !strings.Contains(err.Error(), "exhaustive") {
			t.Errorf("NewSolver(%q): %v, want an error naming hungarian and exhaustive", name, err)
		}
	}
	small := mustMatching(t, 4)
	w := make([]float64, 16)
	structWeights(rand.New(rand.NewPCG(10, 5)), wBinary, w)
	z1, z2 := make([]int, 4), make([]int, 4)
	v1, err1 := mustSolver(t, small, "exhaustive").Maximize(w, z1)
	v2, err2 := argmax.Enumerate(small, w, z2)
	if err1 != nil || err2 != nil || v1 != v2 || !slices.Equal(z1, z2) {
		t.Errorf("exhaustive %v %v %v, Enumerate %v %v %v", z1, v1, err1, z2, v2, err2)
	}
	big := mustMatching(t, 8) // 8⁸ codes
	checkNotEnumerable(t, big, "hungarian")
}

// TestNewMatchingErrors: sizes that are not matchings.
func TestNewMatchingErrors(t *testing.T) {
	for _, n := range []int{0, -3, 1 << 32, math.MaxInt} {
		s, err := argmax.NewMatching(n)
		if s != nil || !errors.Is(err, argmax.ErrShape) {
			t.Errorf("NewMatching(%d) = %v, %v; want ErrShape", n, s, err)
		}
		lit := &argmax.Matching{N: n}
		if _, err := lit.NewSolver("hungarian"); !errors.Is(err, argmax.ErrShape) {
			t.Errorf("Matching{%d}.NewSolver: %v, want ErrShape", n, err)
		}
		if _, err := argmax.NewHungarian(lit); !errors.Is(err, argmax.ErrShape) {
			t.Errorf("NewHungarian(Matching{%d}): %v, want ErrShape", n, err)
		}
	}
	var nilM *argmax.Matching
	if err := nilM.Validate(); !errors.Is(err, argmax.ErrShape) {
		t.Errorf("nil Validate: %v", err)
	}
}

// TestHungarianMaximizeErrors: lengths, non-finite scores named by
// coordinate, an overflowing maximum; huge weights are solved exactly.
func TestHungarianMaximizeErrors(t *testing.T) {
	s := mustMatching(t, 3)
	m := mustSolver(t, s, "hungarian")
	z := make([]int, 3)
	for _, l := range []int{0, 8, 10} {
		if _, err := m.Maximize(make([]float64, l), z); !errors.Is(err, argmax.ErrShape) {
			t.Errorf("len(w) = %d: %v, want ErrShape", l, err)
		}
	}
	if _, err := m.Maximize(make([]float64, 9), make([]int, 2)); !errors.Is(err, argmax.ErrShape) {
		t.Errorf("len(z) = 2: %v, want ErrShape", err)
	}
	for _, tc := range []struct {
		j    int
		x    float64
		desc string
	}{
		{0, math.NaN(), "w[0] = NaN (score of row 0 matched to column 0)"},
		{5, math.Inf(1), "w[5] = +Inf (score of row 1 matched to column 2)"},
		{7, math.Inf(-1), "w[7] = -Inf (score of row 2 matched to column 1)"},
	} {
		w := make([]float64, 9)
		w[tc.j] = tc.x
		if _, err := m.Maximize(w, z); !errors.Is(err, argmax.ErrNotFinite) || !strings.Contains(err.Error(), tc.desc) {
			t.Errorf("w[%d] = %v: %v, want ErrNotFinite with %q", tc.j, tc.x, err, tc.desc)
		}
	}
	const big = math.MaxFloat64
	w := make([]float64, 9)
	for j := range w {
		w[j] = big
	}
	if _, err := m.Maximize(w, z); !errors.Is(err, argmax.ErrNotFinite) || !strings.Contains(err.Error(), "overflows") {
		t.Errorf("overflowing maximum: %v, want ErrNotFinite", err)
	}
	// Weights near MaxFloat64 of mixed signs, whose maximum is finite:
	// the anti-diagonal (0.5 + 0.25 − 0.5)·M beats every other assignment.
	w = []float64{
		-big, -big, 0.5 * big,
		-big, 0.25 * big, -big,
		-0.5 * big, -big, -big,
	}
	want := w[2] + w[4] + w[6] // rounded as Score rounds it
	if v, err := m.Maximize(w, z); err != nil || !slices.Equal(z, []int{2, 1, 0}) || v != want {
		t.Errorf("huge weights: z = %v, value %g, err %v; want [2 1 0], %g", z, v, err, want)
	}
	w = []float64{0, 0, 1, 0, 1, 0, 1, 0, 0}
	if v, err := m.Maximize(w, z); err != nil || v != 3 || !slices.Equal(z, []int{2, 1, 0}) {
		t.Errorf("after errors: z = %v, value %v, err %v", z, v, err)
	}
}

// TestHungarianHugeWeights: weights up to ±MaxFloat64 whose maximum is
// finite are solved without error and agree with assignmentDP; the
// search's dual potentials would overflow without the solver's scaling.
func TestHungarianHugeWeights(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 8))
	solved := 0
	for trial := 0; trial < 5000; trial++ {
		n := 2 + rng.IntN(5)
		s := mustMatching(t, n)
		w := make([]float64, n*n)
		for j := range w {
			if rng.IntN(2) == 0 {
				w[j] = (rng.Float64()*2 - 1) * math.MaxFloat64
			} else {
				w[j] = -rng.Float64() * 0.01 * math.MaxFloat64
			}
		}
		want, _ := assignmentDP(n, w)
		if math.IsInf(want, 0) {
			continue // the maximum itself overflows
		}
		solved++
		z := make([]int, n)
		v, err := mustSolver(t, s, "hungarian").Maximize(w, z)
		if err != nil || math.Abs(v-want) > 1e-12*math.MaxFloat64 || mustScore(t, s, w, z) != v {
			t.Fatalf("trial %d, %s: z = %v, value %g, err %v; DP %g", trial, s.Name(), z, v, err, want)
		}
	}
	if solved < 1000 {
		t.Errorf("only %d instances with a finite maximum", solved)
	}
}

// TestHungarianNoAllocs: Maximize does not allocate, tie-breaking pass
// included.
func TestHungarianNoAllocs(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 6))
	for _, n := range []int{1, 6, 20, 100} {
		for _, kind := range []int{wContinuous, wZero} {
			s := mustMatching(t, n)
			m := mustSolver(t, s, "hungarian")
			w := make([]float64, s.Dim())
			structWeights(rng, kind, w)
			z := make([]int, n)
			if a := testing.AllocsPerRun(20, func() {
				if _, err := m.Maximize(w, z); err != nil {
					panic(err)
				}
			}); a != 0 {
				t.Errorf("%s, kind %d: %v allocations per Maximize, want 0", s.Name(), kind, a)
			}
		}
	}
}

// TestMatchingSampling checks what the Matching doc says perturb-and-MAP
// samples, on 2×2 by Monte Carlo: with scores a = 2 for the identity and
// b = 0 for the swap, Gibbs gives the identity probability σ(2) = 0.881;
// Gumbel noise on the four coordinates perturbs a − b by the sum of two
// logistic variables, which is wider, so the identity is drawn less often.
func TestMatchingSampling(t *testing.T) {
	const samples = 200000
	s := mustMatching(t, 2)
	m := mustSolver(t, s, "hungarian")
	rng := rand.New(rand.NewPCG(10, 7))
	w := make([]float64, 4)
	z := make([]int, 2)
	ident := 0
	for it := 0; it < samples; it++ {
		for j := range w {
			w[j] = argmax.Gumbel(rng)
		}
		w[0] += 1
		w[3] += 1
		if _, err := m.Maximize(w, z); err != nil {
			t.Fatal(err)
		}
		if z[0] == 0 {
			ident++
		}
	}
	got, gibbs := float64(ident)/samples, 1/(1+math.Exp(-2))
	t.Logf("identity drawn with frequency %.4f; Gibbs probability %.4f", got, gibbs)
	if gibbs-got < 0.02 {
		t.Errorf("perturb-and-MAP frequency %.4f is within 0.02 of Gibbs %.4f", got, gibbs)
	}
}

// A 3×3 assignment: workers (rows) to jobs (columns). The greedy choice
// (row 0 takes its best job, 2) forces a poor remainder; the maximum
// gives row 0 its second-best job.
func ExampleMatching() {
	s, err := argmax.NewMatching(3)
	if err != nil {
		panic(err)
	}
	w := []float64{
		4, 1, 5, // row 0
		1, 1, 6, // row 1
		2, 1, 1, // row 2
	}
	hungarian, err := s.NewSolver("hungarian")
	if err != nil {
		panic(err)
	}
	z := make([]int, s.N)
	value, err := hungarian.Maximize(w, z)
	fmt.Println(s.Name())
	fmt.Println(z, value, err)
	// Output:
	// 3×3 matching
	// [0 2 1] 11 <nil>
}
