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

// Compile-time checks: SpanningTree is a constrained Structure, Kruskal a
// Maximizer.
var (
	_ argmax.Structure   = (*argmax.SpanningTree)(nil)
	_ argmax.Constrained = (*argmax.SpanningTree)(nil)
	_ argmax.Maximizer   = (*argmax.Kruskal)(nil)
)

func mustTree(t testing.TB, nodes int, edges [][2]int) *argmax.SpanningTree {
	t.Helper()
	s, err := argmax.NewSpanningTree(nodes, edges)
	if err != nil {
		t.Fatalf("NewSpanningTree(%d, %v): %v", nodes, edges, err)
	}
	return s
}

// randomConnected returns a random connected graph on n nodes with at
// most maxEdges edges: a random tree, then extra edges with probability p
// (an occasional parallel edge included), in random order and
// orientation.
func randomConnected(rng *rand.Rand, n, maxEdges int, p float64) [][2]int {
	label := rng.Perm(n)
	var edges [][2]int
	for v := 1; v < n; v++ {
		edges = append(edges, [2]int{label[v], label[rng.IntN(v)]})
	}
	for a := 0; a < n; a++ {
		for b := a + 1; b < n; b++ {
			if len(edges) < maxEdges && rng.Float64() < p {
				edges = append(edges, [2]int{a, b})
			}
		}
	}
	if len(edges) < maxEdges && rng.IntN(4) == 0 {
		edges = append(edges, edges[rng.IntN(len(edges))]) // parallel
	}
	rng.Shuffle(len(edges), func(i, j int) { edges[i], edges[j] = edges[j], edges[i] })
	for e := range edges {
		if rng.IntN(2) == 0 {
			edges[e][0], edges[e][1] = edges[e][1], edges[e][0]
		}
	}
	return edges
}

// kirchhoff counts the spanning trees of a multigraph by the matrix-tree
// theorem: the determinant of the Laplacian without its last row and
// column (Gaussian elimination in float64, rounded).
func kirchhoff(n int, edges [][2]int) int {
	L := make([][]float64, n)
	for i := range L {
		L[i] = make([]float64, n)
	}
	for _, e := range edges {
		a, b := e[0], e[1]
		L[a][a]++
		L[b][b]++
		L[a][b]--
		L[b][a]--
	}
	m := n - 1
	det := 1.0
	for c := 0; c < m; c++ {
		p := c
		for r := c + 1; r < m; r++ {
			if math.Abs(L[r][c]) > math.Abs(L[p][c]) {
				p = r
			}
		}
		if L[p][c] == 0 {
			return 0
		}
		if p != c {
			L[p], L[c] = L[c], L[p]
			det = -det
		}
		det *= L[c][c]
		for r := c + 1; r < m; r++ {
			f := L[r][c] / L[c][c]
			for k := c; k < m; k++ {
				L[r][k] -= f * L[c][k]
			}
		}
	}
	return int(math.Round(det))
}

// TestKruskalMatchesEnumerate solves 1,200 (-short: 300) random
// instances (4–6 nodes, random connected multigraphs of at most 12 edges,
// one in eight up to 15, the complete graph on 6 nodes)
// with Kruskal and compares with Enumerate (see checkSolver): codes and
// values identical with exact sums, ties included. Feasible must admit as
// many codes as the matrix-tree theorem counts.
func TestKruskalMatchesEnumerate(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 1))
	trials := 1200
	if testing.Short() {
		trials = 300
	}
	ties := 0
	for trial := 0; trial < trials; trial++ {
		nodes := 4 + rng.IntN(3)
		maxEdges := 12
		if trial%8 == 0 {
			maxEdges = 15
		}
		edges := randomConnected(rng, nodes, maxEdges, []float64{0.2, 0.5, 1}[trial%3])
		s := mustTree(t, nodes, edges)
		kind := trial % wKinds
		w := make([]float64, s.Dim())
		structWeights(rng, kind, w)
		if checkSolver(t, fmt.Sprintf("trial %d, edges %v", trial, edges), s, mustSolver(t, s, "kruskal"), kind, w) {
			ties++
		}
		if trial < 200 {
			if _, _, count, _ := feasibleTop2(s, w); count != kirchhoff(nodes, edges) {
				t.Fatalf("%s %v: %d feasible codes, matrix-tree theorem %d", s.Name(), edges, count, kirchhoff(nodes, edges))
			}
		}
	}
	if ties < trials/5 {
		t.Errorf("only %d of %d instances had tied maxima; the tie-breaking test is too weak", ties, trials)
	}
}

