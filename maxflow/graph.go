package maxflow

import (
	"fmt"
	"math"
)

// Graph is an s-t flow network solved by the Boykov–Kolmogorov algorithm
// (see the package documentation), or by IBFS when made by [NewWith]. Build it with [Graph.AddEdge] (or
// [Graph.AddEdges]) and [Graph.AddTerminal], call [Graph.MaxFlow], then
// read the cut with [Graph.SourceSide]. MaxFlow always solves the whole
// graph built since the last [Graph.Reset] from zero flow, so more arcs may
// be added and MaxFlow called again.
//
// A Graph keeps all its arrays across Reset: once it has held a graph of a
// given size, building and solving a graph no larger allocates nothing.
// Self-loops (u = v) are accepted and ignored, as they never carry flow.
// The first invalid call (negative, NaN or infinite capacity, node out of
// range) is recorded and returned by MaxFlow; later calls are still checked
// but only the first error is kept. A Graph is not safe for concurrent use.
type Graph struct {
	n   int
	err error
	alg Algorithm // see NewWith

	// Input, as added: the edges kept by AddEdge and AddEdges.
	edges    []Edge
	src, snk []float64 // terminal capacities s→u, u→t per node

	// Size of the last build (see csr.go): the CSR rows below hold builtM
	// edges on builtN nodes.
	builtN, builtM int

	// Solver state, rebuilt by MaxFlow (see bk.go).
	off    []int32   // arcs of node u are off[u]..off[u+1]-1
	cur    []int32   // fill cursor while building off
	arcs   []arc     // CSR arcs
	epos   []arcPair // arcs of edge k: epos[k].fwd (u→v) and epos[k].rev
	tr     []float64 // residual terminal capacity: >0 from s, <0 to t
	nodes  []node    // search-tree state
	flow   float64
	solved bool

	bk bkSolver  // BK's queues and clock (see bk.go)
	pb pbkState  // ParallelBK's workers (see pbk.go)
	ib ibfsState // the IBFS solver's state (see ibfs.go)
}

// Edge is one edge for [Graph.AddEdges]: an arc U→V of capacity Cap and
// an arc V→U of capacity Rev, as in [Graph.AddEdge].
type Edge struct {
	U, V     int32
	Cap, Rev float64
}

// New returns an empty graph with nodes 0..nodes-1 and room for edgeHint
// AddEdge calls before its edge arrays grow. A nodes value out of range is
// recorded as the graph's error.
func New(nodes, edgeHint int) *Graph {
	g := &Graph{}
	if edgeHint > 0 && edgeHint <= maxEdges {
		g.edges = make([]Edge, 0, edgeHint)
	}
	g.Reset(nodes)
	return g
}

// Reset implements [MinCut]: the graph becomes nodes isolated nodes with
// zero terminal capacities, and its recorded error is cleared. It allocates
// only when nodes exceeds every earlier size.
func (g *Graph) Reset(nodes int) {
	g.err = checkNodes(nodes)
	if g.err != nil {
		nodes = 0
	}
	g.n = nodes
	g.edges = g.edges[:0]
	g.src = resize(g.src, nodes)
	g.snk = resize(g.snk, nodes)
	clear(g.src)
	clear(g.snk)
	g.flow, g.solved = 0, false
}

// Nodes returns the number of nodes.
func (g *Graph) Nodes() int { return g.n }

// Err returns the first error recorded since the last Reset, or nil.
func (g *Graph) Err() error { return g.err }

// AddEdge implements [MinCut]. Zero capacities are allowed. The common
// case (valid call, room in the edge array) is a few comparisons and one
// store; everything else goes through addEdgeSlow. To add many edges at
// once, [Graph.AddEdges] saves the call per edge.
func (g *Graph) AddEdge(u, v int, capacity, revCap float64) {
	k := len(g.edges)
	// With both capacities ≥ 0 (false for NaN), 0 < sum ≤ MaxFloat64 means
	// both finite and not both zero; a sum that overflows is left to
	// addEdgeSlow.
	if uint(u) < uint(g.n) && uint(v) < uint(g.n) && u != v && k < cap(g.edges) &&
		capacity >= 0 && revCap >= 0 && capacity+revCap > 0 && capacity+revCap <= math.MaxFloat64 {
		g.edges = g.edges[:k+1]
		g.edges[k] = Edge{int32(u), int32(v), capacity, revCap}
		g.solved = false
		return
	}
	g.addEdgeSlow(u, v, capacity, revCap)
}

