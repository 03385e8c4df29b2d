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

// Compile-time checks: Chain is a Structure, Viterbi a Maximizer.
var (
	_ argmax.Structure = (*argmax.Chain)(nil)
	_ argmax.Maximizer = (*argmax.Viterbi)(nil)
)

func mustChain(t testing.TB, n, k int) *argmax.Chain {
	t.Helper()
	c, err := argmax.NewChain(n, k)
	if err != nil {
		t.Fatalf("NewChain(%d, %d): %v", n, k, err)
	}
	return c
}

func mustViterbi(t testing.TB, c *argmax.Chain) argmax.Maximizer {
	t.Helper()
	m, err := c.NewSolver("viterbi")
	if err != nil {
		t.Fatalf("%s: NewSolver(viterbi): %v", c.Name(), err)
	}
	return m
}

// chainScore is h(z) written out from the definition, independent of
// AddFeatures: Σᵢ unary(i, zᵢ) + Σ_t transition(t, z_t, z_{t+1}).
func chainScore(n, k int, w []float64, z []int) float64 {
	v := 0.0
	for i := 0; i < n; i++ {
		v += w[i*k+z[i]]
	}
	for t := 0; t+1 < n; t++ {
		v += w[n*k+t*k*k+z[t]*k+z[t+1]]
	}
	return v
}

// chainTop2 enumerates every code with chainScore and returns the best and
// second-best values (−Inf when there is one code).
func chainTop2(n, k int, w []float64) (best, second float64) {
	best, second = math.Inf(-1), math.Inf(-1)
	z := make([]int, n)
	for {
		v := chainScore(n, k, w, z)
		if v > best {
			best, second = v, best
		} else if v > second {
			second = v
		}
		i := 0
		for ; i < n; i++ {
			if z[i]++; z[i] < k {
				break
			}
			z[i] = 0
		}
		if i == n {
			return best, second
		}
	}
}

// chainWeights fills w according to kind: 0 continuous, 1 small integers
// (many ties), 2 all zero, 3 continuous with magnitudes near 1e306, 4
// integers in {0, 1} (ties everywhere).
func chainWeights(rng *rand.Rand, kind int, w []float64) {
	for j := range w {
		switch kind {
		case 0:
			w[j] = rng.NormFloat64() * 3
		case 1:
			w[j] = float64(rng.IntN(5) - 2)
		case 2:
			w[j] = 0
		case 3:
			w[j] = rng.NormFloat64() * 1e306
		case 4:
			w[j] = float64(rng.IntN(2))
		}
	}
}

// TestChainViterbiMatchesEnumerate solves 2,000 (-short: 400) random chains (n = 1…7,
// K = 2…5) with Viterbi and Enumerate. With exact arithmetic (integer or
// zero weights) the codes and values must be identical, ties included;
// with real weights the values must agree, and so must the codes unless
// the best two codes are within rounding of each other. Viterbi's value
// must equal Score of its code exactly.
func TestChainViterbiMatchesEnumerate(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 2))
	trials := 2000 // about 2 s of CPU, mostly Enumerate
	if testing.Short() {
		trials = 400
	}
	ties := 0
	for trial := 0; trial < trials; trial++ {
		n, k := 1+rng.IntN(7), 2+rng.IntN(4)
		// Enumerate's cost is K^N·Dim: keep every shape but run the three
		// largest (≥ 15,625 codes) less often, and 5^7 rarely.
		if codes := math.Pow(float64(k), float64(n)); codes > 70000 && trial%16 != 0 || codes > 15000 && trial%4 != 0 {
			n--
		}
		kind := trial % 5
		c := mustChain(t, n, k)
		w := make([]float64, c.Dim())
		chainWeights(rng, kind, w)
		vit := mustViterbi(t, c)
		zv := make([]int, n)
		ze := make([]int, n)
		vv, err := vit.Maximize(w, zv)
		if err != nil {
			t.Fatalf("trial %d, %s, kind %d: Viterbi: %v", trial, c.Name(), kind, err)
		}
		ve, err := argmax.Enumerate(c, w, ze)
		if err != nil {
			t.Fatalf("trial %d, %s: Enumerate: %v", trial, c.Name(), err)
		}
		if s := mustScore(t, c, w, zv); s != vv {
			t.Fatalf("trial %d, %s, kind %d: Viterbi returned %v for z = %v, whose Score is %v", trial, c.Name(), kind, vv, zv, s)
		}
		for i, s := range zv {
			if s < 0 || s >= k {
				t.Fatalf("trial %d, %s: z[%d] = %d out of range", trial, c.Name(), i, s)
			}
		}
		exact := kind == 1 || kind == 2 || kind == 4
		if exact {
			if vv != ve || !slices.Equal(zv, ze) {
				t.Fatalf("trial %d, %s, kind %d (exact sums): Viterbi z = %v value %v, Enumerate z = %v value %v\nw = %v", trial, c.Name(), kind, zv, vv, ze, ve, w)
			}
			if best, second := chainTop2(n, k, w); best == second {
				ties++
			}
			continue
		}
		scale := 3.0
		if kind == 3 {
			scale = 1e306
		}
		tol := 1e-12 * scale * float64(2*n)
		if math.Abs(vv-ve) > tol {
			t.Fatalf("trial %d, %s, kind %d: Viterbi value %v, Enumerate %v", trial, c.Name(), kind, vv, ve)
		}
		if best, second := chainTop2(n, k, w); best-second > tol && !slices.Equal(zv, ze) {
			t.Fatalf("trial %d, %s, kind %d: unique maximum (gap %g) but Viterbi z = %v, Enumerate z = %v", trial, c.Name(), kind, best-second, zv, ze)
		}
	}
	if ties < trials/10 {
		t.Errorf("only %d of %d instances had tied maxima; the tie-breaking test is too weak", ties, trials)
	}
}

