package maxflow

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// checkIBFSTrees fails unless the IBFS graph g, after MaxFlow, has its
// reverse-residual cache in step with the arcs, reports as its source
// side exactly the residual reachability set, and its trees
// satisfy the IBFS invariants: no orphan left, every non-root tree node
// hangs from a node of its own tree one label lower through a residual
// arc of the right direction, and every root has its terminal's excess.
func checkIBFSTrees(t *testing.T, name string, g *Graph) {
	t.Helper()
	for k := 0; g.n > 0 && k < int(g.off[g.n]); k++ { // an empty graph may have no rows
		if g.ib.cached && g.ib.rres[k] != (g.arcs[g.arcs[k].sister].rcap > 0) {
			t.Fatalf("%s: arc %d: cached reverse residual %v, sister's residual %v", name, k, g.ib.rres[k], g.arcs[g.arcs[k].sister].rcap)
		}
	}
	want := reachFromSource(g)
	for u := 0; u < g.n; u++ {
		if g.SourceSide(u) != want[u] {
			t.Fatalf("%s: node %d: IBFS says source side %v, residual search says %v", name, u, g.SourceSide(u), want[u])
		}
		nd := g.ib.in[u]
		if nd.tree == freeTree {
			continue
		}
		switch p := nd.parent; {
		case p == orphan:
			t.Fatalf("%s: node %d is still an orphan", name, u)
		case p == terminal:
			if nd.label != 1 || (nd.tree == sTree) != (g.tr[u] > 0) || g.tr[u] == 0 {
				t.Fatalf("%s: root %d of tree %d has label %d and terminal residual %v", name, u, nd.tree, nd.label, g.tr[u])
			}
		default:
			if p < g.off[u] || p >= g.off[u+1] {
				t.Fatalf("%s: node %d: parent arc %d outside its row", name, u, p)
			}
			par := g.ib.in[g.arcs[p].head]
			res := g.arcs[g.arcs[p].sister].rcap // parent → u
			if nd.tree == tTree {
				res = g.arcs[p].rcap // u → parent
			}
			if par.tree != nd.tree || par.label != nd.label-1 || res <= 0 {
				t.Fatalf("%s: node %d (tree %d, label %d): parent in tree %d, label %d, residual %v",
					name, u, nd.tree, nd.label, par.tree, par.label, res)
			}
		}
	}
}

// ibfsSolvers returns a BK graph, an IBFS graph and YourBasic.
func ibfsSolvers() (*Graph, *Graph, *YourBasic) {
	return New(0, 0), NewWith(IBFS, 0, 0), &YourBasic{Scale: 1}
}

// TestIBFSRandom compares IBFS with BK and Edmonds–Karp on random integer
// graphs of 1..80 nodes, empty to complete, with zero capacities, ties,
// parallel edges and nodes tied to both terminals: same flow, same
// (minimal) source side, a feasible flow and valid trees.
func TestIBFSRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	bk, ib, yb := ibfsSolvers()
	count := 1500
	if testing.Short() {
		count = 400
	}
	for k := 0; k < count; k++ {
		p, n, name := randomCase(r, k)
		f1 := solveChecked(t, name+" BK", p, bk, 0)
		f2 := solveChecked(t, name+" IBFS", p, ib, 0) // includes checkIBFSTrees
		checkFlow(t, name+" IBFS", ib, 0)
		f3 := solveChecked(t, name+" YourBasic", p, yb, 0)
		if f1 != f2 || f2 != f3 {
			t.Fatalf("%s: flow BK %v, IBFS %v, YourBasic %v", name, f1, f2, f3)
		}
		sameSide(t, name+" BK/IBFS", n, bk, ib)
		sameSide(t, name+" IBFS/YourBasic", n, ib, yb)
	}
}

// TestIBFSReal checks flow = cut capacity, a feasible flow and the
// residual-reachability cut on real capacities of mixed magnitudes, and
// agreement with BK's flow up to rounding.
func TestIBFSReal(t *testing.T) {
	r := rand.New(rand.NewPCG(35, 36))
	bk, ib, _ := ibfsSolvers()
	for k := 0; k < 600; k++ {
		n := 1 + r.IntN(60)
		p := randProblem(r, n, r.Float64()*0.6, 1)
		total := scaleMixed(r, p)
		name := fmt.Sprintf("graph %d", k)
		f1 := solveChecked(t, name+" BK", p, bk, 1e-12*total)
		f2 := solveChecked(t, name+" IBFS", p, ib, 1e-12*total)
		checkFlow(t, name, ib, 1e-12*total)
		if math.Abs(f1-f2) > 1e-12*total {
			t.Fatalf("%s: BK %v, IBFS %v", name, f1, f2)
		}
	}
}