// AddEdges adds the edges es in order, exactly as AddEdge(e.U, e.V,
// e.Cap, e.Rev) for each e would (same checks, same first error), in one
// call: the loop keeps the edge array in registers and grows it at most
// once. es is copied, not kept. O(len(es)).
func (g *Graph) AddEdges(es []Edge) {
	k := len(g.edges)
	if cap(g.edges)-k < len(es) && len(es) <= maxEdges-k {
		g.reserve(len(es))
	}
	n, dst := uint(g.n), g.edges
	for _, e := range es {
		if uint(e.U) < n && uint(e.V) < n && e.U != e.V && len(dst) < cap(dst) &&
			e.Cap >= 0 && e.Rev >= 0 && e.Cap+e.Rev > 0 && e.Cap+e.Rev <= math.MaxFloat64 {
			dst = append(dst, e)
			continue
		}
		g.edges = dst
		g.addEdgeSlow(int(e.U), int(e.V), e.Cap, e.Rev)
		dst = g.edges
	}
	if len(dst) != k {
		g.solved = false
	}
	g.edges = dst
}

// addEdgeSlow is AddEdge for invalid calls, self-loops, all-zero
// capacities and a full edge array.
func (g *Graph) addEdgeSlow(u, v int, capacity, revCap float64) {
	if err := checkEdge(g.n, u, v, capacity, revCap); err != nil {
		g.fail(err)
		return
	}
	if u == v || (capacity == 0 && revCap == 0) {
		return
	}
	k := len(g.edges)
	if k >= maxEdges {
		g.fail(fmt.Errorf("%w: more than %d edges", ErrTooLarge, maxEdges))
		return
	}
	if k == cap(g.edges) {
		g.reserve(1)
	}
	g.edges = append(g.edges, Edge{int32(u), int32(v), capacity, revCap})
	g.solved = false
}

// reserve makes room for extra more edges (at most maxEdges in all). It
// grows the array by hand so that cap(g.edges) never exceeds maxEdges,
// which lets AddEdge and AddEdges test only the capacity.
func (g *Graph) reserve(extra int) {
	k := len(g.edges)
	grown := make([]Edge, k, min(max(2*cap(g.edges), k+extra, 16), maxEdges))
	copy(grown, g.edges)
	g.edges = grown
}

// AddTerminal implements [MinCut]. A sum that overflows to +Inf is an
// error.
func (g *Graph) AddTerminal(u int, source, sink float64) {
	if uint(u) >= uint(g.n) || !validCap(source) || !validCap(sink) {
		g.fail(checkTerminal(g.n, u, source, sink))
		return
	}
	s, t := g.src[u]+source, g.snk[u]+sink
	g.src[u], g.snk[u] = s, t
	if s > math.MaxFloat64 || t > math.MaxFloat64 {
		g.fail(fmt.Errorf("%w: terminal capacities of node %d overflow", ErrCapacity, u))
	}
	g.solved = false
}

// SourceSide implements [MinCut]. It is false for every node before
// MaxFlow succeeds and for nodes out of range. O(1): the source side is
// the source search tree left by MaxFlow (see the argument at the end of
// bk.go).
func (g *Graph) SourceSide(u int) bool {
	if !g.solved || uint(u) >= uint(g.n) {
		return false
	}
	if g.alg == IBFS {
		return g.ib.in[u].tree == sTree
	}
	nd := &g.nodes[u]
	return nd.parent != free && !nd.sink
}

// Flow returns the value of the last successful MaxFlow (0 before).
func (g *Graph) Flow() float64 { return g.flow }

func (g *Graph) fail(err error) {
	if g.err == nil {
		g.err = err
	}
	g.solved = false
}

// arc is one direction of an edge in the CSR arrays. The fields used
// together sit together, one 16-byte record per arc.
type arc struct {
	head   int32   // node the arc points to
	sister int32   // index of the reverse arc
	rcap   float64 // residual capacity
}

// arcPair locates the two arcs of an edge in the CSR arrays.
type arcPair struct{ fwd, rev int32 }

// node is the search-tree state of a node, one 16-byte record per node.
type node struct {
	parent int32 // arc from the node to its tree parent, or a tag
	ts     int32 // time stamp of the distance estimate
	dist   int32 // distance to the terminal along the tree
	sink   bool  // in the sink tree (when parent != free)
	active bool  // in the active queue (or the current node)
}

// resize returns s with length n, reusing its array when it is large
// enough. The contents are unspecified.
func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// ring is a FIFO queue of node indices in a fixed array; every node is in
// it at most once, so length n suffices.
type ring struct {
	buf        []int32
	head, size int
}

func (q *ring) reset(n int) {
	q.buf = resize(q.buf, n)
	q.head, q.size = 0, 0
}

func (q *ring) push(i int32) {
	k := q.head + q.size
	if k >= len(q.buf) {
		k -= len(q.buf)
	}
	q.buf[k] = i
	q.size++
}

func (q *ring) pop() int32 {
	i := q.buf[q.head]
	q.head++
	if q.head == len(q.buf) {
		q.head = 0
	}
	q.size--
	return i
}
