package argmax

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// bnbKinds is the number of model families bnbRandomModel draws from.
const bnbKinds = 10

// bnbRandomModel returns a random binary model on n variables of the given
// kind (0 ≤ kind < bnbKinds); about half the models also get nonzero
// Unary[2i] scores, which only shift the objective.
func bnbRandomModel(r *rand.Rand, n, kind int) *Model {
	theta := make([]float64, n)
	var edges []Edge
	pairs := func(p float64, w func() float64) {
		for i := 0; i < n; i++ {
			for j := i + 1; j < n; j++ {
				if r.Float64() < p {
					edges = append(edges, Edge{I: i, J: j, W: w()})
				}
			}
		}
	}
	ints := func(k int) float64 { return float64(r.IntN(2*k+1) - k) }
	switch kind {
	case 0: // complete graph, real N(0,1)
		for i := range theta {
			theta[i] = r.NormFloat64()
		}
		pairs(1, r.NormFloat64)
	case 1: // small integers, many ties and zeros, random density
		for i := range theta {
			theta[i] = ints(3)
		}
		p := []float64{0.3, 0.6, 1}[r.IntN(3)]
		pairs(p, func() float64 { return ints(3) })
	case 2: // no edges
		for i := range theta {
			theta[i] = ints(2) * r.Float64()
		}
	case 3: // mixed magnitudes 1e6, 1, 1e-6
		scale := func() float64 { return []float64{1e6, 1, 1e-6}[r.IntN(3)] }
		for i := range theta {
			theta[i] = scale() * r.NormFloat64()
		}
		pairs(0.7, func() float64 { return scale() * r.NormFloat64() })
	case 4: // duplicates, reversed pairs, pairs cancelling exactly
		for i := range theta {
			theta[i] = ints(4)
		}
		if n > 1 {
			for t := r.IntN(n * n); t > 0; t-- {
				i, j := r.IntN(n), r.IntN(n-1)
				if j >= i {
					j++
				}
				w := ints(3) + 0.5*float64(r.IntN(2))
				edges = append(edges, Edge{I: i, J: j, W: w})
				if r.IntN(4) == 0 {
					edges = append(edges, Edge{I: j, J: i, W: -w})
				}
			}
		}
	case 5: // sparse real, average degree about 2
		for i := range theta {
			theta[i] = r.NormFloat64()
		}
		pairs(2/float64(max(n-1, 1)), r.NormFloat64)
	case 6: // all weights negative, θ positive (independent-set like)
		for i := range theta {
			theta[i] = 1 + r.Float64()
		}
		pairs(0.5, func() float64 { return -1 - 2*r.Float64() })
	case 7: // all weights positive, θ negative (supermodular)
		for i := range theta {
			theta[i] = -r.ExpFloat64()
		}
		pairs(0.5, r.ExpFloat64)
	case 8: // tiny magnitudes only
		for i := range theta {
			theta[i] = 1e-6 * r.NormFloat64()
		}
		pairs(0.8, func() float64 { return 1e-6 * r.NormFloat64() })
	case 9: // complete graph, ±1 weights, θ = 0: max-cut like, huge ties
		pairs(1, func() float64 { return float64(2*r.IntN(2) - 1) })
	}
	m := NewBinary(theta, edges)
	if r.IntN(2) == 0 {
		for i := 0; i < n; i++ {
			off := r.NormFloat64()
			m.Unary[2*i] += off
			m.Unary[2*i+1] += off
		}
	}
	return m
}

// bnbScale is Σ|Unary| + Σ|W|, the magnitude that rounding errors scale with.
func bnbScale(m *Model) float64 {
	s := 0.0
	for _, u := range m.Unary {
		s += math.Abs(u)
	}
	for _, e := range m.Edges {
		s += math.Abs(e.W)
	}
	return s
}

