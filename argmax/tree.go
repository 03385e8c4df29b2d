package argmax

import (
	"fmt"
	"math"
)

// SpanningTree is a latent that is a spanning tree of a fixed connected
// graph: one binary variable per edge (z_e = 1: edge e is in the tree),
// and a code is feasible when the chosen edges form a spanning tree of the
// Nodes nodes — Nodes − 1 edges, no cycle. The graph may have parallel
// edges (a tree uses at most one of them) but no self-loops.
//
// Layout of w (length Dim = 2E for E = len(Edges)): the unary layout of E
// binary variables, as for [KSubset]: w[2e] scores edge e left out and
// w[2e+1] scores it chosen; φ(z) is the one-hot of each bit, so
//
//	h(z) = Σ_e w[2e+z_e] = Σ_e w[2e] + Σ_{e∈T} g_e,  g_e = w[2e+1] − w[2e],
//
// and the arg max is a maximum spanning tree on the gains g_e, which
// [Kruskal] finds in O(E log E). All coordinates are [AnySign].
// "exhaustive" ([Enumerator], 2ᴱ codes) is the reference for E ≤ 22.
//
// Sampling: the perturbed arg max only approximates the Gibbs distribution
// over spanning trees (docs/solvers.md); [SpanningTree.NewUnarySampler]
// samples that exactly.
//
// Build one with [NewSpanningTree] (which checks the graph) or, with its
// weights from edge weights, [TreeProblem]; or as a
// literal checked by [SpanningTree.Validate]; [CompleteGraph] lists the
// edges of a complete graph.
type SpanningTree struct {
	Nodes int
	Edges [][2]int
}

// Compile-time checks.
var (
	_ Structure   = (*SpanningTree)(nil)
	_ Constrained = (*SpanningTree)(nil)
)

// CompleteGraph returns the n(n−1)/2 pairs of the complete graph on n
// nodes in the order (0,1), (0,2), …, (0,n−1), (1,2), …, the order of
// [CompleteEdges].
func CompleteGraph(n int) [][2]int {
	pairs := make([][2]int, 0, max(0, n*(n-1)/2))
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			pairs = append(pairs, [2]int{i, j})
		}
	}
	return pairs
}

// NewSpanningTree returns the spanning trees of the graph with the given
// nodes and edges (copied): nodes ≥ 2, every edge joining two distinct
// nodes in range, and the graph connected. Errors wrap [ErrShape] or
// [ErrEdge].
func NewSpanningTree(nodes int, edges [][2]int) (*SpanningTree, error) {
	t := &SpanningTree{Nodes: nodes, Edges: append([][2]int(nil), edges...)}
	if err := t.Validate(); err != nil {
		return nil, err
	}
	return t, nil
}

// Validate checks the graph: Nodes ≥ 2 (one node has a single, empty
// tree: not a latent), edges joining two distinct nodes in range
// ([ErrEdge]), and every node reachable from node 0 ([ErrShape]). O(E +
// Nodes); it allocates O(Nodes) ≤ O(E) memory.
func (t *SpanningTree) Validate() error {
	if t == nil {
		return fmt.Errorf("%w: nil spanning tree", ErrShape)
	}
	if t.Nodes < 2 {
		return fmt.Errorf("%w: spanning trees of %d nodes, want ≥ 2", ErrShape, t.Nodes)
	}
	if t.Nodes > math.MaxInt32 {
		return fmt.Errorf("%w: spanning trees of %d nodes, want ≤ %d", ErrShape, t.Nodes, math.MaxInt32)
	}
	for e, ed := range t.Edges {
		if ed[0] < 0 || ed[0] >= t.Nodes || ed[1] < 0 || ed[1] >= t.Nodes {
			return fmt.Errorf("%w: edge %d (%d, %d) has a node outside 0…%d", ErrEdge, e, ed[0], ed[1], t.Nodes-1)
		}
		if ed[0] == ed[1] {
			return fmt.Errorf("%w: edge %d (%d, %d) is a self-loop", ErrEdge, e, ed[0], ed[1])
		}
	}
	if len(t.Edges) < t.Nodes-1 { // before allocating Nodes parents
		return fmt.Errorf("%w: the graph of %d nodes and %d edges is not connected (a spanning tree has %d edges), so it has no spanning tree", ErrShape, t.Nodes, len(t.Edges), t.Nodes-1)
	}
	uf := make([]int32, t.Nodes)
	ufReset(uf)
	parts := t.Nodes
	for _, ed := range t.Edges {
		if ufUnion(uf, int32(ed[0]), int32(ed[1])) {
			parts--
		}
	}
	if parts > 1 {
		for v := 1; v < t.Nodes; v++ {
			if ufFind(uf, int32(v)) != ufFind(uf, 0) {
				return fmt.Errorf("%w: the graph of %d nodes and %d edges is not connected (%d components; node %d is not reachable from node 0), so it has no spanning tree", ErrShape, t.Nodes, len(t.Edges), parts, v)
			}
		}
	}
	return nil
}

