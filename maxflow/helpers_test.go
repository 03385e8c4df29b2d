package maxflow

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// op is one builder call: an edge (kind 0) or terminal capacities (kind 1).
type op struct {
	kind, u, v int
	a, b       float64
}

// problem is a graph as a list of builder calls.
type problem struct {
	n   int
	ops []op
}

func (p *problem) load(g MinCut) {
	g.Reset(p.n)
	for _, o := range p.ops {
		if o.kind == 0 {
			g.AddEdge(o.u, o.v, o.a, o.b)
		} else {
			g.AddTerminal(o.u, o.a, o.b)
		}
	}
}

// cutCapacity is the capacity of the cut whose source side is in(u).
func (p *problem) cutCapacity(in func(int) bool) float64 {
	c := 0.0
	for _, o := range p.ops {
		if o.kind == 0 {
			if in(o.u) && !in(o.v) {
				c += o.a
			}
			if in(o.v) && !in(o.u) {
				c += o.b
			}
			continue
		}
		if in(o.u) {
			c += o.b
		} else {
			c += o.a
		}
	}
	return c
}

// bruteMinCut enumerates all 2ⁿ cuts and returns the minimum capacity and
// the intersection of all minimum source sets (as a bit mask).
func (p *problem) bruteMinCut() (float64, uint64) {
	best, inter := math.Inf(1), uint64(0)
	for mask := uint64(0); mask < 1<<p.n; mask++ {
		c := p.cutCapacity(func(u int) bool { return mask>>u&1 == 1 })
		switch {
		case c < best:
			best, inter = c, mask
		case c == best:
			inter &= mask
		}
	}
	return best, inter
}

// randProblem draws a graph with n nodes: each ordered-free pair gets an
// edge with probability density, each node terminal capacities with
// probability 0.7; capacities are integers in [0, maxCap] with many zeros.
func randProblem(r *rand.Rand, n int, density float64, maxCap int) *problem {
	p := &problem{n: n}
	capv := func() float64 {
		if r.IntN(4) == 0 {
			return 0
		}
		return float64(r.IntN(maxCap + 1))
	}
	for u := 0; u < n; u++ {
		for v := u + 1; v < n; v++ {
			if r.Float64() < density {
				if r.IntN(2) == 0 {
					p.ops = append(p.ops, op{0, u, v, capv(), capv()})
				} else {
					p.ops = append(p.ops, op{0, v, u, capv(), capv()})
				}
			}
		}
	}
	for u := 0; u < n; u++ {
		if r.Float64() < 0.7 {
			p.ops = append(p.ops, op{1, u, 0, capv(), capv()})
		}
	}
	// Shuffle so that edges and terminals interleave.
	r.Shuffle(len(p.ops), func(i, j int) { p.ops[i], p.ops[j] = p.ops[j], p.ops[i] })
	return p
}

// gridProblem is a w×h 4-connected grid with random data terms in
// [0, dataMax) and smoothness capacities in [0, smoothMax), both integer.
func gridProblem(r *rand.Rand, w, h, dataMax, smoothMax int) *problem {
	p := &problem{n: w * h}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			u := y*w + x
			p.ops = append(p.ops, op{1, u, 0, float64(r.IntN(dataMax)), float64(r.IntN(dataMax))})
			if x+1 < w {
				p.ops = append(p.ops, op{0, u, u + 1, float64(r.IntN(smoothMax)), float64(r.IntN(smoothMax))})
			}
			if y+1 < h {
				p.ops = append(p.ops, op{0, u, u + w, float64(r.IntN(smoothMax)), float64(r.IntN(smoothMax))})
			}
		}
	}
	return p
}

// solveChecked solves p with g and checks that the cut g reports has
// capacity equal to the flow (within tol).
func solveChecked(t *testing.T, name string, p *problem, g MinCut, tol float64) float64 {
	t.Helper()
	p.load(g)
	f, err := g.MaxFlow()
	if err != nil {
		t.Fatalf("%s: MaxFlow: %v", name, err)
	}
	if c := p.cutCapacity(g.SourceSide); math.Abs(c-f) > tol {
		t.Fatalf("%s: flow %v but the reported cut has capacity %v", name, f, c)
	}
	if bk, ok := g.(*Graph); ok {
		if bk.alg == IBFS {
			checkIBFSTrees(t, name, bk)
		} else {
			checkTreeCut(t, name, bk)
		}
	}
	return f
}

// sameSide fails unless the two solvers report the same source side.
func sameSide(t *testing.T, name string, n int, a, b MinCut) {
	t.Helper()
	for u := 0; u < n; u++ {
		if a.SourceSide(u) != b.SourceSide(u) {
			t.Fatalf("%s: node %d source side %v vs %v", name, u, a.SourceSide(u), b.SourceSide(u))
		}
	}
}