// TestChainOneVariable: n = 1 has no transitions (Dim = K) and is the
// categorical arg max, lowest state on ties.
func TestChainOneVariable(t *testing.T) {
	for k := 2; k <= 6; k++ {
		c := mustChain(t, 1, k)
		if c.Dim() != k {
			t.Fatalf("%s: Dim = %d, want %d", c.Name(), c.Dim(), k)
		}
		w := make([]float64, k)
		for s := range w {
			w[s] = float64(s % 3) // 0 1 2 0 1 2: the first 2 wins when K ≥ 3
		}
		want := min(k-1, 2)
		z := []int{-1}
		v, err := mustViterbi(t, c).Maximize(w, z)
		if err != nil || z[0] != want || v != float64(want) {
			t.Fatalf("%s: z = %v, value %v, err %v; want z = [%d]", c.Name(), z, v, err, want)
		}
	}
}

// TestChainLayout pins the transition layout: a large score at
// t·K² + a·K + b must make z_t = a and z_{t+1} = b (not the transpose).
func TestChainLayout(t *testing.T) {
	const n, k = 4, 3
	c := mustChain(t, n, k)
	vit := mustViterbi(t, c)
	for tt := 0; tt < n-1; tt++ {
		for a := 0; a < k; a++ {
			for b := 0; b < k; b++ {
				w := make([]float64, c.Dim())
				j := n*k + tt*k*k + a*k + b
				if got := c.Transition(tt, a, b); got != j {
					t.Fatalf("Transition(%d, %d, %d) = %d, want %d", tt, a, b, got, j)
				}
				w[j] = 10
				z := make([]int, n)
				v, err := vit.Maximize(w, z)
				if err != nil || v != 10 || z[tt] != a || z[tt+1] != b {
					t.Fatalf("w[%d] = 10 (transition %d, %d→%d): z = %v, value %v, err %v", j, tt, a, b, z, v, err)
				}
			}
		}
	}
}