// Name implements [Structure], e.g. "spanning trees of 8 nodes, 28 edges".
func (t *SpanningTree) Name() string {
	return fmt.Sprintf("spanning trees of %d nodes, %d edges", t.Nodes, len(t.Edges))
}

// Vars implements [Structure]: E, one variable per edge.
func (t *SpanningTree) Vars() int { return len(t.Edges) }

// States implements [Structure]: 2.
func (t *SpanningTree) States() int { return 2 }

// Dim implements [Structure]: 2E.
func (t *SpanningTree) Dim() int { return 2 * len(t.Edges) }

// AddFeatures implements [Structure] in O(E): dst[2e+z_e] += scale.
func (t *SpanningTree) AddFeatures(z []int, scale float32, dst []float32) {
	for e, b := range z[:len(t.Edges)] {
		dst[2*e+b] += scale
	}
}

// Signs implements [Structure]: every coordinate is [AnySign].
func (t *SpanningTree) Signs() []Sign { return make([]Sign, t.Dim()) }

// Feasible implements [Constrained]: z[:E] is 0/1 and its ones are the
// edges of a spanning tree (Nodes − 1 edges without a cycle). O(E·α(Nodes));
// it allocates only for more than 64 nodes.
func (t *SpanningTree) Feasible(z []int) bool {
	ne := len(t.Edges)
	if len(z) < ne || t.Nodes < 1 {
		return false
	}
	ones := 0
	for _, b := range z[:ne] {
		switch b {
		case 0:
		case 1:
			ones++
		default:
			return false
		}
	}
	if ones != t.Nodes-1 {
		return false
	}
	var small [64]int32
	var uf []int32
	if t.Nodes <= len(small) {
		uf = small[:t.Nodes]
	} else {
		uf = make([]int32, t.Nodes)
	}
	ufReset(uf)
	for e, b := range z[:ne] {
		if b == 1 {
			a, c := t.Edges[e][0], t.Edges[e][1]
			if a < 0 || a >= t.Nodes || c < 0 || c >= t.Nodes || !ufUnion(uf, int32(a), int32(c)) {
				return false // out of range, or closes a cycle
			}
		}
	}
	return true // Nodes − 1 edges without a cycle span the nodes
}

// Solvers implements [Structure]: "kruskal" ([Kruskal], O(E log E)), then
// "exhaustive" ([Enumerator]) when it has at most [MaxEnumerateCodes]
// codes.
func (t *SpanningTree) Solvers() []string { return withEnumerator(t, "kruskal") }

// NewSolver implements [Structure]. "kruskal" returns a [*Kruskal];
// "exhaustive" returns an [Enumerator] where listed. Other
// names are refused, naming the ones that apply; an invalid graph is
// refused like [SpanningTree.Validate].
func (t *SpanningTree) NewSolver(name string) (Maximizer, error) {
	if err := t.Validate(); err != nil {
		return nil, err
	}
	return pickSolver(t.clone(), name, "kruskal", func() (Maximizer, error) { return NewKruskal(t) })
}

// clone returns a copy that does not share the edge list.
func (t *SpanningTree) clone() *SpanningTree {
	return &SpanningTree{Nodes: t.Nodes, Edges: append([][2]int(nil), t.Edges...)}
}

// coordinate describes w[j] for error messages.
func (t *SpanningTree) coordinate(j int) string {
	e := j / 2
	what := "left out"
	if j%2 == 1 {
		what = "chosen"
	}
	return fmt.Sprintf("score of edge %d (%d–%d) %s", e, t.Edges[e][0], t.Edges[e][1], what)
}

// Union-find over int32 node ids: uf[v] < 0 marks a root of −uf[v] nodes,
// otherwise uf[v] is v's parent.

func ufReset(uf []int32) {
	for v := range uf {
		uf[v] = -1
	}
}

// ufFind returns v's root, halving the path.
func ufFind(uf []int32, v int32) int32 {
	for uf[v] >= 0 {
		if p := uf[v]; uf[p] >= 0 {
			uf[v] = uf[p]
		}
		v = uf[v]
	}
	return v
}

// ufUnion merges the sets of a and b (the smaller under the larger) and
// reports whether they were different.
func ufUnion(uf []int32, a, b int32) bool {
	a, b = ufFind(uf, a), ufFind(uf, b)
	if a == b {
		return false
	}
	if uf[a] > uf[b] { // a is the smaller set
		a, b = b, a
	}
	uf[a] += uf[b]
	uf[b] = a
	return true
}