// checkFlow verifies that the residual state left by g.MaxFlow is a
// feasible flow of value g.Flow(): every residual capacity ≥ 0, each arc
// pair keeps its total capacity, terminal residuals only shrink toward
// zero, flow is conserved at every node, and the terminal flows add up to
// the reported value. Together with flow = cut capacity this certifies
// optimality independently of the algorithm. Exact for integer capacities.
func checkFlow(t *testing.T, name string, g *Graph, tol float64) {
	t.Helper()
	n := g.n
	net := make([]float64, n) // net arc outflow of each node
	for k, e := range g.edges {
		u, v := e.U, e.V
		a, b := g.epos[k].fwd, g.epos[k].rev
		if a < g.off[u] || a >= g.off[u+1] || b < g.off[v] || b >= g.off[v+1] {
			t.Fatalf("%s: edge %d arcs %d/%d outside the rows of %d/%d", name, k, a, b, u, v)
		}
		fa, fb := g.arcs[a], g.arcs[b]
		if fa.head != v || fb.head != u || fa.sister != b || fb.sister != a {
			t.Fatalf("%s: edge %d not at arcs %d/%d", name, k, a, b)
		}
		if fa.rcap < 0 || fb.rcap < 0 || math.Abs(fa.rcap+fb.rcap-e.Cap-e.Rev) > tol {
			t.Fatalf("%s: edge %d residuals %v/%v for capacities %v/%v", name, k, fa.rcap, fb.rcap, e.Cap, e.Rev)
		}
		f := e.Cap - fa.rcap // net flow u→v
		net[u] += f
		net[v] -= f
	}
	if n > 0 && int(g.off[n]) != 2*len(g.edges) {
		t.Fatalf("%s: %d arcs in the rows for %d edges", name, g.off[n], len(g.edges))
	}
	flow, fromS, toT := 0.0, 0.0, 0.0
	for i := 0; i < n; i++ {
		tr0, tr := g.src[i]-g.snk[i], g.tr[i]
		if tr != 0 && (tr > 0) != (tr0 > 0) || math.Abs(tr) > math.Abs(tr0) {
			t.Fatalf("%s: node %d terminal residual went from %v to %v", name, i, tr0, tr)
		}
		if d := tr0 - tr; math.Abs(d-net[i]) > tol { // terminal inflow = arc outflow
			t.Fatalf("%s: node %d takes %v from the terminals but sends %v through arcs", name, i, d, net[i])
		}
		flow += min(g.src[i], g.snk[i])
		if tr0 > 0 {
			fromS += tr0 - tr
		} else {
			toT += tr - tr0
		}
	}
	if math.Abs(flow+fromS-g.flow) > tol || math.Abs(flow+toT-g.flow) > tol {
		t.Fatalf("%s: %v + %v leaves s, %v + %v enters t, MaxFlow reported %v", name, flow, fromS, flow, toT, g.flow)
	}
}

// reachFromSource is the oracle for Graph.SourceSide: after MaxFlow, the
// nodes reachable from s in the residual graph, by breadth-first search
// from the nodes with residual source capacity. O(V + E).
func reachFromSource(g *Graph) []bool {
	side := make([]bool, g.n)
	var q []int32
	for i := 0; i < g.n; i++ {
		if g.tr[i] > 0 {
			side[i] = true
			q = append(q, int32(i))
		}
	}
	for len(q) > 0 {
		i := q[0]
		q = q[1:]
		for a := g.off[i]; a < g.off[i+1]; a++ {
			if ar := &g.arcs[a]; ar.rcap > 0 && !side[ar.head] {
				side[ar.head] = true
				q = append(q, ar.head)
			}
		}
	}
	return side
}

// checkTreeCut fails unless g's source side (its source tree) is exactly
// the residual reachability set, and no node is left an orphan.
func checkTreeCut(t *testing.T, name string, g *Graph) {
	t.Helper()
	want := reachFromSource(g)
	for u := 0; u < g.n; u++ {
		if g.nodes[u].parent == orphan {
			t.Fatalf("%s: node %d is still an orphan", name, u)
		}
		if g.SourceSide(u) != want[u] {
			t.Fatalf("%s: node %d: source tree says %v, residual search says %v", name, u, g.SourceSide(u), want[u])
		}
	}
}