// bnbCheck solves m with b and checks the value against want, the
// returned z against the value, and that z beyond N is untouched.
func bnbCheck(t *testing.T, b *BranchAndBound, m *Model, want float64, label string) []int {
	t.Helper()
	z := make([]int, m.N+2)
	z[m.N], z[m.N+1] = 7, 7
	got, err := b.Solve(m, z)
	if err != nil {
		t.Fatalf("%s: %v", label, err)
	}
	for i, zi := range z[:m.N] {
		if zi != 0 && zi != 1 {
			t.Fatalf("%s: z[%d] = %d", label, i, zi)
		}
	}
	if z[m.N] != 7 || z[m.N+1] != 7 {
		t.Fatalf("%s: wrote past z[:N]: %v", label, z[m.N:])
	}
	if s := m.Score(z); s != got {
		t.Fatalf("%s: returned %v but Score(z) = %v", label, got, s)
	}
	tol := 1e-9*math.Abs(want) + 1e-12*bnbScale(m)
	if math.Abs(got-want) > tol {
		t.Fatalf("%s: branch and bound %v (z=%v), want %v (diff %g)", label, got, z[:m.N], want, got-want)
	}
	return z[:m.N]
}

func TestBranchAndBoundMatchesExhaustive(t *testing.T) {
	r := rand.New(rand.NewPCG(2019, 1))
	var bb BranchAndBound // one solver for all sizes: exercises buffer reuse
	var ex GrayCode
	sizes := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 15}
	for _, n := range sizes {
		count := 1000
		if testing.Short() && n > 12 {
			count = 200
		}
		zx := make([]int, n)
		for k := 0; k < count; k++ {
			m := bnbRandomModel(r, n, k%bnbKinds)
			want, err := ex.Solve(m, zx)
			if err != nil {
				t.Fatal(err)
			}
			label := fmt.Sprintf("n=%d model %d (kind %d)", n, k, k%bnbKinds)
			z := append([]int(nil), bnbCheck(t, &bb, m, want, label)...)
			// Deterministic: a fresh solver gives the same assignment.
			var fresh BranchAndBound
			z2 := make([]int, n)
			if _, err := fresh.Solve(m, z2); err != nil {
				t.Fatal(err)
			}
			for i := range z {
				if z[i] != z2[i] {
					t.Fatalf("%s: reused solver gave %v, fresh one %v", label, z, z2)
				}
			}
		}
	}
}

// bnbEliminate returns max h by variable elimination (bucket elimination
// with min-degree order) over tables: an exact method independent of the
// search, feasible when the model's induced width is small. It returns
// the width reached.
func bnbEliminate(m *Model) (float64, int) {
	type factor struct {
		vars []int
		tab  []float64
	}
	var fs []factor
	total := 0.0
	for i := 0; i < m.N; i++ {
		total += m.Unary[2*i]
		fs = append(fs, factor{[]int{i}, []float64{0, m.Theta(i)}})
	}
	for _, e := range m.Edges {
		fs = append(fs, factor{[]int{e.I, e.J}, []float64{0, 0, 0, e.W}})
	}
	vals := make([]int, m.N)
	gone := make([]bool, m.N)
	width := 0
	index := func(f factor) int {
		x := 0
		for p, v := range f.vars {
			x |= vals[v] << p
		}
		return x
	}
	for step := 0; step < m.N; step++ {
		// Pick the variable whose elimination makes the smallest scope.
		best, bestScope := -1, []int(nil)
		for v := 0; v < m.N; v++ {
			if gone[v] {
				continue
			}
			in := map[int]bool{}
			for _, f := range fs {
				has := false
				for _, u := range f.vars {
					has = has || u == v
				}
				if has {
					for _, u := range f.vars {
						if u != v {
							in[u] = true
						}
					}
				}
			}
			if best < 0 || len(in) < len(bestScope) {
				best, bestScope = v, bestScope[:0]
				for u := range in {
					bestScope = append(bestScope, u)
				}
			}
		}
		v, scope := best, bestScope
		width = max(width, len(scope))
		if len(scope) > 20 {
			return math.NaN(), width
		}
		var bucket, rest []factor
		for _, f := range fs {
			has := false
			for _, u := range f.vars {
				has = has || u == v
			}
			if has {
				bucket = append(bucket, f)
			} else {
				rest = append(rest, f)
			}
		}
		nf := factor{vars: scope, tab: make([]float64, 1<<len(scope))}
		for a := range nf.tab {
			for p, u := range scope {
				vals[u] = a >> p & 1
			}
			hi := math.Inf(-1)
			for x := 0; x < 2; x++ {
				vals[v] = x
				s := 0.0
				for _, f := range bucket {
					s += f.tab[index(f)]
				}
				hi = max(hi, s)
			}
			nf.tab[a] = hi
		}
		gone[v] = true
		fs = append(rest, nf)
	}
	for _, f := range fs {
		total += f.tab[0]
	}
	return total, width
}