// TestChainFeatures checks AddFeatures against the definition: 2N−1
// coordinates change, each by scale, at the unary and transition indices of
// z; Score equals the explicit sum of unary and transition scores.
func TestChainFeatures(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 300; trial++ {
		n, k := 1+rng.IntN(9), 2+rng.IntN(6)
		c := mustChain(t, n, k)
		if want := n*k + (n-1)*k*k; c.Dim() != want {
			t.Fatalf("%s: Dim = %d, want %d", c.Name(), c.Dim(), want)
		}
		z := make([]int, n)
		for i := range z {
			z[i] = rng.IntN(k)
		}
		base := make([]float32, c.Dim())
		for j := range base {
			base[j] = float32(j % 7)
		}
		dst := slices.Clone(base)
		c.AddFeatures(z, 2.5, dst)
		want := map[int]bool{}
		for i, s := range z {
			want[i*k+s] = true
		}
		for tt := 0; tt+1 < n; tt++ {
			want[c.Transition(tt, z[tt], z[tt+1])] = true
		}
		if len(want) != 2*n-1 {
			t.Fatalf("%d distinct feature indices, want %d", len(want), 2*n-1)
		}
		for j := range dst {
			d := dst[j] - base[j]
			if want[j] && d != 2.5 || !want[j] && d != 0 {
				t.Fatalf("%s, z = %v: AddFeatures changed dst[%d] by %v (feature expected: %v)", c.Name(), z, j, d, want[j])
			}
		}
		w := make([]float64, c.Dim())
		for j := range w {
			w[j] = rng.NormFloat64()
		}
		if s, e := mustScore(t, c, w, z), chainScore(n, k, w, z); s != e {
			t.Fatalf("%s, z = %v: Score = %v, explicit sum = %v", c.Name(), z, s, e)
		}
	}
}

// TestChainStructure checks the descriptive methods.
func TestChainStructure(t *testing.T) {
	c := mustChain(t, 8, 4)
	if c.Name() != "chain of 8 variables with 4 states" {
		t.Errorf("Name = %q", c.Name())
	}
	if c.Vars() != 8 || c.States() != 4 || argmax.Unary(c) != 32 || c.Dim() != 32+7*16 {
		t.Errorf("Vars %d States %d Unary %d Dim %d", c.Vars(), c.States(), argmax.Unary(c), c.Dim())
	}
	signs := c.Signs()
	if len(signs) != c.Dim() {
		t.Fatalf("len(Signs) = %d, want %d", len(signs), c.Dim())
	}
	for j, s := range signs {
		if s != argmax.AnySign {
			t.Fatalf("Signs[%d] = %v, want AnySign", j, s)
		}
	}
	if got := c.Solvers(); !slices.Equal(got, []string{"viterbi", "exhaustive"}) {
		t.Errorf("Solvers = %v", got)
	}
	name, m, err := argmax.Fastest(c)
	if err != nil || name != "viterbi" {
		t.Fatalf("Fastest = %q, %v", name, err)
	}
	if _, ok := m.(*argmax.Viterbi); !ok {
		t.Errorf("Fastest returned %T, want *Viterbi", m)
	}
	if got := mustChain(t, 1, 3).Name(); got != "chain of 1 variable with 3 states" {
		t.Errorf("Name = %q", got)
	}
}

// TestChainExhaustiveSolver: the "exhaustive" solver is Enumerate, with
// its refusal of more than MaxEnumerateCodes codes.
func TestChainExhaustiveSolver(t *testing.T) {
	c := mustChain(t, 5, 3)
	ex, err := c.NewSolver("exhaustive")
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	w := make([]float64, c.Dim())
	chainWeights(rng, 1, w)
	z1, z2 := make([]int, 5), make([]int, 5)
	v1, err1 := ex.Maximize(w, z1)
	v2, err2 := argmax.Enumerate(c, w, z2)
	if err1 != nil || err2 != nil || v1 != v2 || !slices.Equal(z1, z2) {
		t.Fatalf("exhaustive solver %v %v %v, Enumerate %v %v %v", z1, v1, err1, z2, v2, err2)
	}
	big := mustChain(t, 23, 2) // 2²³ codes > MaxEnumerateCodes
	checkNotEnumerable(t, big, "viterbi")
	// Viterbi has no such limit.
	if _, err := mustViterbi(t, big).Maximize(make([]float64, big.Dim()), make([]int, big.N)); err != nil {
		t.Fatalf("Viterbi on %s: %v", big.Name(), err)
	}
}

