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

// Compile-time checks: KSubset is a constrained Structure, TopK a
// Maximizer.
var (
	_ argmax.Structure   = (*argmax.KSubset)(nil)
	_ argmax.Constrained = (*argmax.KSubset)(nil)
	_ argmax.Maximizer   = (*argmax.TopK)(nil)
)

// Weight kinds shared by the constrained-structure tests.
const (
	wContinuous = iota // N(0, 3²)
	wSmallInt          // integers in −2…2: many ties
	wZero              // all zero: every feasible code ties
	wBinary            // integers in {0, 1}: ties everywhere
	wHuge              // N(0, 1) · 1e300: exercises scaling and overflow guards
	wKinds
)

// structWeights fills w according to kind.
func structWeights(rng *rand.Rand, kind int, w []float64) {
	for j := range w {
		switch kind {
		case wContinuous:
			w[j] = rng.NormFloat64() * 3
		case wSmallInt:
			w[j] = float64(rng.IntN(5) - 2)
		case wZero:
			w[j] = 0
		case wBinary:
			w[j] = float64(rng.IntN(2))
		case wHuge:
			w[j] = rng.NormFloat64() * 1e300
		}
	}
}

// exactKind reports whether every sum of weights of this kind is exact.
func exactKind(kind int) bool { return kind == wSmallInt || kind == wZero || kind == wBinary }

// unaryScore is Σᵢ w[i·K+zᵢ] written out, independent of AddFeatures: the
// score of a code of every structure in this file and its siblings
// (KSubset and SpanningTree with K = 2, Matching with K = N).
func unaryScore(k int, w []float64, z []int) float64 {
	v := 0.0
	for i, s := range z {
		v += w[i*k+s]
	}
	return v
}

// feasibleTop2 visits every code of s in odometer order and returns the
// best and second-best unaryScore among the feasible ones (−Inf when
// missing), their number, and the first best code.
func feasibleTop2(s argmax.Structure, w []float64) (best, second float64, count int, first []int) {
	n, k := s.Vars(), s.States()
	best, second = math.Inf(-1), math.Inf(-1)
	z := make([]int, n)
	for {
		if argmax.Feasible(s, z) {
			count++
			switch v := unaryScore(k, w, z); {
			case v > best:
				best, second = v, best
				first = slices.Clone(z)
			case v > second:
				second = v
			}
		}
		i := 0
		for ; i < n; i++ {
			if z[i]++; z[i] < k {
				break
			}
			z[i] = 0
		}
		if i == n {
			return best, second, count, first
		}
	}
}

// checkSolver solves w with m and with Enumerate and compares them: m's
// code must be feasible and its value equal Score of the code exactly; with
// exact sums the codes and values must be identical (ties included); with
// real weights the values must agree to rounding, and the codes too unless
// the best two codes are within rounding of each other. It returns
// whether the instance had tied maxima.
func checkSolver(t *testing.T, label string, s argmax.Structure, m argmax.Maximizer, kind int, w []float64) (tie bool) {
	t.Helper()
	n := s.Vars()
	zm := make([]int, n+1) // one spare element: must stay untouched
	zm[n] = -7
	ze := make([]int, n)
	vm, err := m.Maximize(w, zm)
	if err != nil {
		t.Fatalf("%s, %s, kind %d: Maximize: %v\nw = %v", label, s.Name(), kind, err, w)
	}
	if zm[n] != -7 {
		t.Fatalf("%s, %s: Maximize wrote past z[:N]", label, s.Name())
	}
	zm = zm[:n]
	ve, err := argmax.Enumerate(s, w, ze)
	if err != nil {
		t.Fatalf("%s, %s: Enumerate: %v", label, s.Name(), err)
	}
	if !argmax.Feasible(s, zm) {
		t.Fatalf("%s, %s, kind %d: solver returned infeasible z = %v\nw = %v", label, s.Name(), kind, zm, w)
	}
	if sc := mustScore(t, s, w, zm); sc != vm {
		t.Fatalf("%s, %s, kind %d: solver returned %v for z = %v, whose Score is %v", label, s.Name(), kind, vm, zm, sc)
	}
	best, second, _, first := feasibleTop2(s, w)
	if !slices.Equal(first, ze) {
		t.Fatalf("%s, %s: Enumerate z = %v, the reference's first maximizer %v", label, s.Name(), ze, first)
	}
	if exactKind(kind) {
		if vm != ve || !slices.Equal(zm, ze) {
			t.Fatalf("%s, %s, kind %d (exact sums): solver z = %v value %v, Enumerate z = %v value %v\nw = %v", label, s.Name(), kind, zm, vm, ze, ve, w)
		}
		return best == second
	}
	scale := 0.0
	for _, x := range w {
		scale = math.Max(scale, math.Abs(x))
	}
	tol := 1e-12 * scale * float64(2*n+2)
	if math.Abs(vm-ve) > tol {
		t.Fatalf("%s, %s, kind %d: solver value %v (z = %v), Enumerate %v (z = %v)", label, s.Name(), kind, vm, zm, ve, ze)
	}
	if best-second > tol && !slices.Equal(zm, ze) {
		t.Fatalf("%s, %s, kind %d: unique maximum (gap %g) but solver z = %v, Enumerate z = %v", label, s.Name(), kind, best-second, zm, ze)
	}
	return false
}

