package maxflow

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// pbkSplits are the (workers, blocks) settings the ParallelBK tests force
// on graphs of any size: one worker running several blocks in turn, two
// and three workers, odd block counts (a range waits a level), and more
// blocks than most of the graphs have nodes.
var pbkSplits = [][2]int{{1, 2}, {1, 3}, {2, 2}, {2, 4}, {3, 5}, {2, 7}, {4, 64}}

// newPBK returns a ParallelBK graph forced to split into blocks blocks
// solved by workers goroutines.
func newPBK(workers, blocks int) *Graph {
	g := NewWith(ParallelBK, 0, 0)
	g.SetWorkers(workers)
	g.pb.blocks = blocks
	return g
}

// checkPBK fails unless the ParallelBK graph g, after MaxFlow, has every
// crossing arc restored (no saved arc left) and valid BK trees: every
// tree node that is not a root hangs from a node of its own tree through
// an arc of its row with positive residual capacity in the tree's
// direction, roots have residual terminal capacity of their tree's sign,
// and no node is active. (checkTreeCut, run by solveChecked, checks the
// cut and orphans; checkFlow the flow.)
func checkPBK(t *testing.T, name string, g *Graph) {
	t.Helper()
	for k := range g.pb.w {
		if len(g.pb.w[k].saved) != 0 {
			t.Fatalf("%s: block %d keeps %d crossing arcs at 0", name, k, len(g.pb.w[k].saved))
		}
	}
	for u := 0; u < g.n; u++ {
		nd := g.nodes[u]
		if nd.active {
			t.Fatalf("%s: node %d still active", name, u)
		}
		switch p := nd.parent; {
		case p == free:
		case p == terminal:
			if nd.sink != (g.tr[u] < 0) || g.tr[u] == 0 {
				t.Fatalf("%s: root %d (sink %v) has terminal residual %v", name, u, nd.sink, g.tr[u])
			}
		case p < g.off[u] || p >= g.off[u+1]:
			t.Fatalf("%s: node %d: parent arc %d outside its row", name, u, p)
		default:
			par := g.nodes[g.arcs[p].head]
			res := g.arcs[g.arcs[p].sister].rcap // parent → u
			if nd.sink {
				res = g.arcs[p].rcap // u → parent
			}
			if par.parent == free || par.sink != nd.sink || res <= 0 {
				t.Fatalf("%s: node %d (sink %v): parent free %v, sink %v, residual %v", name, u, nd.sink, par.parent == free, par.sink, res)
			}
		}
	}
}

// TestPBKRandom compares ParallelBK, split into blocks at every size
// (every setting of pbkSplits), with BK and Edmonds–Karp on random integer
// graphs of 1..80 nodes, empty to complete, with zero capacities, ties,
// parallel edges and degenerate sizes: same flow, same minimal source
// side, a feasible flow, valid trees.
func TestPBKRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(51, 52))
	bk, yb := New(0, 0), &YourBasic{Scale: 1}
	var pbs []*Graph
	for _, s := range pbkSplits {
		pbs = append(pbs, newPBK(s[0], s[1]))
	}
	count := 700
	if testing.Short() {
		count = 200
	}
	for k := 0; k < count; k++ {
		p, n, name := randomCase(r, k)
		f1 := solveChecked(t, name+" BK", p, bk, 0)
		f3 := solveChecked(t, name+" YourBasic", p, yb, 0)
		if f1 != f3 {
			t.Fatalf("%s: flow BK %v, YourBasic %v", name, f1, f3)
		}
		sameSide(t, name+" BK/YourBasic", n, bk, yb)
		g := pbs[k%len(pbs)]
		nm := fmt.Sprintf("%s pbk %v", name, pbkSplits[k%len(pbs)])
		f2 := solveChecked(t, nm, p, g, 0)
		checkFlow(t, nm, g, 0)
		checkPBK(t, nm, g)
		if f2 != f1 {
			t.Fatalf("%s: flow %v, BK %v", nm, f2, f1)
		}
		sameSide(t, nm+"/BK", n, g, bk)
		sameRows(t, nm, g, bk)
	}
}