// primValue is the maximum spanning tree value by Prim's algorithm on a
// dense gain matrix (the best of parallel edges), O(n²): an independent
// reference beyond enumeration.
func primValue(nodes int, edges [][2]int, w []float64) float64 {
	g := make([][]float64, nodes)
	for i := range g {
		g[i] = make([]float64, nodes)
		for j := range g[i] {
			g[i][j] = math.Inf(-1)
		}
	}
	base := 0.0
	for e, ed := range edges {
		base += w[2*e]
		gain := w[2*e+1] - w[2*e]
		a, b := ed[0], ed[1]
		g[a][b] = math.Max(g[a][b], gain)
		g[b][a] = g[a][b]
	}
	in := make([]bool, nodes)
	best := slices.Clone(g[0])
	in[0] = true
	total := base
	for k := 1; k < nodes; k++ {
		v := -1
		for u := 0; u < nodes; u++ {
			if !in[u] && (v < 0 || best[u] > best[v]) {
				v = u
			}
		}
		total += best[v]
		in[v] = true
		for u := 0; u < nodes; u++ {
			if !in[u] {
				best[u] = math.Max(best[u], g[v][u])
			}
		}
	}
	return total
}

// TestKruskalMatchesPrim compares values with Prim's algorithm on larger
// graphs (10–80 nodes, sparse to complete), continuous and integer gains.
func TestKruskalMatchesPrim(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 2))
	for trial := 0; trial < 200; trial++ {
		nodes := 10 + rng.IntN(71)
		edges := randomConnected(rng, nodes, nodes*nodes, []float64{0.05, 0.3, 1}[trial%3])
		s := mustTree(t, nodes, edges)
		kind := []int{wContinuous, wSmallInt}[trial%2]
		w := make([]float64, s.Dim())
		structWeights(rng, kind, w)
		z := make([]int, s.Vars())
		v, err := mustSolver(t, s, "kruskal").Maximize(w, z)
		if err != nil {
			t.Fatal(err)
		}
		want := primValue(nodes, edges, w)
		if !s.Feasible(z) || mustScore(t, s, w, z) != v || math.Abs(v-want) > 1e-9*float64(len(edges)) {
			t.Fatalf("trial %d, %s: value %v (feasible %v), Prim %v", trial, s.Name(), v, s.Feasible(z), want)
		}
	}
}

// TestKruskalDegenerate: a graph that is already a tree has one code (all
// edges, whatever the weights); two nodes with parallel edges choose the
// best one (the first on ties); negative gains are taken when needed.
func TestKruskalDegenerate(t *testing.T) {
	path := mustTree(t, 5, [][2]int{{0, 1}, {1, 2}, {2, 3}, {3, 4}})
	w := []float64{0, -1, 5, -3, 0, 0, 2, -9}
	z := make([]int, 4)
	if v, err := mustSolver(t, path, "kruskal").Maximize(w, z); err != nil || !slices.Equal(z, []int{1, 1, 1, 1}) || v != -1-3+0-9 {
		t.Errorf("path: z = %v, value %v, err %v", z, v, err)
	}
	star := mustTree(t, 4, [][2]int{{0, 1}, {0, 2}, {3, 0}})
	if _, err := mustSolver(t, star, "kruskal").Maximize(make([]float64, 6), z[:3]); err != nil || !slices.Equal(z[:3], []int{1, 1, 1}) {
		t.Errorf("star: z = %v, err %v", z[:3], err)
	}
	two := mustTree(t, 2, [][2]int{{0, 1}, {1, 0}, {0, 1}})
	m := mustSolver(t, two, "kruskal")
	z = make([]int, 3)
	if v, err := m.Maximize([]float64{0, 1, 0, 3, 1, 2}, z); err != nil || !slices.Equal(z, []int{0, 1, 0}) || v != 0+3+1 {
		t.Errorf("parallel edges: z = %v, value %v, err %v", z, v, err)
	}
	if v, err := m.Maximize([]float64{0, 2, 0, 2, 0, 2}, z); err != nil || !slices.Equal(z, []int{1, 0, 0}) || v != 2 {
		t.Errorf("tied parallel edges: z = %v, value %v, err %v", z, v, err)
	}
}