// bnbGridDP returns max h of a rows×cols grid model laid out as in
// bnbGridModels (variable y·cols+x, edges only between grid neighbours) by
// dynamic programming over columns, 2^rows states each.
func bnbGridDP(m *Model, rows, cols int) float64 {
	w := map[[2]int]float64{}
	for _, e := range m.Edges {
		w[[2]int{min(e.I, e.J), max(e.I, e.J)}] += e.W
	}
	v := func(y, x int) int { return y*cols + x }
	colScore := func(x, s int) float64 {
		h := 0.0
		for y := 0; y < rows; y++ {
			if s>>y&1 == 1 {
				h += m.Theta(v(y, x))
				if y+1 < rows && s>>(y+1)&1 == 1 {
					h += w[[2]int{v(y, x), v(y+1, x)}]
				}
			}
		}
		return h
	}
	S := 1 << rows
	best := make([]float64, S)
	for s := range best {
		best[s] = colScore(0, s)
	}
	for x := 1; x < cols; x++ {
		next := make([]float64, S)
		for s := 0; s < S; s++ {
			hi := math.Inf(-1)
			for p := 0; p < S; p++ {
				h := best[p]
				for y := 0; y < rows; y++ {
					if s>>y&1 == 1 && p>>y&1 == 1 {
						h += w[[2]int{v(y, x-1), v(y, x)}]
					}
				}
				hi = max(hi, h)
			}
			next[s] = hi + colScore(x, s)
		}
		best = next
	}
	total := 0.0
	for i := 0; i < m.N; i++ {
		total += m.Unary[2*i]
	}
	hi := math.Inf(-1)
	for _, b := range best {
		hi = max(hi, b)
	}
	return total + hi
}

func TestBranchAndBoundSparse40(t *testing.T) {
	var bb BranchAndBound
	for k, m := range bnbSparseModels(40, 3, 100, 11) {
		want, width := bnbEliminate(m)
		if math.IsNaN(want) {
			t.Fatalf("model %d: elimination width %d too large for the reference", k, width)
		}
		bnbCheck(t, &bb, m, want, fmt.Sprintf("sparse n=40 model %d (width %d)", k, width))
	}
	// No unary terms: only the mixed-sign couplings decide.
	for k, m := range bnbSparseModels(40, 3, 50, 14) {
		for i := 0; i < m.N; i++ {
			m.Unary[2*i+1] = 0
		}
		want, _ := bnbEliminate(m)
		bnbCheck(t, &bb, m, want, fmt.Sprintf("sparse n=40 θ=0 model %d", k))
	}
	// Many small components: a different path through Solve.
	for k, m := range bnbSparseModels(40, 1.2, 100, 12) {
		want, _ := bnbEliminate(m)
		bnbCheck(t, &bb, m, want, fmt.Sprintf("sparse n=40 deg 1.2 model %d", k))
	}
	for k, m := range bnbGridModels(5, 8, 100, 13) {
		want := bnbGridDP(m, 5, 8)
		if ve, _ := bnbEliminate(m); math.Abs(ve-want) > 1e-9*math.Max(1, math.Abs(want)) {
			t.Fatalf("grid model %d: references disagree: DP %v, elimination %v", k, want, ve)
		}
		bnbCheck(t, &bb, m, want, fmt.Sprintf("grid 5×8 model %d", k))
	}
}