// sameRows fails unless a and b, built from the same edges, have the same
// CSR layout: offsets, heads, sisters and arc positions of every edge
// (buildParallel must lay out the rows exactly as buildRows).
func sameRows(t *testing.T, name string, a, b *Graph) {
	t.Helper()
	if a.builtN != b.builtN || a.builtM != b.builtM {
		t.Fatalf("%s: built %d/%d vs %d/%d", name, a.builtN, a.builtM, b.builtN, b.builtM)
	}
	for u := range a.builtN + 1 {
		if a.off[u] != b.off[u] {
			t.Fatalf("%s: off[%d] %d vs %d", name, u, a.off[u], b.off[u])
		}
	}
	for k := range 2 * a.builtM {
		if a.arcs[k].head != b.arcs[k].head || a.arcs[k].sister != b.arcs[k].sister {
			t.Fatalf("%s: arc %d: %+v vs %+v", name, k, a.arcs[k], b.arcs[k])
		}
	}
	for k := range a.builtM {
		if a.epos[k] != b.epos[k] {
			t.Fatalf("%s: edge %d at %v vs %v", name, k, a.epos[k], b.epos[k])
		}
	}
}

// TestPBKReal checks ParallelBK on real capacities of mixed magnitudes:
// flow = cut capacity, a feasible flow, the residual-reachability cut and
// BK's flow up to rounding.
func TestPBKReal(t *testing.T) {
	r := rand.New(rand.NewPCG(53, 54))
	bk := New(0, 0)
	for k := 0; k < 300; k++ {
		n := 1 + r.IntN(60)
		p := randProblem(r, n, r.Float64()*0.6, 1)
		total := scaleMixed(r, p)
		split := pbkSplits[k%len(pbkSplits)]
		g := newPBK(split[0], split[1])
		name := fmt.Sprintf("graph %d pbk %v", k, split)
		f1 := solveChecked(t, name+" BK", p, bk, 1e-12*total)
		f2 := solveChecked(t, name, p, g, 1e-12*total)
		checkFlow(t, name, g, 1e-12*total)
		checkPBK(t, name, g)
		if math.Abs(f1-f2) > 1e-12*total {
			t.Fatalf("%s: BK %v, pbk %v", name, f1, f2)
		}
	}
}

// TestPBKGrids compares ParallelBK with BK on 4-connected grids and on
// segmentation grids, with forced splits and, for the 256² segmentation
// grid (2¹⁶ nodes), the automatic one.
func TestPBKGrids(t *testing.T) {
	r := rand.New(rand.NewPCG(55, 56))
	bk := New(0, 0)
	var ps []*problem
	var names []string
	for _, sz := range [][2]int{{1, 1}, {1, 9}, {2, 2}, {7, 5}, {20, 20}, {64, 48}, {150, 150}} {
		for _, smooth := range []int{1, 5, 50, 500} {
			ps = append(ps, gridProblem(r, sz[0], sz[1], 100, smooth))
			names = append(names, fmt.Sprintf("grid %dx%d smooth<%d", sz[0], sz[1], smooth))
		}
	}
	for _, side := range []int{16, 100} {
		ps = append(ps, segProblem(uint64(side), side, side))
		names = append(names, fmt.Sprintf("segmentation %d²", side))
	}
	for k, p := range ps {
		split := pbkSplits[k%len(pbkSplits)]
		g := newPBK(split[0], split[1])
		name := fmt.Sprintf("%s pbk %v", names[k], split)
		f1 := solveChecked(t, names[k]+" BK", p, bk, 0)
		f2 := solveChecked(t, name, p, g, 0)
		checkFlow(t, name, g, 0)
		checkPBK(t, name, g)
		if f1 != f2 {
			t.Fatalf("%s: BK %v, pbk %v", name, f1, f2)
		}
		sameSide(t, name, p.n, bk, g)
	}
	// The automatic split: 2¹⁶ nodes, two workers, two blocks.
	p := segProblem(256, 256, 256)
	g := NewWith(ParallelBK, 0, 0)
	g.SetWorkers(2)
	f1 := solveChecked(t, "segmentation 256² BK", p, bk, 0)
	f2 := solveChecked(t, "segmentation 256² pbk", p, g, 0)
	checkFlow(t, "segmentation 256² pbk", g, 0)
	checkPBK(t, "segmentation 256² pbk", g)
	if f1 != f2 || len(g.pb.w) != 2 {
		t.Fatalf("segmentation 256²: BK %v, pbk %v on %d blocks", f1, f2, len(g.pb.w))
	}
	sameSide(t, "segmentation 256²", p.n, bk, g)
}

