package maxflow

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// fuzzCaps are the capacities the graph fuzzer picks from: integers, reals
// of mixed magnitudes, and invalid values.
var fuzzCaps = []float64{0, 1, 2, 3, 5, 8, 100, 0.5, 1e-6, 1e6, 0.1, 3.7, -1, math.NaN(), math.Inf(1)}

// FuzzGraph drives Graph with an arbitrary sequence of builder calls
// decoded from bytes, edge by edge and in AddEdges batches (which must
// store the same graph and error). It must never panic; a valid graph must
// give flow = capacity of the reported cut, with all capacities doubled
// (reusing the CSR rows) twice the flow and the same cut, IBFS and
// ParallelBK (split into blocks) the same flow with valid trees and the
// residual-reach cut, and on integer capacities the same flow and cut as
// YourBasic (and IBFS and ParallelBK the same cut as BK); an invalid call
// must give the right error.
func FuzzGraph(f *testing.F) {
	f.Add([]byte{3, 0, 0, 1, 1, 2, 1, 0, 0, 4, 0, 1, 2, 1, 1, 1, 2, 0, 0, 3})
	f.Add([]byte{10, 0, 1, 2, 13, 0})
	f.Add([]byte{1})
	f.Add([]byte{20, 1, 5, 0, 6, 7, 0, 5, 9, 2, 2, 1, 9, 0, 0, 6, 0, 3, 4, 1, 1})
	f.Add([]byte{4, 2, 1, 1, 2, 2, 0, 1, 2, 9, 10, 1, 3, 0, 0, 12})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		p := &problem{n: int(data[0]) % 25}
		valid, integer := true, true
		for k := 1; k+4 < len(data); k += 5 {
			o := op{
				kind: int(data[k] % 2),
				u:    int(data[k+1]) - 2, // a few out-of-range values
				v:    int(data[k+2]) - 2,
				a:    fuzzCaps[int(data[k+3])%len(fuzzCaps)],
				b:    fuzzCaps[int(data[k+4])%len(fuzzCaps)],
			}
			if o.kind == 1 {
				o.v = 0
			}
			if o.u < 0 || o.u >= p.n || o.v < 0 || o.v >= p.n || badCap(o.a) || badCap(o.b) {
				valid = false
			}
			if o.a != math.Trunc(o.a) || o.b != math.Trunc(o.b) {
				integer = false
			}
			p.ops = append(p.ops, o)
		}
		g := New(0, 0)
		p.load(g)
		// The same calls with the edges batched through AddEdges.
		gb := New(0, 0)
		loadBatched(rand.New(rand.NewPCG(uint64(len(data)), 1)), gb, p)
		sameGraph(t, "batched", g, gb)
		flow, err := g.MaxFlow()
		if !valid {
			if !errors.Is(err, ErrNode) && !errors.Is(err, ErrCapacity) {
				t.Fatalf("invalid calls gave error %v", err)
			}
			return
		}
		if err != nil {
			t.Fatalf("valid graph: %v", err)
		}
		total := 0.0
		for _, o := range p.ops {
			total += o.a + o.b
		}
		if c := p.cutCapacity(g.SourceSide); math.Abs(c-flow) > 1e-12*total {
			t.Fatalf("flow %v, cut %v", flow, c)
		}
		checkFlow(t, "fuzz", g, 1e-12*total)
		// IBFS on the same calls: a feasible flow of the same value (exact
		// on integers), its trees valid and its cut the residual reach.
		ib := NewWith(IBFS, 0, 0)
		p.load(ib)
		if fi, err := ib.MaxFlow(); err != nil || math.Abs(fi-flow) > 1e-12*total || (integer && fi != flow) {
			t.Fatalf("BK %v, IBFS %v (%v)", flow, fi, err)
		}
		checkIBFSTrees(t, "fuzz IBFS", ib)
		checkFlow(t, "fuzz IBFS", ib, 1e-12*total)
		if integer {
			sameSide(t, "fuzz BK/IBFS", p.n, g, ib)
		}
		// ParallelBK split into three blocks on two workers: the same
		// checks, and BK's cut on integers.
		pb := newPBK(2, 3)
		p.load(pb)
		if fp, err := pb.MaxFlow(); err != nil || math.Abs(fp-flow) > 1e-12*total || (integer && fp != flow) {
			t.Fatalf("BK %v, pbk %v (%v)", flow, fp, err)
		}
		checkTreeCut(t, "fuzz pbk", pb)
		checkPBK(t, "fuzz pbk", pb)
		checkFlow(t, "fuzz pbk", pb, 1e-12*total)
		if integer {
			sameSide(t, "fuzz BK/pbk", p.n, g, pb)
		}
		// Doubling every capacity keeps the topology, so the graph reuses
		// its rows; the solver's arithmetic scales exactly, so the flow
		// doubles and the cut stays.
		side := reachFromSource(g)
		q := &problem{n: p.n, ops: append([]op(nil), p.ops...)}
		for i := range q.ops {
			q.ops[i].a *= 2
			q.ops[i].b *= 2
		}
		q.load(g)
		if !g.rowsValid() {
			t.Fatalf("doubled capacities: rows not reused")
		}
		if f2, err := g.MaxFlow(); err != nil || f2 != 2*flow {
			t.Fatalf("doubled capacities: flow %v (%v), want %v", f2, err, 2*flow)
		}
		checkTreeCut(t, "fuzz doubled", g)
		for u := range side {
			if g.SourceSide(u) != side[u] {
				t.Fatalf("doubled capacities: node %d side %v, was %v", u, g.SourceSide(u), side[u])
			}
		}
		p.load(g)
		if f3, err := g.MaxFlow(); err != nil || f3 != flow {
			t.Fatalf("original capacities again: flow %v (%v), want %v", f3, err, flow)
		}
		if !integer {
			return
		}
		y := &YourBasic{}
		p.load(y)
		if f2, err := y.MaxFlow(); err != nil || f2 != flow {
			t.Fatalf("BK %v, YourBasic %v (%v)", flow, f2, err)
		}
		sameSide(t, "fuzz", p.n, g, y)
	})
}