// TestIBFSGrids compares IBFS with BK on 4-connected grids, small to
// 200², weak to strong smoothness, and on the segmentation grids of the
// benchmarks.
func TestIBFSGrids(t *testing.T) {
	r := rand.New(rand.NewPCG(37, 38))
	bk, ib, _ := ibfsSolvers()
	var ps []*problem
	var names []string
	for _, sz := range [][2]int{{1, 1}, {1, 9}, {2, 2}, {7, 5}, {20, 20}, {64, 48}, {200, 200}} {
		for _, smooth := range []int{1, 5, 50, 500} {
			ps = append(ps, gridProblem(r, sz[0], sz[1], 100, smooth))
			names = append(names, fmt.Sprintf("grid %dx%d smooth<%d", sz[0], sz[1], smooth))
		}
	}
	for _, side := range []int{16, 100, 256} {
		ps = append(ps, segProblem(uint64(side), side, side))
		names = append(names, fmt.Sprintf("segmentation %d²", side))
	}
	for k, p := range ps {
		f1 := solveChecked(t, names[k]+" BK", p, bk, 0)
		f2 := solveChecked(t, names[k]+" IBFS", p, ib, 0)
		checkFlow(t, names[k], ib, 0)
		if f1 != f2 {
			t.Fatalf("%s: BK %v, IBFS %v", names[k], f1, f2)
		}
		sameSide(t, names[k], p.n, bk, ib)
	}
}

// TestIBFSReuse re-solves graphs of varying sizes and topologies on one
// IBFS graph (rows rebuilt or reused), against a fresh graph each time,
// then adds arcs after a solve, and checks that re-solving allocates
// nothing.
func TestIBFSReuse(t *testing.T) {
	r := rand.New(rand.NewPCG(39, 40))
	g := NewWith(IBFS, 0, 0)
	for k := 0; k < 100; k++ {
		p := randProblem(r, 1+r.IntN(40), r.Float64(), 20)
		if k%2 == 1 {
			p = reweight(r, p, 0.2)
		}
		reusedMatchesFresh(t, k, p, g, NewWith(IBFS, p.n, 0))
	}
	checkReuse(t, g, true, gridProblem(r, 30, 30, 20, 10), randProblem(r, 50, 0.5, 9))
}

// TestIBFSErrors: builder errors are returned as by BK, an unknown
// algorithm is an error, and the DIMACS path works with IBFS.
func TestIBFSErrors(t *testing.T) {
	g := NewWith(IBFS, 3, 0)
	g.AddEdge(0, 1, -1, 0)
	if _, err := g.MaxFlow(); !errors.Is(err, ErrCapacity) || g.SourceSide(0) {
		t.Fatalf("negative capacity: %v", err)
	}
	g.Reset(2)
	if f, err := g.MaxFlow(); err != nil || f != 0 {
		t.Fatalf("after Reset: %v, %v", f, err)
	}
	if g.Algorithm() != IBFS || IBFS.String() != "ibfs" || BK.String() != "bk" || Algorithm(9).String() != "Algorithm(9)" {
		t.Fatalf("algorithm names: %v %v %v", g.Algorithm(), IBFS, Algorithm(9))
	}
	u := NewWith(Algorithm(9), 2, 0)
	u.AddTerminal(0, 1, 0)
	if _, err := u.MaxFlow(); err == nil || u.SourceSide(0) {
		t.Fatalf("unknown algorithm: err %v", err)
	}
}

// TestIBFSCached runs random graphs and grids with the reverse-residual
// cache and level ordering of large graphs switched on at every size, and
// compares with BK; checkIBFSTrees also checks the cache against the arcs.
func TestIBFSCached(t *testing.T) {
	defer func(c int) { cacheFrom = c }(cacheFrom)
	cacheFrom = 0
	r := rand.New(rand.NewPCG(43, 44))
	bk, ib, _ := ibfsSolvers()
	for k := 0; k < 500; k++ {
		var p *problem
		if k%5 == 4 {
			p = gridProblem(r, 1+r.IntN(40), 1+r.IntN(40), 50, 1+r.IntN(40))
		} else {
			p = randProblem(r, 1+r.IntN(60), r.Float64(), []int{1, 3, 100}[r.IntN(3)])
		}
		name := fmt.Sprintf("graph %d (n=%d)", k, p.n)
		f1 := solveChecked(t, name+" BK", p, bk, 0)
		f2 := solveChecked(t, name+" IBFS", p, ib, 0)
		checkFlow(t, name+" IBFS", ib, 0)
		if !ib.ib.cached || f1 != f2 {
			t.Fatalf("%s: cache on %v; BK %v, IBFS %v", name, ib.ib.cached, f1, f2)
		}
		sameSide(t, name, p.n, bk, ib)
	}
}