func mustKSubset(t testing.TB, n, k int) *argmax.KSubset {
	t.Helper()
	s, err := argmax.NewKSubset(n, k)
	if err != nil {
		t.Fatalf("NewKSubset(%d, %d): %v", n, k, err)
	}
	return s
}

func mustSolver(t testing.TB, s argmax.Structure, name string) argmax.Maximizer {
	t.Helper()
	m, err := s.NewSolver(name)
	if err != nil {
		t.Fatalf("%s: NewSolver(%s): %v", s.Name(), name, err)
	}
	return m
}

func binomial(n, k int) int {
	c := 1
	for i := 0; i < k; i++ {
		c = c * (n - i) / (i + 1)
	}
	return c
}

// TestTopKMatchesEnumerate solves 2,000 (-short: 500) random k-subset
// instances (n = 1…10, every k from 0 to n) with TopK, one solver per
// shape reused across instances, and compares with Enumerate (see
// checkSolver). Feasible must admit exactly C(n, k) codes.
func TestTopKMatchesEnumerate(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 1))
	trials := 2000
	if testing.Short() {
		trials = 500
	}
	solvers := map[[2]int]argmax.Maximizer{}
	ties := 0
	for trial := 0; trial < trials; trial++ {
		n := 1 + rng.IntN(10)
		k := rng.IntN(n + 1)
		kind := trial % wKinds
		s := mustKSubset(t, n, k)
		m := solvers[[2]int{n, k}]
		if m == nil {
			m = mustSolver(t, s, "topk")
			solvers[[2]int{n, k}] = m
		}
		w := make([]float64, s.Dim())
		structWeights(rng, kind, w)
		if checkSolver(t, fmt.Sprintf("trial %d", trial), s, m, kind, w) {
			ties++
		}
		if trial < 200 {
			if _, _, count, _ := feasibleTop2(s, w); count != binomial(n, k) {
				t.Fatalf("%s: %d feasible codes, want C(%d, %d) = %d", s.Name(), count, n, k, binomial(n, k))
			}
		}
	}
	if ties < trials/5 {
		t.Errorf("only %d of %d instances had tied maxima; the tie-breaking test is too weak", ties, trials)
	}
}

// TestTopKLarge compares TopK with a full sort by (gain desc, index asc)
// on large instances, where quickselect runs many rounds: continuous
// gains, heavy ties, and already sorted or reversed gains.
func TestTopKLarge(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 2))
	for trial := 0; trial < 60; trial++ {
		n := []int{50, 999, 5000}[trial%3]
		k := rng.IntN(n + 1)
		s := mustKSubset(t, n, k)
		m := mustSolver(t, s, "topk")
		w := make([]float64, 2*n)
		switch trial % 4 {
		case 0:
			structWeights(rng, wContinuous, w)
		case 1:
			structWeights(rng, wSmallInt, w)
		case 2: // increasing gains
			for i := 0; i < n; i++ {
				w[2*i+1] = float64(i)
			}
		case 3: // decreasing gains in blocks of equal value
			for i := 0; i < n; i++ {
				w[2*i+1] = float64(-i / 7)
			}
		}
		order := make([]int, n)
		for i := range order {
			order[i] = i
		}
		gain := func(i int) float64 { return w[2*i+1] - w[2*i] }
		slices.SortFunc(order, func(a, b int) int {
			switch ga, gb := gain(a), gain(b); {
			case ga > gb:
				return -1
			case ga < gb:
				return 1
			}
			return a - b
		})
		want := make([]int, n)
		for _, i := range order[:k] {
			want[i] = 1
		}
		z := make([]int, n)
		for rep := 0; rep < 2; rep++ { // the pivots differ between calls
			v, err := m.Maximize(w, z)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(z, want) {
				t.Fatalf("trial %d (%s, pattern %d, call %d): TopK differs from sorting", trial, s.Name(), trial%4, rep)
			}
			if sc := mustScore(t, s, w, z); sc != v {
				t.Fatalf("trial %d: value %v, Score %v", trial, v, sc)
			}
		}
	}
}

