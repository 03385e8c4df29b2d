package maxflow

import (
	"fmt"
	"math"
)

// Graph is an s-t flow network solved by the Boykov–Kolmogorov algorithm
// (see the package documentation). Build it with [Graph.AddEdge] and
// [Graph.AddTerminal], call [Graph.MaxFlow], then read the cut with
// [Graph.SourceSide]. MaxFlow always solves the whole graph built since the
// last [Graph.Reset] from zero flow, so more arcs may be added and MaxFlow
// called again.
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

	// Input, as added: edge k is eu[k]→ev[k] with capacity ecap[k] and
	// ev[k]→eu[k] with capacity erev[k].
	eu, ev     []int32
	ecap, erev []float64
	src, snk   []float64 // terminal capacities s→u, u→t per node

	// Solver state, rebuilt by MaxFlow (see bk.go).
	off    []int32   // arcs of node u are off[u]..off[u+1]-1
	cur    []int32   // fill cursor while building off
	arcs   []arc     // CSR arcs
	tr     []float64 // residual terminal capacity: >0 from s, <0 to t
	nodes  []node    // search-tree state
	aq     ring      // active nodes, FIFO
	oq     ring      // orphans, FIFO
	side   []bool    // result: source side of the minimal cut
	time   int32
	flow   float64
	solved bool
}

// New returns an empty graph with nodes 0..nodes-1 and room for edgeHint
// AddEdge calls before its edge arrays grow. A nodes value out of range is
// recorded as the graph's error.
func New(nodes, edgeHint int) *Graph {
	g := &Graph{}
	if edgeHint > 0 && edgeHint <= maxEdges {
		g.eu = make([]int32, 0, edgeHint)
		g.ev = make([]int32, 0, edgeHint)
		g.ecap = make([]float64, 0, edgeHint)
		g.erev = make([]float64, 0, edgeHint)
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
	g.eu, g.ev, g.ecap, g.erev = g.eu[:0], g.ev[:0], g.ecap[:0], g.erev[:0]
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

// AddEdge implements [MinCut]. Zero capacities are allowed.
func (g *Graph) AddEdge(u, v int, cap, revCap float64) {
	if err := checkEdge(g.n, u, v, cap, revCap); err != nil {
		g.fail(err)
		return
	}
	if u == v || (cap == 0 && revCap == 0) {
		return
	}
	if len(g.eu) >= maxEdges {
		g.fail(fmt.Errorf("%w: more than %d edges", ErrTooLarge, maxEdges))
		return
	}
	g.eu = append(g.eu, int32(u))
	g.ev = append(g.ev, int32(v))
	g.ecap = append(g.ecap, cap)
	g.erev = append(g.erev, revCap)
	g.solved = false
}

// AddTerminal implements [MinCut]. A sum that overflows to +Inf is an
// error.
func (g *Graph) AddTerminal(u int, source, sink float64) {
	if err := checkTerminal(g.n, u, source, sink); err != nil {
		g.fail(err)
		return
	}
	g.src[u] += source
	g.snk[u] += sink
	if math.IsInf(g.src[u], 0) || math.IsInf(g.snk[u], 0) {
		g.fail(fmt.Errorf("%w: terminal capacities of node %d overflow", ErrCapacity, u))
	}
	g.solved = false
}

// SourceSide implements [MinCut]. It is false for every node before
// MaxFlow succeeds and for nodes out of range.
func (g *Graph) SourceSide(u int) bool {
	return g.solved && u >= 0 && u < g.n && g.side[u]
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