// TestSpanningTreeFeasible checks Feasible on trees, forests, cycles and
// non-codes, including graphs above the 64-node stack buffer.
func TestSpanningTreeFeasible(t *testing.T) {
	// A square with a diagonal: edges 0–1, 1–2, 2–3, 3–0, 0–2.
	s := mustTree(t, 4, [][2]int{{0, 1}, {1, 2}, {2, 3}, {3, 0}, {0, 2}})
	for _, tc := range []struct {
		z    []int
		want bool
	}{
		{[]int{1, 1, 1, 0, 0}, true},
		{[]int{1, 0, 0, 1, 1}, true},
		{[]int{1, 0, 0, 1, 1, 1}, true}, // only z[:E] counts
		{[]int{1, 1, 0, 0, 1}, false},   // triangle 0–1–2 and node 3 alone
		{[]int{1, 1, 1, 1, 0}, false},   // four edges
		{[]int{1, 1, 0, 0, 0}, false},   // two edges
		{[]int{1, 1, 2, 0, 0}, false},
		{[]int{1, 1, 1, 0}, false}, // short
	} {
		if got := s.Feasible(tc.z); got != tc.want {
			t.Errorf("Feasible(%v) = %v, want %v", tc.z, got, tc.want)
		}
	}
	if a := testing.AllocsPerRun(100, func() { s.Feasible([]int{1, 1, 1, 0, 0}) }); a != 0 {
		t.Errorf("Feasible allocates %v times", a)
	}
	// 70 nodes in a ring (edge i joins i and i+1 mod 70) plus the chord
	// 0–35 (edge 70): beyond the stack buffer of Feasible.
	var ring [][2]int
	for i := 0; i < 70; i++ {
		ring = append(ring, [2]int{i, (i + 1) % 70})
	}
	big := mustTree(t, 70, append(ring, [2]int{0, 35}))
	z := make([]int, 71)
	for e := 0; e < 69; e++ {
		z[e] = 1 // the ring without its last edge: a path
	}
	if !big.Feasible(z) {
		t.Error("70-node path: not feasible")
	}
	z[35], z[70] = 0, 1 // 69 edges, but 0…35 closed by the chord: a cycle
	if big.Feasible(z) {
		t.Error("70 nodes: a code with a cycle is feasible")
	}
}

// TestSpanningTreeFeatures: AddFeatures adds the one-hot of each edge's bit.
func TestSpanningTreeFeatures(t *testing.T) {
	s := mustTree(t, 4, argmax.CompleteGraph(4))
	z := []int{1, 0, 1, 0, 1, 0}
	dst := make([]float32, s.Dim())
	s.AddFeatures(z, 3, dst)
	for j, d := range dst {
		want := float32(0)
		if j%2 == z[j/2] {
			want = 3
		}
		if d != want {
			t.Errorf("dst[%d] = %v, want %v", j, d, want)
		}
	}
	w := make([]float64, s.Dim())
	structWeights(rand.New(rand.NewPCG(11, 4)), wContinuous, w)
	if a, b := mustScore(t, s, w, z), unaryScore(2, w, z); a != b {
		t.Errorf("Score %v, explicit %v", a, b)
	}
}