// TestTopKDegenerate: k = 0 and k = n have one code; n = 1; all-zero
// weights choose the first k items (Enumerate's first code).
func TestTopKDegenerate(t *testing.T) {
	w := []float64{5, -1, 2, 7, 0, 3} // gains −6, 5, 3
	for _, tc := range []struct {
		n, k  int
		want  []int
		value float64
	}{
		{3, 0, []int{0, 0, 0}, 5 + 2 + 0},
		{3, 3, []int{1, 1, 1}, -1 + 7 + 3},
		{3, 1, []int{0, 1, 0}, 5 + 7 + 0},
		{3, 2, []int{0, 1, 1}, 5 + 7 + 3},
	} {
		s := mustKSubset(t, tc.n, tc.k)
		z := []int{9, 9, 9}
		v, err := mustSolver(t, s, "topk").Maximize(w, z)
		if err != nil || v != tc.value || !slices.Equal(z, tc.want) {
			t.Errorf("%s: z = %v value %v err %v; want %v, %v", s.Name(), z, v, err, tc.want, tc.value)
		}
	}
	for k := 0; k <= 1; k++ {
		s := mustKSubset(t, 1, k)
		z := []int{9}
		v, err := mustSolver(t, s, "topk").Maximize([]float64{1.5, -2}, z)
		if err != nil || z[0] != k || v != []float64{1.5, -2}[k] {
			t.Errorf("%s: z = %v value %v err %v", s.Name(), z, v, err)
		}
	}
	for n := 1; n <= 8; n++ {
		for k := 0; k <= n; k++ {
			s := mustKSubset(t, n, k)
			z := make([]int, n)
			if _, err := mustSolver(t, s, "topk").Maximize(make([]float64, 2*n), z); err != nil {
				t.Fatal(err)
			}
			for i, b := range z {
				if b != btoi(i < k) {
					t.Fatalf("%s, zero weights: z = %v, want the first %d items", s.Name(), z, k)
				}
			}
		}
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestKSubsetFeasible checks Feasible on codes in and out of the set.
func TestKSubsetFeasible(t *testing.T) {
	s := mustKSubset(t, 4, 2)
	for _, tc := range []struct {
		z    []int
		want bool
	}{
		{[]int{1, 1, 0, 0}, true},
		{[]int{0, 1, 0, 1}, true},
		{[]int{0, 1, 0, 1, 1}, true}, // only z[:N] counts
		{[]int{1, 1, 1, 0}, false},
		{[]int{0, 0, 0, 0}, false},
		{[]int{2, 0, 0, 0}, false}, // one "2" is not two ones
		{[]int{1, -1, 1, 1}, false},
		{[]int{1, 1, 0}, false}, // short
	} {
		if got := s.Feasible(tc.z); got != tc.want {
			t.Errorf("Feasible(%v) = %v, want %v", tc.z, got, tc.want)
		}
	}
	if !mustKSubset(t, 3, 0).Feasible([]int{0, 0, 0}) || !mustKSubset(t, 3, 3).Feasible([]int{1, 1, 1}) {
		t.Error("k = 0 or k = n: the single code is not feasible")
	}
	if a := testing.AllocsPerRun(100, func() { s.Feasible([]int{1, 1, 0, 0}) }); a != 0 {
		t.Errorf("Feasible allocates %v times", a)
	}
}

// TestKSubsetFeatures: AddFeatures changes dst[2i+zᵢ] by scale and nothing
// else, and Score is the explicit sum.
func TestKSubsetFeatures(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 3))
	s := mustKSubset(t, 7, 3)
	z := []int{0, 1, 1, 0, 0, 1, 0}
	base := make([]float32, s.Dim())
	for j := range base {
		base[j] = float32(j)
	}
	dst := slices.Clone(base)
	s.AddFeatures(z, -1.5, dst)
	for j := range dst {
		want := float32(0)
		if j%2 == z[j/2] {
			want = -1.5
		}
		if d := dst[j] - base[j]; d != want {
			t.Errorf("dst[%d] changed by %v, want %v", j, d, want)
		}
	}
	w := make([]float64, s.Dim())
	structWeights(rng, wContinuous, w)
	if a, b := mustScore(t, s, w, z), unaryScore(2, w, z); a != b {
		t.Errorf("Score %v, explicit %v", a, b)
	}
}