func TestBranchAndBoundLargeComponents(t *testing.T) {
	var bb BranchAndBound
	// 8×8 grid: a single component of the maximum size.
	for k, m := range bnbGridModels(8, 8, 5, 21) {
		want, _ := bnbEliminate(m)
		bnbCheck(t, &bb, m, want, fmt.Sprintf("grid 8×8 model %d", k))
	}
	// 200 variables in components of 40 (five 5×8 grids side by side).
	for k, g := range bnbGridModels(5, 8, 5, 22) {
		m := &Model{N: 200, K: 2, Unary: make([]float64, 400)}
		want := 0.0
		for c := 0; c < 5; c++ {
			copy(m.Unary[80*c:], g.Unary)
			for _, e := range g.Edges {
				m.Edges = append(m.Edges, Edge{I: e.I + 40*c, J: e.J + 40*c, W: e.W})
			}
			want += bnbGridDP(g, 5, 8)
		}
		bnbCheck(t, &bb, m, want, fmt.Sprintf("five grids model %d", k))
	}
}

func TestBranchAndBoundTies(t *testing.T) {
	// With nothing to gain, every variable stays 0.
	m := NewBinary(make([]float64, 6), CompleteEdges(6))
	z := make([]int, 6)
	v, err := (&BranchAndBound{}).Solve(m, z)
	if err != nil || v != 0 {
		t.Fatalf("zero model: %v, %v", v, err)
	}
	for i, zi := range z {
		if zi != 0 {
			t.Fatalf("zero model: z[%d] = 1", i)
		}
	}
}

func TestBranchAndBoundErrors(t *testing.T) {
	ok := NewBinary([]float64{1, -1, 2}, []Edge{{0, 1, -1}, {1, 2, 3}})
	path := func(n int) *Model {
		edges := make([]Edge, n-1)
		for i := range edges {
			edges[i] = Edge{I: i, J: i + 1, W: -1}
		}
		return NewBinary(make([]float64, n), edges)
	}
	cases := []struct {
		name string
		m    *Model
		z    []int
		want error
	}{
		{"nil model", nil, make([]int, 3), ErrShape},
		{"no variables", &Model{N: 0, K: 2}, nil, ErrShape},
		{"K=3", &Model{N: 2, K: 3, Unary: make([]float64, 6)}, make([]int, 2), ErrUnsupported},
		{"short unary", &Model{N: 2, K: 2, Unary: make([]float64, 3)}, make([]int, 2), ErrShape},
		{"NaN theta", NewBinary([]float64{math.NaN(), 0}, nil), make([]int, 2), ErrNotFinite},
		{"Inf weight", NewBinary([]float64{0, 0}, []Edge{{0, 1, math.Inf(1)}}), make([]int, 2), ErrNotFinite},
		{"edge out of range", NewBinary([]float64{0, 0}, []Edge{{0, 2, 1}}), make([]int, 2), ErrEdge},
		{"self-loop", NewBinary([]float64{0, 0}, []Edge{{1, 1, 1}}), make([]int, 2), ErrEdge},
		{"short z", ok, make([]int, 2), ErrShape},
		{"component of 65", path(65), make([]int, 65), ErrTooLarge},
	}
	var bb BranchAndBound
	for _, c := range cases {
		_, err := bb.Solve(c.m, c.z)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
	}
	// A cancelled edge does not join components: 65 variables in a path
	// whose middle edge sums to zero split into two pieces.
	m := path(65)
	m.Edges = append(m.Edges, Edge{I: 33, J: 32, W: 1})
	if _, err := bb.Solve(m, make([]int, 65)); err != nil {
		t.Errorf("path with cancelled edge: %v", err)
	}
	// Many isolated variables are fine.
	if _, err := bb.Solve(NewBinary(make([]float64, 1000), nil), make([]int, 1000)); err != nil {
		t.Errorf("1000 isolated variables: %v", err)
	}
	// Node limit.
	lim := BranchAndBound{NodeLimit: 2}
	dense := bnbDenseModels(20, 1, 9)[0]
	if _, err := lim.Solve(dense, make([]int, 20)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("NodeLimit 2 on dense n=20: got %v, want ErrTooLarge", err)
	}
	// The solver stays usable after errors.
	want, _ := (&GrayCode{}).Solve(ok, make([]int, 3))
	bnbCheck(t, &bb, ok, want, "after errors")
	lim.NodeLimit = 0
	want, _ = (&GrayCode{}).Solve(dense, make([]int, 20))
	bnbCheck(t, &lim, dense, want, "after node limit")
}