// TestSpanningTreeStructure: descriptive methods, CompleteGraph, solvers.
func TestSpanningTreeStructure(t *testing.T) {
	pairs := argmax.CompleteGraph(8)
	edges := argmax.CompleteEdges(8)
	if len(pairs) != 28 || len(edges) != 28 {
		t.Fatalf("CompleteGraph(8) has %d pairs", len(pairs))
	}
	for e := range pairs {
		if pairs[e] != [2]int{edges[e].I, edges[e].J} {
			t.Fatalf("CompleteGraph(8)[%d] = %v, CompleteEdges %v", e, pairs[e], edges[e])
		}
	}
	if len(argmax.CompleteGraph(1)) != 0 || len(argmax.CompleteGraph(0)) != 0 {
		t.Error("CompleteGraph of 0 or 1 node has pairs")
	}
	s := mustTree(t, 8, pairs)
	if s.Name() != "spanning trees of 8 nodes, 28 edges" || s.Vars() != 28 || s.States() != 2 || s.Dim() != 56 {
		t.Errorf("Name %q Vars %d States %d Dim %d", s.Name(), s.Vars(), s.States(), s.Dim())
	}
	signs := s.Signs()
	if len(signs) != 56 || slices.ContainsFunc(signs, func(g argmax.Sign) bool { return g != argmax.AnySign }) {
		t.Errorf("Signs = %v", signs)
	}
	checkNotEnumerable(t, s, "kruskal") // 2²⁸ codes
	if got := mustTree(t, 4, argmax.CompleteGraph(4)).Solvers(); !slices.Equal(got, []string{"kruskal", "exhaustive"}) {
		t.Errorf("Solvers = %v", got)
	}
	name, m, err := argmax.Fastest(s)
	if _, ok := m.(*argmax.Kruskal); err != nil || name != "kruskal" || !ok {
		t.Errorf("Fastest = %q, %T, %v", name, m, err)
	}
	for _, name := range []string{"", "prim", "topk", "Kruskal"} {
		_, err := s.NewSolver(name)
		if err == nil || !strings.Contains(err.Error(), "kruskal") {
			t.Errorf("NewSolver(%q): %v, want an error naming kruskal", name, err)
		}
	}
	// The structure and its solvers own their edge lists.
	in := [][2]int{{0, 1}, {1, 2}, {0, 2}}
	own := mustTree(t, 3, in)
	kr := mustSolver(t, own, "kruskal")
	in[0] = [2]int{2, 2}
	own.Edges[1] = [2]int{0, 0}
	z := make([]int, 3)
	if v, err := kr.Maximize([]float64{0, 1, 0, 2, 0, 3}, z); err != nil || v != 5 || !slices.Equal(z, []int{0, 1, 1}) {
		t.Errorf("after editing the edge lists: z = %v, value %v, err %v", z, v, err)
	}
}

// TestNewSpanningTreeErrors: graphs without spanning trees, bad edges.
func TestNewSpanningTreeErrors(t *testing.T) {
	for _, tc := range []struct {
		nodes int
		edges [][2]int
		err   error
		msg   string
	}{
		{1, nil, argmax.ErrShape, "1 nodes"},
		{0, nil, argmax.ErrShape, "0 nodes"},
		{-2, nil, argmax.ErrShape, "-2 nodes"},
		{2, nil, argmax.ErrShape, "not connected"},
		{4, [][2]int{{0, 1}, {2, 3}}, argmax.ErrShape, "a spanning tree has 3 edges"},
		{4, [][2]int{{0, 1}, {1, 0}, {2, 3}}, argmax.ErrShape, "node 2 is not reachable"},
		{math.MaxInt32, [][2]int{{0, 1}}, argmax.ErrShape, "not connected"},
		{3, [][2]int{{0, 1}, {1, 3}}, argmax.ErrEdge, "edge 1 (1, 3)"},
		{3, [][2]int{{0, 1}, {-1, 2}}, argmax.ErrEdge, "outside 0…2"},
		{3, [][2]int{{0, 1}, {1, 2}, {2, 2}}, argmax.ErrEdge, "self-loop"},
		{math.MaxInt32 + 1, nil, argmax.ErrShape, "want ≤"},
	} {
		s, err := argmax.NewSpanningTree(tc.nodes, tc.edges)
		if s != nil || !errors.Is(err, tc.err) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("NewSpanningTree(%d, %v) = %v, %v; want %v mentioning %q", tc.nodes, tc.edges, s, err, tc.err, tc.msg)
		}
		lit := &argmax.SpanningTree{Nodes: tc.nodes, Edges: tc.edges}
		if _, err := lit.NewSolver("kruskal"); !errors.Is(err, tc.err) {
			t.Errorf("literal NewSolver: %v, want %v", err, tc.err)
		}
		if _, err := argmax.NewKruskal(lit); !errors.Is(err, tc.err) {
			t.Errorf("NewKruskal: %v, want %v", err, tc.err)
		}
	}
	var nilT *argmax.SpanningTree
	if err := nilT.Validate(); !errors.Is(err, argmax.ErrShape) {
		t.Errorf("nil Validate: %v", err)
	}
}