// TestKSubsetStructure checks the descriptive methods and the solvers.
func TestKSubsetStructure(t *testing.T) {
	s := mustKSubset(t, 20, 10)
	if s.Name() != "10-of-20 subset" || s.Vars() != 20 || s.States() != 2 || s.Dim() != 40 || argmax.Unary(s) != 40 {
		t.Errorf("Name %q Vars %d States %d Dim %d", s.Name(), s.Vars(), s.States(), s.Dim())
	}
	signs := s.Signs()
	if len(signs) != 40 || slices.ContainsFunc(signs, func(g argmax.Sign) bool { return g != argmax.AnySign }) {
		t.Errorf("Signs = %v", signs)
	}
	if got := s.Solvers(); !slices.Equal(got, []string{"topk", "exhaustive"}) {
		t.Errorf("Solvers = %v", got)
	}
	name, m, err := argmax.Fastest(s)
	if _, ok := m.(*argmax.TopK); err != nil || name != "topk" || !ok {
		t.Errorf("Fastest = %q, %T, %v", name, m, err)
	}
	for _, name := range []string{"", "viterbi", "hungarian", "TopK"} {
		_, err := s.NewSolver(name)
		if err == nil || !strings.Contains(err.Error(), "topk") || !strings.Contains(err.Error(), "exhaustive") {
			t.Errorf("NewSolver(%q): %v, want an error naming topk and exhaustive", name, err)
		}
	}
	// The exhaustive solver is Enumerate, with its limit.
	small := mustKSubset(t, 6, 2)
	w := make([]float64, small.Dim())
	structWeights(rand.New(rand.NewPCG(9, 4)), wSmallInt, w)
	z1, z2 := make([]int, 6), make([]int, 6)
	v1, err1 := mustSolver(t, small, "exhaustive").Maximize(w, z1)
	v2, err2 := argmax.Enumerate(small, w, z2)
	if err1 != nil || err2 != nil || v1 != v2 || !slices.Equal(z1, z2) {
		t.Errorf("exhaustive %v %v %v, Enumerate %v %v %v", z1, v1, err1, z2, v2, err2)
	}
	big := mustKSubset(t, 23, 5)
	checkNotEnumerable(t, big, "topk")
}

// TestNewKSubsetErrors: shapes that are not k-subsets.
func TestNewKSubsetErrors(t *testing.T) {
	for _, tc := range [][2]int{{0, 0}, {-1, 0}, {3, -1}, {3, 4}, {math.MaxInt/2 + 1, 1}, {math.MaxInt, 3}} {
		s, err := argmax.NewKSubset(tc[0], tc[1])
		if s != nil || !errors.Is(err, argmax.ErrShape) {
			t.Errorf("NewKSubset(%d, %d) = %v, %v; want ErrShape", tc[0], tc[1], s, err)
		}
		lit := &argmax.KSubset{N: tc[0], K: tc[1]}
		if _, err := lit.NewSolver("topk"); !errors.Is(err, argmax.ErrShape) {
			t.Errorf("KSubset{%d, %d}.NewSolver: %v, want ErrShape", tc[0], tc[1], err)
		}
		if _, err := argmax.NewTopK(lit); !errors.Is(err, argmax.ErrShape) {
			t.Errorf("NewTopK(KSubset{%d, %d}): %v, want ErrShape", tc[0], tc[1], err)
		}
	}
	if _, err := argmax.NewKSubset(math.MaxInt/2, 7); err != nil {
		t.Errorf("largest N: %v", err)
	}
	var nilS *argmax.KSubset
	if err := nilS.Validate(); !errors.Is(err, argmax.ErrShape) {
		t.Errorf("nil Validate: %v", err)
	}
}