// TestNewChainErrors: shapes that are not latents or whose Dim overflows.
func TestNewChainErrors(t *testing.T) {
	for _, tc := range []struct {
		n, k int
		msg  string
	}{
		{0, 3, "N = 0"},
		{-2, 3, "N = -2"},
		{3, 1, "K = 1"},
		{3, 0, "K = 0"},
		{3, -4, "K = -4"},
		{2, 1 << 32, "K² overflows"},
		{math.MaxInt/4 + 2, 2, "overflows int"},
		{math.MaxInt / 2, 3, "overflows int"},
		{math.MaxInt, 2, "overflows int"},
		{1 << 41, 1 << 11, "overflows int"},     // 2⁴¹·2²² = 2⁶³
		{math.MaxInt/6 + 1, 2, "overflows int"}, // Dim = 6N − 4
		{1 << 42, 1 << 11, "overflows int"},     // (N−1)·K² wraps
		{math.MaxInt / 3, 3, "overflows int"},   // N·K fits, (N−1)·K² does not
		{1<<62 + 1, 2, "overflows int"},         // (N−1)·K² wraps to 0
	} {
		c, err := argmax.NewChain(tc.n, tc.k)
		if c != nil || !errors.Is(err, argmax.ErrShape) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("NewChain(%d, %d) = %v, %v; want ErrShape mentioning %q", tc.n, tc.k, c, err, tc.msg)
		}
		lit := &argmax.Chain{N: tc.n, K: tc.k}
		if _, err := lit.NewSolver("viterbi"); !errors.Is(err, argmax.ErrShape) {
			t.Errorf("Chain{%d, %d}.NewSolver: %v, want ErrShape", tc.n, tc.k, err)
		}
		if _, err := argmax.NewViterbi(lit); !errors.Is(err, argmax.ErrShape) {
			t.Errorf("NewViterbi(Chain{%d, %d}): %v, want ErrShape", tc.n, tc.k, err)
		}
	}
	// The largest N that fits at K = 2 (Dim = 6N − 4 ≤ MaxInt) is accepted,
	// and so are 2⁴⁰ variables with 2¹¹ states (Dim ≈ 2⁶²).
	for _, sh := range [][2]int{{math.MaxInt / 6, 2}, {1 << 40, 1 << 11}} {
		if _, err := argmax.NewChain(sh[0], sh[1]); err != nil {
			t.Errorf("NewChain(%d, %d): %v", sh[0], sh[1], err)
		}
	}
}

// TestChainMaximizeErrors: lengths, non-finite scores, overflow, unknown
// solver names.
func TestChainMaximizeErrors(t *testing.T) {
	c := mustChain(t, 3, 2) // Dim = 6 + 8 = 14
	vit := mustViterbi(t, c)
	z := make([]int, 3)
	for _, l := range []int{0, 13, 15} {
		if _, err := vit.Maximize(make([]float64, l), z); !errors.Is(err, argmax.ErrShape) {
			t.Errorf("len(w) = %d: %v, want ErrShape", l, err)
		}
	}
	if _, err := vit.Maximize(make([]float64, 14), make([]int, 2)); !errors.Is(err, argmax.ErrShape) {
		t.Errorf("len(z) = 2: %v, want ErrShape", err)
	}
	for _, tc := range []struct {
		j    int
		x    float64
		desc string
	}{
		{0, math.NaN(), "w[0] = NaN (unary score of variable 0, state 0)"},
		{5, math.Inf(1), "w[5] = +Inf (unary score of variable 2, state 1)"},
		{6 + 4 + 2, math.NaN(), "w[12] = NaN (transition score z_1 = 1 → z_2 = 0)"},
		{13, math.Inf(-1), "w[13] = -Inf (transition score z_1 = 1 → z_2 = 1)"},
	} {
		w := make([]float64, 14)
		w[tc.j] = tc.x
		_, err := vit.Maximize(w, z)
		if !errors.Is(err, argmax.ErrNotFinite) || !strings.Contains(err.Error(), tc.desc) {
			t.Errorf("w[%d] = %v: %v, want ErrNotFinite with %q", tc.j, tc.x, err, tc.desc)
		}
	}
	// Finite scores whose sums overflow: refused, not answered wrongly.
	for _, x := range []float64{math.MaxFloat64, -math.MaxFloat64} {
		w := make([]float64, 14)
		for j := range w {
			w[j] = x
		}
		if _, err := vit.Maximize(w, z); !errors.Is(err, argmax.ErrNotFinite) || !strings.Contains(err.Error(), "overflows") {
			t.Errorf("all w = %v: %v, want ErrNotFinite (overflow)", x, err)
		}
	}
	// Partial sums that overflow to +Inf for every state would tie and hide
	// the maximizer (z = (·, 1), value 1.25·M, representable): refused too.
	{
		const m = math.MaxFloat64
		c2 := mustChain(t, 2, 2)
		w := []float64{0.75 * m, 0.75 * m, -0.75 * m, -0.25 * m, 0.75 * m, 0.75 * m, 0.75 * m, 0.75 * m}
		z2 := make([]int, 2)
		if v, err := mustViterbi(t, c2).Maximize(w, z2); !errors.Is(err, argmax.ErrNotFinite) {
			t.Errorf("overflowing partial sums: z = %v, value %g, err %v; want ErrNotFinite", z2, v, err)
		}
	}
	// The solver is usable again after errors.
	w := make([]float64, 14)
	w[c.Transition(1, 1, 0)] = 1
	if v, err := vit.Maximize(w, z); err != nil || v != 1 || !slices.Equal(z, []int{0, 1, 0}) {
		t.Errorf("after errors: z = %v, value %v, err %v", z, v, err)
	}
	for _, name := range []string{"", "bnb", "maxflow", "Viterbi"} {
		_, err := c.NewSolver(name)
		if err == nil || !strings.Contains(err.Error(), "viterbi") || !strings.Contains(err.Error(), "exhaustive") {
			t.Errorf("NewSolver(%q): %v, want an error naming viterbi and exhaustive", name, err)
		}
	}
}