// TestPBKSmallIsBK: below parallelFrom nodes ParallelBK is serial BK, node
// for node (same trees, same residuals), whatever the worker count.
func TestPBKSmallIsBK(t *testing.T) {
	r := rand.New(rand.NewPCG(57, 58))
	bk := New(0, 0)
	g := NewWith(ParallelBK, 0, 0)
	g.SetWorkers(4)
	for k := 0; k < 50; k++ {
		p := randProblem(r, 1+r.IntN(200), r.Float64(), 100)
		f1 := solveChecked(t, "BK", p, bk, 0)
		f2 := solveChecked(t, "pbk", p, g, 0)
		if f1 != f2 || len(g.pb.w) != 0 {
			t.Fatalf("graph %d: BK %v, pbk %v, %d blocks", k, f1, f2, len(g.pb.w))
		}
		for u := range p.n {
			if g.nodes[u] != bk.nodes[u] {
				t.Fatalf("graph %d: node %d: BK %+v, pbk %+v", k, u, bk.nodes[u], g.nodes[u])
			}
		}
		for a := range bk.arcs[:bk.off[p.n]] {
			if g.arcs[a] != bk.arcs[a] {
				t.Fatalf("graph %d: arc %d: BK %+v, pbk %+v", k, a, bk.arcs[a], g.arcs[a])
			}
		}
	}
}

// TestPBKReuse re-solves graphs of varying sizes, topologies and splits
// on one ParallelBK graph against BK, adds arcs after a solve, and checks
// that re-solving allocates nothing once warm, with the split forced.
func TestPBKReuse(t *testing.T) {
	r := rand.New(rand.NewPCG(59, 60))
	bk := New(0, 0)
	g := newPBK(2, 3)
	for k := 0; k < 60; k++ {
		p := randProblem(r, 1+r.IntN(60), r.Float64(), 20)
		if k%2 == 1 {
			p = reweight(r, p, 0.2)
		}
		split := pbkSplits[k%len(pbkSplits)]
		g.SetWorkers(split[0])
		g.pb.blocks = split[1]
		name := fmt.Sprintf("graph %d pbk %v", k, split)
		f1 := solveChecked(t, name+" BK", p, bk, 0)
		f2 := solveChecked(t, name, p, g, 0)
		checkPBK(t, name, g)
		if f1 != f2 {
			t.Fatalf("%s: BK %v, pbk %v", name, f1, f2)
		}
		sameSide(t, name, p.n, g, bk)
		sameRows(t, name, g, bk)
		if f3, err := g.MaxFlow(); err != nil || f3 != f1 {
			t.Fatalf("%s: second MaxFlow = %v, %v; want %v", name, f3, err, f1)
		}
	}
	g.SetWorkers(2)
	g.pb.blocks = 4
	checkReuse(t, g, true, gridProblem(r, 30, 30, 20, 10), randProblem(r, 50, 0.5, 9), gridProblem(r, 40, 20, 20, 10))
	if ParallelBK.String() != "pbk" || g.Algorithm() != ParallelBK {
		t.Fatalf("name %q, algorithm %v", ParallelBK.String(), g.Algorithm())
	}
}