// TestTopKMaximizeErrors: lengths, non-finite scores named by coordinate,
// overflowing gains and values; the solver is usable afterwards.
func TestTopKMaximizeErrors(t *testing.T) {
	s := mustKSubset(t, 3, 1)
	m := mustSolver(t, s, "topk")
	z := make([]int, 3)
	for _, l := range []int{0, 5, 7} {
		if _, err := m.Maximize(make([]float64, l), z); !errors.Is(err, argmax.ErrShape) {
			t.Errorf("len(w) = %d: %v, want ErrShape", l, err)
		}
	}
	if _, err := m.Maximize(make([]float64, 6), make([]int, 2)); !errors.Is(err, argmax.ErrShape) {
		t.Errorf("len(z) = 2: %v, want ErrShape", err)
	}
	for _, tc := range []struct {
		j    int
		x    float64
		desc string
	}{
		{0, math.NaN(), "w[0] = NaN (score of item 0 left out)"},
		{3, math.Inf(1), "w[3] = +Inf (score of item 1 chosen)"},
		{5, math.Inf(-1), "w[5] = -Inf (score of item 2 chosen)"},
	} {
		for _, k := range []int{0, 1, 3} { // the trivial shapes check too
			w := make([]float64, 6)
			w[tc.j] = tc.x
			_, err := mustSolver(t, mustKSubset(t, 3, k), "topk").Maximize(w, z)
			if !errors.Is(err, argmax.ErrNotFinite) || !strings.Contains(err.Error(), tc.desc) {
				t.Errorf("k = %d, w[%d] = %v: %v, want ErrNotFinite with %q", k, tc.j, tc.x, err, tc.desc)
			}
		}
	}
	// A gain that overflows would rank wrongly: refused.
	const big = math.MaxFloat64
	w := []float64{-0.9 * big, big, -big, big, 0, 0}
	if _, err := m.Maximize(w, z); !errors.Is(err, argmax.ErrNotFinite) || !strings.Contains(err.Error(), "gain of item 0") {
		t.Errorf("overflowing gain: %v, want ErrNotFinite naming item 0's gain", err)
	}
	// A maximum that overflows: refused.
	w = []float64{big, big, big, big, 0, 0}
	if _, err := m.Maximize(w, z); !errors.Is(err, argmax.ErrNotFinite) || !strings.Contains(err.Error(), "overflows") {
		t.Errorf("overflowing maximum: %v, want ErrNotFinite", err)
	}
	w = []float64{0, 1, 0, 3, 0, 2}
	if v, err := m.Maximize(w, z); err != nil || v != 3 || !slices.Equal(z, []int{0, 1, 0}) {
		t.Errorf("after errors: z = %v, value %v, err %v", z, v, err)
	}
}

// TestTopKNoAllocs: Maximize does not allocate.
func TestTopKNoAllocs(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 5))
	for _, sh := range [][2]int{{1, 1}, {20, 10}, {1000, 100}, {7, 0}, {7, 7}} {
		s := mustKSubset(t, sh[0], sh[1])
		m := mustSolver(t, s, "topk")
		w := make([]float64, s.Dim())
		structWeights(rng, wContinuous, w)
		z := make([]int, s.N)
		if a := testing.AllocsPerRun(100, func() {
			if _, err := m.Maximize(w, z); err != nil {
				panic(err)
			}
		}); a != 0 {
			t.Errorf("%s: %v allocations per Maximize, want 0", s.Name(), a)
		}
	}
}