// TestViterbiNoAllocs: after the first call, Maximize does not allocate.
func TestViterbiNoAllocs(t *testing.T) {
	for _, sh := range [][2]int{{1, 3}, {8, 4}, {32, 10}} {
		c := mustChain(t, sh[0], sh[1])
		vit := mustViterbi(t, c)
		rng := rand.New(rand.NewPCG(1, 1))
		w := make([]float64, c.Dim())
		chainWeights(rng, 0, w)
		z := make([]int, c.N)
		if _, err := vit.Maximize(w, z); err != nil {
			t.Fatal(err)
		}
		if a := testing.AllocsPerRun(100, func() {
			if _, err := vit.Maximize(w, z); err != nil {
				panic(err)
			}
		}); a != 0 {
			t.Errorf("%s: %v allocations per Maximize, want 0", c.Name(), a)
		}
	}
}

func benchChain(b *testing.B, n, k int, solver string) {
	c := mustChain(b, n, k)
	m, err := c.NewSolver(solver)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(uint64(n), uint64(k)))
	w := make([]float64, c.Dim())
	chainWeights(rng, 0, w)
	z := make([]int, n)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.Maximize(w, z); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkViterbi(b *testing.B) {
	for _, sh := range [][2]int{{8, 4}, {32, 10}, {256, 16}} {
		b.Run(fmt.Sprintf("n=%d/K=%d", sh[0], sh[1]), func(b *testing.B) { benchChain(b, sh[0], sh[1], "viterbi") })
	}
}

func BenchmarkChainEnumerate(b *testing.B) {
	b.Run("n=8/K=4", func(b *testing.B) { benchChain(b, 8, 4, "exhaustive") })
}

// Smoothing a noisy labelling: five binary variables whose unary scores
// favour the observed states 1 1 0 1 1, and transitions that reward a
// variable for keeping its predecessor's state. The arg max overrules the
// odd one out.
func ExampleChain() {
	c, err := argmax.NewChain(5, 2)
	if err != nil {
		panic(err)
	}
	w := make([]float64, c.Dim()) // 5·2 unary + 4·2·2 transition scores
	for i, s := range []int{1, 1, 0, 1, 1} {
		w[i*c.K+s] = 1
	}
	for t := 0; t < c.N-1; t++ {
		for a := 0; a < c.K; a++ {
			w[c.Transition(t, a, a)] = 1.5 // z_{t+1} = z_t
		}
	}
	vit, err := c.NewSolver("viterbi")
	if err != nil {
		panic(err)
	}
	z := make([]int, c.N)
	value, err := vit.Maximize(w, z)
	fmt.Println(c.Name())
	fmt.Println(z, value, err)
	// Output:
	// chain of 5 variables with 2 states
	// [1 1 1 1 1] 10 <nil>
}
