package maxflow

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// clrs is the flow network of Cormen et al., Introduction to Algorithms,
// Fig. 26.1, with s and t as terminals and v1..v4 as nodes 0..3. Its
// maximum flow is 23 and the minimal cut is S = {s, v1, v2, v4}.
func clrs() *problem {
	return &problem{n: 4, ops: []op{
		{1, 0, 0, 16, 0}, {1, 1, 0, 13, 0},
		{0, 0, 2, 12, 0}, {0, 1, 0, 4, 0}, {0, 1, 3, 14, 0},
		{0, 2, 1, 9, 0}, {1, 2, 0, 0, 20}, {0, 3, 2, 7, 0}, {1, 3, 0, 0, 4},
	}}
}

func TestHandMade(t *testing.T) {
	for _, g := range []MinCut{New(0, 0), &YourBasic{}} {
		p := clrs()
		name := fmt.Sprintf("%T", g)
		if f := solveChecked(t, name, p, g, 0); f != 23 {
			t.Fatalf("%s: flow %v, want 23", name, f)
		}
		for u, want := range []bool{true, true, false, true} {
			if g.SourceSide(u) != want {
				t.Errorf("%s: SourceSide(v%d) = %v, want %v", name, u+1, g.SourceSide(u), want)
			}
		}
	}
}

// TestTiny covers degenerate graphs with known answers.
func TestTiny(t *testing.T) {
	cases := []struct {
		name string
		p    *problem
		flow float64
		side []bool
	}{
		{"empty", &problem{n: 0}, 0, nil},
		{"isolated", &problem{n: 3}, 0, []bool{false, false, false}},
		{"both terminals", &problem{n: 1, ops: []op{{1, 0, 0, 5, 3}}}, 3, []bool{true}},
		{"tie", &problem{n: 1, ops: []op{{1, 0, 0, 2, 2}}}, 2, []bool{false}},
		{"chain", &problem{n: 3, ops: []op{{1, 0, 0, 9, 0}, {0, 0, 1, 4, 0}, {0, 1, 2, 6, 1}, {1, 2, 0, 0, 9}}}, 4, []bool{true, false, false}},
		{"reverse only", &problem{n: 2, ops: []op{{1, 0, 0, 9, 0}, {0, 1, 0, 5, 0}, {1, 1, 0, 0, 9}}}, 0, []bool{true, false}},
		{"self loop", &problem{n: 1, ops: []op{{0, 0, 0, 7, 7}, {1, 0, 0, 1, 0}}}, 0, []bool{true}},
	}
	for _, c := range cases {
		for _, g := range []MinCut{New(0, 0), &YourBasic{}} {
			name := fmt.Sprintf("%s/%T", c.name, g)
			if f := solveChecked(t, name, c.p, g, 0); f != c.flow {
				t.Errorf("%s: flow %v, want %v", name, f, c.flow)
			}
			for u, want := range c.side {
				if g.SourceSide(u) != want {
					t.Errorf("%s: SourceSide(%d) = %v, want %v", name, u, g.SourceSide(u), want)
				}
			}
		}
	}
}

// TestRandomVsYourBasic compares flows and cuts of BK and Edmonds–Karp on
// random integer graphs of 1..60 nodes, sparse and dense.
func TestRandomVsYourBasic(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	bk, yb := New(0, 0), &YourBasic{Scale: 1}
	count := 600
	if testing.Short() {
		count = 150
	}
	for k := 0; k < count; k++ {
		n := 1 + r.IntN(60)
		density := []float64{0, 0.05, 0.2, 0.6, 1}[r.IntN(5)]
		maxCap := []int{1, 3, 10, 1000}[r.IntN(4)]
		p := randProblem(r, n, density, maxCap)
		name := fmt.Sprintf("graph %d (n=%d, density %v, caps ≤ %d)", k, n, density, maxCap)
		f1 := solveChecked(t, name+" BK", p, bk, 0)
		checkFlow(t, name, bk, 0)
		f2 := solveChecked(t, name+" YourBasic", p, yb, 0)
		if f1 != f2 {
			t.Fatalf("%s: BK flow %v, YourBasic %v", name, f1, f2)
		}
		// The minimal source set is unique, so both must report it.
		sameSide(t, name, n, bk, yb)
	}
}