// TestKruskalMaximizeErrors: lengths, non-finite scores named by
// coordinate, overflowing gains and maxima; usable afterwards.
func TestKruskalMaximizeErrors(t *testing.T) {
	s := mustTree(t, 3, [][2]int{{0, 1}, {0, 2}, {1, 2}})
	m := mustSolver(t, s, "kruskal")
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
		{0, math.NaN(), "w[0] = NaN (score of edge 0 (0–1) left out)"},
		{3, math.Inf(1), "w[3] = +Inf (score of edge 1 (0–2) chosen)"},
		{4, math.Inf(-1), "w[4] = -Inf (score of edge 2 (1–2) left out)"},
	} {
		w := make([]float64, 6)
		w[tc.j] = tc.x
		if _, err := m.Maximize(w, z); !errors.Is(err, argmax.ErrNotFinite) || !strings.Contains(err.Error(), tc.desc) {
			t.Errorf("w[%d] = %v: %v, want ErrNotFinite with %q", tc.j, tc.x, err, tc.desc)
		}
	}
	const big = math.MaxFloat64
	if _, err := m.Maximize([]float64{-big, big, 0, 0, 0, 0}, z); !errors.Is(err, argmax.ErrNotFinite) || !strings.Contains(err.Error(), "gain of edge 0") {
		t.Errorf("overflowing gain: %v", err)
	}
	if _, err := m.Maximize([]float64{0, big, 0, big, 0, 0}, z); !errors.Is(err, argmax.ErrNotFinite) || !strings.Contains(err.Error(), "overflows") {
		t.Errorf("overflowing maximum: %v", err)
	}
	if v, err := m.Maximize([]float64{0, 1, 0, -1, 0, 2}, z); err != nil || v != 3 || !slices.Equal(z, []int{1, 0, 1}) {
		t.Errorf("after errors: z = %v, value %v, err %v", z, v, err)
	}
}

// TestKruskalNoAllocs: Maximize does not allocate.
func TestKruskalNoAllocs(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 5))
	for _, g := range []struct {
		nodes int
		edges [][2]int
	}{
		{8, argmax.CompleteGraph(8)},
		{100, randomConnected(rng, 100, 300, 0.03)},
		{2, [][2]int{{0, 1}}},
	} {
		s := mustTree(t, g.nodes, g.edges)
		m := mustSolver(t, s, "kruskal")
		w := make([]float64, s.Dim())
		structWeights(rng, wContinuous, w)
		z := make([]int, s.Vars())
		if a := testing.AllocsPerRun(100, func() {
			if _, err := m.Maximize(w, z); err != nil {
				panic(err)
			}
		}); a != 0 {
			t.Errorf("%s: %v allocations per Maximize, want 0", s.Name(), a)
		}
	}
}

// leftOut returns, for a triangle with gains g and i.i.d. noise of density
// pdf and distribution cdf on each gain, the probability that edge e has
// the least perturbed gain (the maximum spanning tree leaves it out):
// ∫ pdf(x − g_e) Π_{f≠e} (1 − cdf(x − g_f)) dx, by the midpoint rule.
func leftOut(g []float64, pdf, cdf func(float64) float64) []float64 {
	const h = 1e-3
	p := make([]float64, len(g))
	for e := range g {
		for x := -40 + h/2; x < 40; x += h {
			v := pdf(x - g[e])
			for f := range g {
				if f != e {
					v *= 1 - cdf(x-g[f])
				}
			}
			p[e] += v * h
		}
	}
	return p
}

