package maxflow

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// loadBatched loads p into g like p.load, but passes each run of
// consecutive edges to AddEdges in one call, cut into batches of random
// length (some empty).
func loadBatched(r *rand.Rand, g *Graph, p *problem) {
	g.Reset(p.n)
	var es []Edge
	flush := func() {
		for len(es) > 0 {
			k := r.IntN(len(es) + 1)
			g.AddEdges(es[:k])
			es = es[k:]
		}
		es = nil
	}
	for _, o := range p.ops {
		if o.kind == 0 {
			es = append(es, Edge{U: int32(o.u), V: int32(o.v), Cap: o.a, Rev: o.b})
			continue
		}
		flush()
		g.AddTerminal(o.u, o.a, o.b)
	}
	flush()
}

// sameGraph fails unless a and b hold the same edges, terminal capacities
// and error.
func sameGraph(t *testing.T, name string, a, b *Graph) {
	t.Helper()
	if fmt.Sprint(a.err) != fmt.Sprint(b.err) {
		t.Fatalf("%s: errors %v and %v", name, a.err, b.err)
	}
	if a.err != nil {
		return
	}
	if a.n != b.n || len(a.edges) != len(b.edges) {
		t.Fatalf("%s: %d nodes/%d edges vs %d/%d", name, a.n, len(a.edges), b.n, len(b.edges))
	}
	for k := range a.edges {
		ea, eb := a.edges[k], b.edges[k]
		if ea.U != eb.U || ea.V != eb.V || math.Float64bits(ea.Cap) != math.Float64bits(eb.Cap) || math.Float64bits(ea.Rev) != math.Float64bits(eb.Rev) {
			t.Fatalf("%s: edge %d is %+v vs %+v", name, k, ea, eb)
		}
	}
	for i := 0; i < a.n; i++ {
		if a.src[i] != b.src[i] || a.snk[i] != b.snk[i] {
			t.Fatalf("%s: node %d terminals %v/%v vs %v/%v", name, i, a.src[i], a.snk[i], b.src[i], b.snk[i])
		}
	}
}

// TestAddEdgesSameAsAddEdge loads random graphs, with self-loops, zero,
// huge (overflowing sum) and invalid capacities and out-of-range nodes,
// once through AddEdge and once through AddEdges in random batches, into
// graphs that start empty (so AddEdges must grow the array) or reused, and
// requires the same stored graph, the same first error, and the same flow
// and cut.
func TestAddEdgesSameAsAddEdge(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	caps := []float64{0, 1, 2.5, 7, 1e-300, math.MaxFloat64, -1, math.NaN(), math.Inf(1), math.Inf(-1)}
	reused := New(0, 0)
	for k := 0; k < 2000; k++ {
		n := 1 + r.IntN(12)
		p := randProblem(r, n, r.Float64(), 9)
		bad := k%4 == 0 // a quarter of the graphs get odd calls
		for i := range p.ops {
			if !bad || r.IntN(6) != 0 {
				continue
			}
			o := &p.ops[i]
			switch r.IntN(4) {
			case 0:
				o.a = caps[r.IntN(len(caps))]
			case 1:
				o.b = caps[r.IntN(len(caps))]
			case 2:
				o.u = r.IntN(n+4) - 2
			case 3:
				if o.kind == 0 {
					o.v = o.u // self-loop
				}
			}
		}
		name := fmt.Sprintf("graph %d (n=%d, %d calls)", k, n, len(p.ops))
		one := New(0, 0)
		p.load(one)
		batched := New(0, 0)
		if k%2 == 1 {
			batched = reused
		}
		loadBatched(r, batched, p)
		sameGraph(t, name, one, batched)
		f1, err1 := one.MaxFlow()
		f2, err2 := batched.MaxFlow()
		if fmt.Sprint(err1) != fmt.Sprint(err2) || math.Float64bits(f1) != math.Float64bits(f2) {
			t.Fatalf("%s: AddEdge gives %v (%v), AddEdges %v (%v)", name, f1, err1, f2, err2)
		}
		sameSide(t, name, n, one, batched)
	}
}