// TestKSubsetSampling checks what the package doc says perturbed top-k
// samples, by Monte Carlo on 4 items with gains (2, 1, 0, −1): with
// Gumbel noise on the gains, the Plackett–Luce probability of the first
// two items as a set (the Gumbel-top-k trick), which is not the Gibbs
// distribution over 2-subsets (total variation 0.046); with Gumbel noise
// on every coordinate of w, neither; and for k = 1 with Gumbel noise on
// the gains, the softmax, which is Gibbs.
func TestKSubsetSampling(t *testing.T) {
	const samples = 200000
	g := []float64{2, 1, 0, -1}
	p := make([]float64, 4)
	total := 0.0
	for i, x := range g {
		p[i] = math.Exp(x)
		total += p[i]
	}
	for i := range p {
		p[i] /= total
	}
	pairs := [][2]int{}
	pl, gibbs := map[[2]int]float64{}, map[[2]int]float64{}
	zg := 0.0
	for a := 0; a < 4; a++ {
		for b := a + 1; b < 4; b++ {
			pairs = append(pairs, [2]int{a, b})
			pl[[2]int{a, b}] = p[a]*p[b]/(1-p[a]) + p[b]*p[a]/(1-p[b])
			gibbs[[2]int{a, b}] = math.Exp(g[a] + g[b])
			zg += math.Exp(g[a] + g[b])
		}
	}
	for k := range gibbs {
		gibbs[k] /= zg
	}
	tv := func(emp map[[2]int]int, ref map[[2]int]float64) float64 {
		d := 0.0
		for _, pr := range pairs {
			d += math.Abs(float64(emp[pr])/samples - ref[pr])
		}
		return d / 2
	}
	rng := rand.New(rand.NewPCG(9, 6))
	s := mustKSubset(t, 4, 2)
	m := mustSolver(t, s, "topk")
	w := make([]float64, 8)
	z := make([]int, 4)
	draw := func(onGains bool) map[[2]int]int {
		counts := map[[2]int]int{}
		for it := 0; it < samples; it++ {
			for i, x := range g {
				if onGains {
					w[2*i], w[2*i+1] = 0, x+argmax.Gumbel(rng)
				} else {
					w[2*i], w[2*i+1] = argmax.Gumbel(rng), x+argmax.Gumbel(rng)
				}
			}
			if _, err := m.Maximize(w, z); err != nil {
				t.Fatal(err)
			}
			var pr [2]int
			c := 0
			for i, b := range z {
				if b == 1 {
					pr[c] = i
					c++
				}
			}
			counts[pr]++
		}
		return counts
	}
	plGibbs := 0.0
	for _, pr := range pairs {
		plGibbs += math.Abs(pl[pr]-gibbs[pr]) / 2
	}
	onGains := draw(true)
	everywhere := draw(false)
	t.Logf("TV(Plackett–Luce, Gibbs) = %.4f; Gumbel on gains: TV to PL %.4f, to Gibbs %.4f; Gumbel on every coordinate: TV to PL %.4f, to Gibbs %.4f",
		plGibbs, tv(onGains, pl), tv(onGains, gibbs), tv(everywhere, pl), tv(everywhere, gibbs))
	if plGibbs < 0.04 {
		t.Fatalf("TV(PL, Gibbs) = %v: the example does not separate them", plGibbs)
	}
	if d := tv(onGains, pl); d > 0.006 {
		t.Errorf("Gumbel noise on the gains: TV to Plackett–Luce %.4f, want ≈ 0", d)
	}
	if d := tv(onGains, gibbs); d < 0.03 {
		t.Errorf("Gumbel noise on the gains: TV to Gibbs %.4f, want ≈ 0.046", d)
	}
	if d1, d2 := tv(everywhere, gibbs), tv(everywhere, pl); d1 < 0.02 || d2 < 0.02 {
		t.Errorf("Gumbel noise on every coordinate: TV to Gibbs %.4f, to PL %.4f; want both clearly > 0", d1, d2)
	}
	// k = 1: Gumbel-max on the gains samples the softmax, which is Gibbs.
	m1 := mustSolver(t, mustKSubset(t, 4, 1), "topk")
	counts := make([]int, 4)
	for it := 0; it < samples; it++ {
		for i, x := range g {
			w[2*i], w[2*i+1] = 0, x+argmax.Gumbel(rng)
		}
		if _, err := m1.Maximize(w, z); err != nil {
			t.Fatal(err)
		}
		counts[slices.Index(z, 1)]++
	}
	d := 0.0
	for i := range p {
		d += math.Abs(float64(counts[i])/samples-p[i]) / 2
	}
	if d > 0.006 {
		t.Errorf("k = 1, Gumbel on the gains: TV to the softmax %.4f, want ≈ 0", d)
	}
}

// Choosing 2 of 5 items: only the gains w[2i+1] − w[2i] matter, and the
// two largest (items 3 and 1) are chosen; the value adds the left-out
// scores of the others.
func ExampleKSubset() {
	s, err := argmax.NewKSubset(5, 2)
	if err != nil {
		panic(err)
	}
	w := []float64{
		0, 1, // item 0: gain 1
		0, 3, // item 1: gain 3
		1, 0, // item 2: gain −1
		-2, 2, // item 3: gain 4
		0, 2.5, // item 4: gain 2.5
	}
	topk, err := s.NewSolver("topk")
	if err != nil {
		panic(err)
	}
	z := make([]int, s.N)
	value, err := topk.Maximize(w, z)
	fmt.Println(s.Name())
	fmt.Println(z, value, err)
	// Output:
	// 2-of-5 subset
	// [0 1 0 1 0] 6 <nil>
}