func TestBranchAndBoundAllocs(t *testing.T) {
	for _, ms := range [][]*Model{
		bnbDenseModels(15, 8, 31),
		bnbSparseModels(40, 3, 8, 32),
		bnbGridModels(5, 8, 8, 33),
	} {
		var bb BranchAndBound
		z := make([]int, ms[0].N)
		for _, m := range ms {
			if _, err := bb.Solve(m, z); err != nil {
				t.Fatal(err)
			}
		}
		i := 0
		allocs := testing.AllocsPerRun(50, func() {
			bb.Solve(ms[i%len(ms)], z)
			i++
		})
		if allocs != 0 {
			t.Errorf("n=%d: %v allocs per Solve, want 0", ms[0].N, allocs)
		}
	}
}

func ExampleBranchAndBound() {
	// Three variables that each gain 1 when on; 0–1 and 1–2 conflict
	// strongly, 0–2 like each other.
	m := NewBinary([]float64{1, 1, 1}, []Edge{
		{I: 0, J: 1, W: -3},
		{I: 2, J: 1, W: -3}, // either order
		{I: 0, J: 2, W: 0.5},
	})
	z := make([]int, 3)
	h, err := (&BranchAndBound{}).Solve(m, z)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("z =", z, "h =", h)
	// Output: z = [1 0 1] h = 2.5
}

// TestBranchAndBoundDefaultNodeLimit: the zero value stops at
// DefaultNodeLimit with an error naming the limit and how to raise it; a
// negative NodeLimit means no limit.
func TestBranchAndBoundDefaultNodeLimit(t *testing.T) {
	var zero BranchAndBound
	if got := zero.limit(); got != DefaultNodeLimit {
		t.Fatalf("zero NodeLimit: limit %d, want DefaultNodeLimit = %d", got, DefaultNodeLimit)
	}
	if got := (&BranchAndBound{NodeLimit: -1}).limit(); got != 0 {
		t.Fatalf("negative NodeLimit: limit %d, want 0 (none)", got)
	}
	dense := bnbDenseModels(20, 1, 9)[0]
	want, _ := (&GrayCode{}).Solve(dense, make([]int, 20))

	// The default's error path, with the default lowered for speed.
	defer func(old int64) { defaultNodeLimit = old }(defaultNodeLimit)
	defaultNodeLimit = 3
	_, err := zero.Solve(dense, make([]int, 20))
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("default limit lowered to 3: err = %v, want ErrTooLarge", err)
	}
	for _, s := range []string{"stopped after 3 search nodes", "default node limit", "DefaultNodeLimit", "raise BranchAndBound.NodeLimit", "negative value means no limit", "20 variables"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not mention %q", err, s)
		}
	}
	// An explicit limit is named as such.
	_, err = (&BranchAndBound{NodeLimit: 5}).Solve(dense, make([]int, 20))
	if err == nil || !strings.Contains(err.Error(), "stopped after 5 search nodes, NodeLimit,") {
		t.Errorf("NodeLimit 5: err = %v", err)
	}
	// No limit: the same model is solved.
	bnbCheck(t, &BranchAndBound{NodeLimit: -1}, dense, want, "NodeLimit -1")
}

// TestBranchAndBoundDense64Stops: the case that used to search for hours, a
// dense general-sign component of 64 variables, stops at the default limit
// within seconds.
func TestBranchAndBoundDense64Stops(t *testing.T) {
	if testing.Short() {
		t.Skip("a million search nodes, a few seconds")
	}
	m := bnbDenseModels(64, 1, 64)[0]
	start := time.Now()
	_, err := (&BranchAndBound{}).Solve(m, make([]int, 64))
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "default node limit") {
		t.Fatalf("dense n = 64: err = %v, want the default node limit's error", err)
	}
	t.Logf("%v after %v", err, time.Since(start))
}
