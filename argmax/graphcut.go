package argmax

import (
	"errors"
	"fmt"
	"math"

	"github.com/argmaxvae/argmaxvae/maxflow"
)

// GraphCut solves supermodular binary models (every edge weight ≥ 0)
// exactly by s-t minimum cut: zᵢ = 1 puts node i on the source side, an
// edge of weight w is an arc i→j of capacity w, and the unaries are
// terminal arcs, so max h = Σ Unary[2i] + Σ_{aᵢ>0} aᵢ − maxflow
// (construction in docs/solvers.md). A negative weight or K ≠ 2 is refused
// with [ErrUnsupported]; invalid models get [Model.Validate]'s error.
//
// Time: O(n + E) to build plus the max-flow (Boykov–Kolmogorov by default,
// package maxflow); memory O(n + E). The default backend keeps its graph,
// so repeated solves of one shape do not allocate. Ties: the smallest
// maximizer (minimal source set); ties closer than the flow's rounding may
// go either way. The value is [Model.Score] of z. Not safe for concurrent
// use; one per goroutine.
type GraphCut struct {
	// Backend is the min-cut solver; nil means a *maxflow.Graph created on
	// first use and kept.
	Backend maxflow.MinCut

	def *maxflow.Graph
	a   []float64      // aᵢ, the terminal coefficients
	es  []maxflow.Edge // the edges for def, passed in one AddEdges call
}

// Solve implements [PairwiseSolver].
func (g *GraphCut) Solve(m *Model, z []int) (float64, error) {
	if g.Backend == nil {
		return g.solveDefault(m, z)
	}
	if err := gcCheck(m, z); err != nil {
		return 0, err
	}
	n := m.N
	b := g.Backend
	a := g.coefs(n)
	for i := range a {
		a[i] = m.Theta(i)
	}
	b.Reset(n)
	for _, ed := range m.Edges {
		if ed.W > 0 {
			a[ed.I] += ed.W
			b.AddEdge(ed.I, ed.J, ed.W, 0)
		}
	}
	for i, ai := range a {
		switch {
		case ai > 0:
			b.AddTerminal(i, ai, 0)
		case ai < 0:
			b.AddTerminal(i, 0, -ai)
		}
	}
	if _, err := b.MaxFlow(); err != nil {
		return 0, gcFlowError(m, err)
	}
	for i := 0; i < n; i++ {
		z[i] = 0
		if b.SourceSide(i) {
			z[i] = 1
		}
	}
	return m.Score(z), nil
}

// solveDefault is Solve on the default backend: the same construction,
// with the model checks fused into the construction loops, the edges
// passed in one AddEdges call and direct calls to the *maxflow.Graph.
func (g *GraphCut) solveDefault(m *Model, z []int) (float64, error) {
	if m == nil || m.K != 2 || m.N < 1 || len(m.Unary) != 2*m.N || len(z) < m.N {
		return 0, gcReject(m, z)
	}
	n := m.N
	a := g.coefs(n)
	un := m.Unary[:2*n]
	const scale = 0x1p-64 // Model.checkMagnitude's sum, fused
	mag := 0.0
	for i := range a {
		u0, u1 := un[2*i], un[2*i+1]
		if !finite(u0) || !finite(u1) {
			return 0, gcReject(m, z)
		}
		a[i] = u1 - u0 // m.Theta(i)
		mag += max(math.Abs(u0), math.Abs(u1)) * scale
	}
	if g.def == nil {
		g.def = maxflow.New(n, len(m.Edges))
	}
	b := g.def
	b.Reset(n)
	// Node indices fit in int32 unless n is too large for the graph, in
	// which case Reset has recorded the error MaxFlow returns.
	es := g.es[:0]
	for _, ed := range m.Edges {
		i, j, w := ed.I, ed.J, ed.W
		if uint(i) >= uint(n) || uint(j) >= uint(n) || i == j || !(w >= 0 && w <= math.MaxFloat64) {
			return 0, gcReject(m, z)
		}
		if w > 0 {
			a[i] += w
			es = append(es, maxflow.Edge{U: int32(i), V: int32(j), Cap: w})
			mag += w * scale
		}
	}
	if mag > MaxMagnitude*scale {
		return 0, gcReject(m, z)
	}
	g.es = es
	b.AddEdges(es)
	for i, ai := range a {
		switch {
		case ai > 0:
			b.AddTerminal(i, ai, 0)
		case ai < 0:
			b.AddTerminal(i, 0, -ai)
		}
	}
	if _, err := b.MaxFlow(); err != nil {
		return 0, gcFlowError(m, err)
	}
	for i := range z[:n] {
		z[i] = 0
		if b.SourceSide(i) {
			z[i] = 1
		}
	}
	return m.Score(z), nil
}

// coefs returns the scratch slice for the aᵢ, of length n.
func (g *GraphCut) coefs(n int) []float64 {
	if cap(g.a) < n {
		g.a = make([]float64, n)
	}
	return g.a[:n]
}

// gcCheck runs the full checks of a graph-cut model in order: Validate,
// K = 2, the output length, then the signs of the weights.
func gcCheck(m *Model, z []int) error {
	if err := checkBinary(m, z, "graph cut"); err != nil {
		return err
	}
	for e, ed := range m.Edges {
		if ed.W < 0 {
			return fmt.Errorf("%w: graph cut needs every weight ≥ 0, edge %d (%d,%d) has weight %v", ErrUnsupported, e, ed.I, ed.J, ed.W)
		}
	}
	return nil
}

// gcReject is the error of a model the fused checks of solveDefault
// rejected: that of gcCheck, so that both paths return the same error.
func gcReject(m *Model, z []int) error {
	if err := gcCheck(m, z); err != nil {
		return err
	}
	return errGCCheck
}

// errGCCheck is returned if the fused checks rejected a model that the
// full checks accept, which would be a bug in solveDefault.
var errGCCheck = errors.New("argmax: graph cut: internal error: model rejected by the fused checks only")

// gcFlowError wraps an error of the max-flow backend.
func gcFlowError(m *Model, err error) error {
	return fmt.Errorf("graph cut on %d variables, %d edges: %w", m.N, len(m.Edges), err)
}

// finite reports whether x is neither infinite nor NaN.
func finite(x float64) bool { return x >= -math.MaxFloat64 && x <= math.MaxFloat64 }
