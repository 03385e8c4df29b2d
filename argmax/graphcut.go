package argmax

import (
	"fmt"

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
// [ErrUnsupported] that names the edge; all edges are checked before any
// graph is built. Models with K ≠ 2 are refused the same way.
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
	a   []float64 // aᵢ, the terminal coefficients
}

// Solve implements [Solver].
func (g *GraphCut) Solve(m *Model, z []int) (float64, error) {
	if err := checkBinary(m, z, "graph cut"); err != nil {
		return 0, err
	}
	for e, ed := range m.Edges {
		if ed.W < 0 {
			return 0, fmt.Errorf("%w: graph cut needs every weight ≥ 0, edge %d (%d,%d) has weight %v", ErrUnsupported, e, ed.I, ed.J, ed.W)
		}
	}
	n := m.N
	b := g.Backend
	if b == nil {
		if g.def == nil {
			g.def = maxflow.New(n, len(m.Edges))
		}
		b = g.def
	}
	if cap(g.a) < n {
		g.a = make([]float64, n)
	}
	a := g.a[:n]
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
		return 0, fmt.Errorf("graph cut on %d variables, %d edges: %w", n, len(m.Edges), err)
	}
	for i := 0; i < n; i++ {
		z[i] = 0
		if b.SourceSide(i) {
			z[i] = 1
		}
	}
	return m.Score(z), nil
}