// rowsValid reports whether the CSR rows of the last build fit the
// current edges (the test of loadCaps, without writing), for the tests. O(E).
func (g *Graph) rowsValid() bool {
	if g.n != g.builtN || len(g.edges) != g.builtM {
		return false
	}
	for k, e := range g.edges {
		p := g.epos[k]
		if g.arcs[p.fwd].head != e.V || g.arcs[p.rev].head != e.U {
			return false
		}
	}
	return true
}

// segProblem is the segmentation grid of SegmentationGrid as builder
// calls on the w·h pixel nodes (the terminal arcs become AddTerminal).
func segProblem(seed uint64, w, h int) *problem {
	in := SegmentationGrid(seed, w, h)
	p := &problem{n: w * h}
	for _, a := range in.Arcs {
		switch {
		case a.From == in.Source:
			p.ops = append(p.ops, op{1, a.To, 0, a.Cap, 0})
		case a.To == in.Sink:
			p.ops = append(p.ops, op{1, a.From, 0, 0, a.Cap})
		default:
			p.ops = append(p.ops, op{0, a.From, a.To, a.Cap, 0})
		}
	}
	return p
}

// randomCase returns random integer graph number k of a property test: 1–80
// nodes (1–3 for every fifth), empty to complete, capacities up to 1, 2,
// 10 or 1000 with zeros, and for every third graph parallel edges in both
// directions; name describes it.
func randomCase(r *rand.Rand, k int) (p *problem, n int, name string) {
	n = 1 + r.IntN(80)
	if k%5 == 0 {
		n = 1 + r.IntN(3) // degenerate sizes
	}
	density := []float64{0, 0.05, 0.2, 0.6, 1}[r.IntN(5)]
	maxCap := []int{1, 2, 10, 1000}[r.IntN(4)]
	p = randProblem(r, n, density, maxCap)
	if k%3 == 1 { // parallel edges, both directions
		for _, o := range p.ops[:len(p.ops)/2] {
			if o.kind == 0 {
				p.ops = append(p.ops, op{0, o.v, o.u, float64(r.IntN(maxCap + 1)), 0})
			}
		}
	}
	return p, n, fmt.Sprintf("graph %d (n=%d, density %v, caps ≤ %d)", k, n, density, maxCap)
}

// scaleMixed multiplies every capacity of p by a random factor of a random
// magnitude (10⁻⁶ to 10⁶) and returns the total capacity.
func scaleMixed(r *rand.Rand, p *problem) float64 {
	total := 0.0
	for i := range p.ops {
		s := math.Pow(10, float64(r.IntN(13)-6))
		p.ops[i].a *= r.Float64() * s
		p.ops[i].b *= r.Float64() * s
		total += p.ops[i].a + p.ops[i].b
	}
	return total
}

// checkReuse solves each problem on g, then checks that loading and
// solving it again gives the same flow with no allocation; clrs checks the
// textbook graph's flow and that adding an arc to t after a solve counts.
func checkReuse(t *testing.T, g *Graph, clrsToo bool, ps ...*problem) {
	t.Helper()
	if clrsToo {
		clrs().load(g)
		if f, _ := g.MaxFlow(); f != 23 {
			t.Fatalf("clrs flow %v", f)
		}
		g.AddTerminal(3, 0, 10)
		if f, _ := g.MaxFlow(); f != 25 {
			t.Fatalf("after adding v4→t: flow %v, want 25", f)
		}
	}
	for _, p := range ps {
		p.load(g)
		want, err := g.MaxFlow()
		if err != nil {
			t.Fatal(err)
		}
		allocs := testing.AllocsPerRun(20, func() {
			p.load(g)
			if f, err := g.MaxFlow(); err != nil || f != want {
				t.Fatalf("reuse: %v, %v; want %v", f, err, want)
			}
		})
		if allocs != 0 {
			t.Errorf("%d nodes: %v allocations per reuse, want 0", p.n, allocs)
		}
	}
}

// reusedMatchesFresh solves p on the reused graph g and on fresh, a new
// graph of the same algorithm, and fails unless the flows and minimal cuts
// agree and a second MaxFlow on g, without Reset, gives the same flow.
func reusedMatchesFresh(t *testing.T, k int, p *problem, g, fresh *Graph) {
	t.Helper()
	f1 := solveChecked(t, "reused", p, g, 0)
	f2 := solveChecked(t, "fresh", p, fresh, 0)
	if f1 != f2 {
		t.Fatalf("graph %d: reused %v, fresh %v", k, f1, f2)
	}
	sameSide(t, fmt.Sprintf("graph %d", k), p.n, g, fresh)
	if f3, err := g.MaxFlow(); err != nil || f3 != f1 {
		t.Fatalf("graph %d: second MaxFlow = %v, %v; want %v", k, f3, err, f1)
	}
}
