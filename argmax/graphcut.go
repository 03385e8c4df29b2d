package argmax

import (
	"errors"
	"fmt"
	"math"

	"github.com/argmaxvae/argmaxvae/maxflow"
)

// GraphCut solves supermodular binary models (every edge weight ≥ 0) by s-t
// min cut.
//
// The construction: with θᵢ = Unary[2i+1] − Unary[2i], the score is
//
//	h(z) = Σᵢ Unary[2i] + E(z),   E(z) = Σᵢ θᵢzᵢ + Σ_{(i,j,w)} w·zᵢzⱼ,
//
// and for w ≥ 0, maximizing E is minimizing −E. Each pairwise term splits as
//
//	−w·zᵢzⱼ = −w·zᵢ + w·zᵢ(1−zⱼ),
//
// so −E(z) = −Σᵢ aᵢzᵢ + Σ_{(i,j,w)} w·zᵢ(1−zⱼ) with
// aᵢ = θᵢ + Σ (w of the edges whose first endpoint I is i). Put i on the
// source side exactly when zᵢ = 1. Then w·zᵢ(1−zⱼ) is paid exactly when the
// arc i→j of capacity w is cut (i on the source side, j on the sink side).
// A unary −aᵢzᵢ with aᵢ > 0 equals −aᵢ + aᵢ(1−zᵢ): the arc s→i of capacity
// aᵢ, cut when zᵢ = 0. With aᵢ < 0 it is |aᵢ|·zᵢ: the arc i→t of capacity
// −aᵢ, cut when zᵢ = 1. Hence −E(z) = cut(z) − Σ_{aᵢ>0} aᵢ, and by max-flow
// min-cut
//
//	max_z E(z) = Σ_{aᵢ>0} aᵢ − maxflow,   max_z h(z) = that + Σᵢ Unary[2i].
//
// The cut read back is the minimal source set (the nodes reachable from s
// in the residual graph), which is the smallest maximizer: the maximizers
// of a supermodular function form a lattice, and the returned z has zᵢ = 0
// wherever some maximizer has zᵢ = 0, i.e. wherever a tie allows. With real
// weights, ties closer than the rounding of the flow computation may be
// broken either way.
//
// The returned value is m.Score(z), recomputed exactly from the model, not
// derived from the flow. A negative weight gives an error wrapping
// [ErrUnsupported] that names the edge; models with K ≠ 2 are refused the
// same way. A model that fails [Model.Validate] gives Validate's error, so
// the errors are those of checking the whole model first, then the signs.
//
// With the default backend, the checks are fused with building the graph
// (one pass over the unaries and one over the edges, the first problem
// sends the model through the full checks above to get the same error), and
// the graph is a *maxflow.Graph called directly. A trainer re-solving
// models of one structure with new numbers keeps the graph's topology, and
// the graph then only rewrites capacities (see package maxflow).
//
// Time: O(n + E) to build the graph plus the max-flow (Boykov–Kolmogorov by
// default; see package maxflow), memory O(n + E). With the default backend
// a GraphCut reuses its graph, so repeated solves of models of the same or
// smaller size do not allocate.
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
