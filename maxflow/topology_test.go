package maxflow

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestSourceTreeIsReach solves thousands of random graphs, with integer,
// tied, sparse and real capacities of mixed magnitudes, and checks that
// the source tree SourceSide reads is exactly the set reachable from s in
// the residual graph (checkTreeCut), besides flow = cut and a feasible
// flow.
func TestSourceTreeIsReach(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	g := New(0, 0)
	count := 4000
	if testing.Short() {
		count = 1500
	}
	for k := 0; k < count; k++ {
		n := 1 + r.IntN(40)
		if k%4 == 0 {
			n = 1 + r.IntN(8)
		}
		p := randProblem(r, n, r.Float64(), []int{1, 2, 5, 100}[r.IntN(4)])
		total := 0.0
		if k%3 == 2 { // reals of mixed magnitudes
			for i := range p.ops {
				s := math.Pow(10, float64(r.IntN(9)-4))
				p.ops[i].a *= r.Float64() * s
				p.ops[i].b *= r.Float64() * s
			}
		}
		for _, o := range p.ops {
			total += o.a + o.b
		}
		name := fmt.Sprintf("graph %d (n=%d, %d calls)", k, n, len(p.ops))
		solveChecked(t, name, p, g, 1e-12*total) // includes checkTreeCut
		checkFlow(t, name, g, 1e-12*total)
	}
}

// reweight returns p with fresh random capacities on the same calls; a
// fraction zero of them becomes 0 (an edge with both capacities 0 is
// dropped by AddEdge, which changes the topology).
func reweight(r *rand.Rand, p *problem, zero float64) *problem {
	q := &problem{n: p.n, ops: append([]op(nil), p.ops...)}
	draw := func() float64 {
		if r.Float64() < zero {
			return 0
		}
		return float64(r.IntN(50))
	}
	for i := range q.ops {
		q.ops[i].a, q.ops[i].b = draw(), draw()
	}
	return q
}

// topology lists the arcs AddEdge keeps for p (self-loops and edges with
// both capacities 0 are dropped), in order.
func topology(p *problem) [][2]int {
	var e [][2]int
	for _, o := range p.ops {
		if o.kind == 0 && o.u != o.v && o.a+o.b > 0 {
			e = append(e, [2]int{o.u, o.v})
		}
	}
	return e
}

// TestSameTopology re-solves graphs on one Graph with changing weights,
// where build reuses the CSR rows, and with changing topology (edges
// reordered, added, dropped, reversed, zero weights, another node count).
// It requires that the rows are reused exactly when the node count and the
// kept edges' endpoints are unchanged, and that every solve gives the same
// flow, bit for bit, and the same cut as a fresh Graph, besides the checks
// of solveChecked and checkFlow.
func TestSameTopology(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 24))
	g := New(0, 0)
	p := randProblem(r, 15, 1, 20)
	prevN, prevTopo := -1, [][2]int(nil)
	reused := 0
	count := 3000
	if testing.Short() {
		count = 1000
	}
	for k := 0; k < count; k++ {
		var change string
		c := r.IntN(10)
		if len(p.ops) < 2 {
			c = 9
		}
		switch {
		case c < 5:
			change = "weights"
			p = reweight(r, p, 0)
		case c == 5:
			change = "weights with zeros"
			p = reweight(r, p, 0.3)
		case c == 6:
			change = "order"
			q := &problem{n: p.n, ops: append([]op(nil), p.ops...)}
			i, j := r.IntN(len(q.ops)), r.IntN(len(q.ops))
			q.ops[i], q.ops[j] = q.ops[j], q.ops[i]
			p = q
		case c == 7:
			change = "reversed edge"
			q := &problem{n: p.n, ops: append([]op(nil), p.ops...)}
			i := r.IntN(len(q.ops))
			q.ops[i].u, q.ops[i].v, q.ops[i].a, q.ops[i].b = q.ops[i].v, q.ops[i].u, q.ops[i].b, q.ops[i].a
			p = q
		case c == 8:
			change = "edges added or removed"
			q := &problem{n: p.n, ops: append([]op(nil), p.ops...)}
			if r.IntN(2) == 0 {
				q.ops = q.ops[:len(q.ops)-1-r.IntN(len(q.ops)/2)]
			} else {
				for range 1 + r.IntN(5) {
					q.ops = append(q.ops, op{0, r.IntN(q.n), r.IntN(q.n), float64(r.IntN(9)), float64(r.IntN(9))})
				}
			}
			p = q
		default:
			change = "new graph"
			p = randProblem(r, 1+r.IntN(25), r.Float64(), 20)
		}
		name := fmt.Sprintf("step %d (%s, n=%d)", k, change, p.n)
		topo := topology(p)
		want := p.n == prevN && fmt.Sprint(topo) == fmt.Sprint(prevTopo)
		prevN, prevTopo = p.n, topo
		p.load(g)
		if got := g.rowsValid(); got != want {
			t.Fatalf("%s: rows reusable = %v, want %v", name, got, want)
		}
		if want {
			reused++
		}
		f1 := solveChecked(t, name+" reused", p, g, 0)
		checkFlow(t, name, g, 0)
		fresh := New(0, 0)
		f2 := solveChecked(t, name+" fresh", p, fresh, 0)
		if math.Float64bits(f1) != math.Float64bits(f2) {
			t.Fatalf("%s: reused graph flow %v, fresh %v", name, f1, f2)
		}
		sameSide(t, name, p.n, g, fresh)
		// Solving again without Reset reuses the rows, same answer.
		if !g.rowsValid() {
			t.Fatalf("%s: rows not reusable right after MaxFlow", name)
		}
		if f3, err := g.MaxFlow(); err != nil || f3 != f1 {
			t.Fatalf("%s: second MaxFlow %v (%v), first %v", name, f3, err, f1)
		}
		sameSide(t, name+" again", p.n, g, fresh)
	}
	if reused < count/3 {
		t.Fatalf("rows reused on %d of %d solves", reused, count)
	}
}