// TestBruteForce checks the flow value and the minimality of the source
// set against enumeration of all cuts on small graphs, with dyadic real
// capacities on half of them, for every algorithm (each with its own
// stream of graphs).
func TestBruteForce(t *testing.T) {
	for _, c := range []struct {
		alg          Algorithm
		seed1, seed2 uint64
	}{{BK, 3, 4}, {IBFS, 33, 34}} {
		t.Run(c.alg.String(), func(t *testing.T) { bruteForce(t, c.alg, c.seed1, c.seed2) })
	}
}

func bruteForce(t *testing.T, alg Algorithm, seed1, seed2 uint64) {
	r := rand.New(rand.NewPCG(seed1, seed2))
	g := NewWith(alg, 0, 0)
	for k := 0; k < 400; k++ {
		n := 1 + r.IntN(10)
		p := randProblem(r, n, r.Float64(), 1+r.IntN(6))
		if k%2 == 1 { // dyadic reals: sums stay exact
			for i := range p.ops {
				p.ops[i].a /= 8
				p.ops[i].b /= 4
			}
		}
		name := fmt.Sprintf("graph %d (n=%d)", k, n)
		f := solveChecked(t, name, p, g, 0)
		best, inter := p.bruteMinCut()
		if f != best {
			t.Fatalf("%s: flow %v, minimum cut by enumeration %v", name, f, best)
		}
		for u := 0; u < n; u++ {
			if want := inter>>u&1 == 1; g.SourceSide(u) != want {
				t.Fatalf("%s: SourceSide(%d) = %v, but the minimal minimum cut says %v", name, u, g.SourceSide(u), want)
			}
		}
	}
}

// TestRealCapacities checks flow = cut capacity on graphs with arbitrary
// real capacities of mixed magnitudes.
func TestRealCapacities(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	g := New(0, 0)
	for k := 0; k < 200; k++ {
		n := 1 + r.IntN(60)
		p := randProblem(r, n, r.Float64()*0.5, 1)
		total := scaleMixed(r, p)
		solveChecked(t, fmt.Sprintf("graph %d", k), p, g, 1e-12*total)
		checkFlow(t, fmt.Sprintf("graph %d", k), g, 1e-12*total)
	}
}

func TestGrids(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	bk, yb := New(0, 0), &YourBasic{}
	for k, sz := range [][2]int{{1, 1}, {1, 7}, {5, 5}, {12, 9}, {20, 20}, {30, 25}} {
		for _, smooth := range []int{1, 5, 50} {
			p := gridProblem(r, sz[0], sz[1], 20, smooth)
			name := fmt.Sprintf("grid %d %dx%d smooth<%d", k, sz[0], sz[1], smooth)
			f1 := solveChecked(t, name, p, bk, 0)
			checkFlow(t, name, bk, 0)
			f2 := solveChecked(t, name, p, yb, 0)
			if f1 != f2 {
				t.Fatalf("%s: BK %v, YourBasic %v", name, f1, f2)
			}
			sameSide(t, name, p.n, bk, yb)
		}
	}
}

// TestLargeGridCut solves a 128² grid and checks flow = cut capacity.
func TestLargeGridCut(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	p := gridProblem(r, 128, 128, 100, 60)
	g := New(p.n, 2*p.n)
	solveChecked(t, "grid 128²", p, g, 0)
	checkFlow(t, "grid 128²", g, 0)
}

// TestReuse solves several graphs of varying sizes on one Graph and checks
// each against a fresh Graph, including a second MaxFlow without Reset.
func TestReuse(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	g := New(0, 0)
	for k := 0; k < 50; k++ {
		p := randProblem(r, 1+r.IntN(40), r.Float64(), 20)
		reusedMatchesFresh(t, k, p, g, New(p.n, 0))
	}
	// Adding arcs after a solve and solving again covers the whole graph.
	p := clrs()
	p.load(g)
	if f, _ := g.MaxFlow(); f != 23 {
		t.Fatalf("clrs flow %v", f)
	}
	g.AddTerminal(3, 0, 10)
	if f, _ := g.MaxFlow(); f != 25 { // cut {s, v1}: 13 + 12
		t.Fatalf("after adding v4→t: flow %v, want 25", f)
	}
}