// TestSpanningTreeSampling checks what the SpanningTree doc says
// perturb-and-MAP samples, by Monte Carlo on a triangle with gains
// (2, 0, −1). A spanning tree leaves out one edge, and Gibbs leaves out
// edge e with probability ∝ exp(−g_e). With Gumbel noise on every
// coordinate each gain gets logistic noise; with Gumbel noise on the
// gains, Gumbel noise; either way the tree leaves out the edge of least
// perturbed gain, with the probabilities leftOut integrates. The sampled
// frequencies must match those, and they differ from Gibbs (total
// variation 0.079 and 0.025).
func TestSpanningTreeSampling(t *testing.T) {
	const samples = 200000
	g := []float64{2, 0, -1}
	gibbs := make([]float64, 3)
	zsum := 0.0
	for e, x := range g {
		gibbs[e] = math.Exp(-x)
		zsum += gibbs[e]
	}
	for e := range gibbs {
		gibbs[e] /= zsum
	}
	gumbelPDF := func(x float64) float64 { return math.Exp(-x - math.Exp(-x)) }
	gumbelCDF := func(x float64) float64 { return math.Exp(-math.Exp(-x)) }
	logisticPDF := func(x float64) float64 { e := math.Exp(-math.Abs(x)); return e / ((1 + e) * (1 + e)) }
	logisticCDF := func(x float64) float64 { return 1 / (1 + math.Exp(-x)) }
	tv := func(p, q []float64) float64 {
		d := 0.0
		for i := range p {
			d += math.Abs(p[i]-q[i]) / 2
		}
		return d
	}
	s := mustTree(t, 3, [][2]int{{0, 1}, {1, 2}, {0, 2}})
	m := mustSolver(t, s, "kruskal")
	rng := rand.New(rand.NewPCG(11, 6))
	w := make([]float64, 6)
	z := make([]int, 3)
	for _, onGains := range []bool{false, true} {
		want := leftOut(g, logisticPDF, logisticCDF)
		if onGains {
			want = leftOut(g, gumbelPDF, gumbelCDF)
		}
		freq := make([]float64, 3)
		for it := 0; it < samples; it++ {
			for e, x := range g {
				if onGains {
					w[2*e], w[2*e+1] = 0, x+argmax.Gumbel(rng)
				} else {
					w[2*e], w[2*e+1] = argmax.Gumbel(rng), x+argmax.Gumbel(rng)
				}
			}
			if _, err := m.Maximize(w, z); err != nil {
				t.Fatal(err)
			}
			freq[slices.Index(z, 0)] += 1.0 / samples
		}
		t.Logf("Gumbel on the gains only: %v; left-out frequencies %.4f, integral %.4f, Gibbs %.4f", onGains, freq, want, gibbs)
		if d := tv(freq, want); d > 0.005 {
			t.Errorf("Gumbel on the gains only: %v: TV(frequencies, perturb-and-MAP integral) = %.4f, want ≈ 0", onGains, d)
		}
		if d := tv(want, gibbs); d < 0.02 {
			t.Errorf("Gumbel on the gains only: %v: TV(perturb-and-MAP, Gibbs) = %.4f, want clearly > 0", onGains, d)
		}
	}
}

// The maximum spanning tree of a square with one diagonal: edge gains
// w[2e+1] − w[2e] are 4, 1, 3, 2 and 5; Kruskal takes the diagonal (5),
// then 0–1 (4), then 2–3 (3), and skips the rest, which would close
// cycles.
func ExampleSpanningTree() {
	s, err := argmax.NewSpanningTree(4, [][2]int{{0, 1}, {1, 2}, {2, 3}, {3, 0}, {0, 2}})
	if err != nil {
		panic(err)
	}
	w := make([]float64, s.Dim())
	for e, gain := range []float64{4, 1, 3, 2, 5} {
		w[2*e+1] = gain
	}
	kruskal, err := s.NewSolver("kruskal")
	if err != nil {
		panic(err)
	}
	z := make([]int, s.Vars())
	value, err := kruskal.Maximize(w, z)
	fmt.Println(s.Name())
	fmt.Println(z, value, err)
	// Output:
	// spanning trees of 4 nodes, 5 edges
	// [1 0 1 0 1] 12 <nil>
}