func TestErrors(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	cases := []struct {
		name string
		do   func(g MinCut)
		want error
		text string
	}{
		{"negative edge", func(g MinCut) { g.AddEdge(0, 1, -1, 0) }, ErrCapacity, "edge (0,1) capacity -1"},
		{"NaN reverse", func(g MinCut) { g.AddEdge(1, 2, 0, nan) }, ErrCapacity, "edge (1,2) reverse capacity NaN"},
		{"Inf edge", func(g MinCut) { g.AddEdge(1, 2, inf, 0) }, ErrCapacity, "+Inf"},
		{"edge node", func(g MinCut) { g.AddEdge(0, 3, 1, 1) }, ErrNode, "edge (0,3) in a graph of 3 nodes"},
		{"negative node", func(g MinCut) { g.AddEdge(-1, 0, 1, 1) }, ErrNode, "(-1,0)"},
		{"terminal node", func(g MinCut) { g.AddTerminal(7, 1, 1) }, ErrNode, "node 7"},
		{"negative source", func(g MinCut) { g.AddTerminal(2, -0.5, 1) }, ErrCapacity, "source capacity of node 2 = -0.5"},
		{"NaN sink", func(g MinCut) { g.AddTerminal(1, 0, nan) }, ErrCapacity, "sink capacity of node 1 = NaN"},
		{"sticky first", func(g MinCut) {
			g.AddTerminal(1, 0, -2)
			g.AddEdge(0, 9, 1, 1)
		}, ErrCapacity, "sink capacity of node 1 = -2"},
		{"bad reset", func(g MinCut) { g.Reset(-4) }, ErrNode, "-4 nodes"},
	}
	for _, c := range cases {
		for _, g := range []MinCut{New(3, 0), &YourBasic{}} {
			name := fmt.Sprintf("%s/%T", c.name, g)
			g.Reset(3)
			g.AddTerminal(0, 1, 0)
			c.do(g)
			_, err := g.MaxFlow()
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.text) {
				t.Errorf("%s: error %v, want %v containing %q", name, err, c.want, c.text)
			}
			if g.SourceSide(0) {
				t.Errorf("%s: SourceSide true after a failed MaxFlow", name)
			}
			g.Reset(3)
			if f, err := g.MaxFlow(); err != nil || f != 0 {
				t.Errorf("%s: after Reset: %v, %v", name, f, err)
			}
		}
	}
	g := New(1, 0)
	g.AddTerminal(0, math.MaxFloat64, 0)
	g.AddTerminal(0, math.MaxFloat64, 0)
	if _, err := g.MaxFlow(); !errors.Is(err, ErrCapacity) {
		t.Errorf("overflowing terminal sum: error %v", err)
	}
	if _, err := (&YourBasic{Scale: -1}).MaxFlow(); !errors.Is(err, ErrCapacity) {
		t.Errorf("negative Scale: error %v", err)
	}
	y := &YourBasic{Scale: 1e18}
	y.Reset(2)
	y.AddTerminal(0, 100, 100)
	y.AddTerminal(1, 100, 100)
	if _, err := y.MaxFlow(); !errors.Is(err, ErrTooLarge) {
		t.Errorf("huge scaled capacities: error %v", err)
	}
}

func TestYourBasicScale(t *testing.T) {
	p := clrs()
	for i := range p.ops {
		p.ops[i].a /= 4
		p.ops[i].b /= 4
	}
	y := &YourBasic{Scale: 4}
	if f := solveChecked(t, "scaled", p, y, 0); f != 23.0/4 {
		t.Fatalf("flow %v, want %v", f, 23.0/4)
	}
}

func TestAllocs(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for _, p := range []*problem{gridProblem(r, 30, 30, 20, 10), randProblem(r, 50, 0.5, 9)} {
		checkReuse(t, New(0, 0), false, p)
	}
}
