package maxflow

import (
	"fmt"
	"math"

	"github.com/yourbasic/graph"
)

// YourBasic is a [MinCut] that solves the graph with
// github.com/yourbasic/graph's MaxFlow (Edmonds–Karp, O(V·E²), int64
// capacities on hash-map adjacency). It is a slow, independent reference
// for testing [Graph], not a production solver.
//
// Every capacity is multiplied by Scale (0 means 1) and rounded to the
// nearest integer, and the flow is divided by Scale again, so the result is
// exact only when all scaled capacities are integers. Scaled capacities
// must stay below 2⁶² in total. The graph gets explicit nodes s = nodes and
// t = nodes+1; arcs between the same ordered pair are summed (the library
// keeps one cost per pair) and self-loops are dropped.
//
// SourceSide is computed from the flow the library returns: the residual
// capacity of u→v is c(u,v) − f(u,v) + f(v,u), and the source side is
// everything reachable from s through positive residual arcs.
type YourBasic struct {
	Scale float64 // capacity multiplier before rounding; 0 means 1

	n     int
	err   error
	edges []ybEdge
	src   []float64
	snk   []float64
	side  []bool
	ok    bool
}

type ybEdge struct {
	u, v     int
	cap, rev float64
}

// Reset implements [MinCut].
func (y *YourBasic) Reset(nodes int) {
	y.err = checkNodes(nodes)
	if y.err != nil {
		nodes = 0
	}
	y.n = nodes
	y.edges = y.edges[:0]
	y.src = resize(y.src, nodes)
	y.snk = resize(y.snk, nodes)
	clear(y.src)
	clear(y.snk)
	y.ok = false
}

// AddEdge implements [MinCut].
func (y *YourBasic) AddEdge(u, v int, cap, revCap float64) {
	if err := checkEdge(y.n, u, v, cap, revCap); err != nil {
		y.fail(err)
		return
	}
	if u != v {
		y.edges = append(y.edges, ybEdge{u, v, cap, revCap})
	}
	y.ok = false
}

// AddTerminal implements [MinCut].
func (y *YourBasic) AddTerminal(u int, source, sink float64) {
	if err := checkTerminal(y.n, u, source, sink); err != nil {
		y.fail(err)
		return
	}
	y.src[u] += source
	y.snk[u] += sink
	y.ok = false
}

func (y *YourBasic) fail(err error) {
	if y.err == nil {
		y.err = err
	}
	y.ok = false
}

// ybLimit bounds the sum of scaled capacities so that int64 sums in the
// library cannot overflow.
const ybLimit = 1 << 62

// MaxFlow implements [MinCut]. Besides the recorded errors, it fails when
// Scale is negative or not finite or the scaled capacities are too large.
func (y *YourBasic) MaxFlow() (float64, error) {
	if y.err != nil {
		return 0, y.err
	}
	scale := y.Scale
	if scale == 0 {
		scale = 1
	}
	if badCap(scale) {
		return 0, fmt.Errorf("%w: YourBasic.Scale = %v", ErrCapacity, y.Scale)
	}
	n := y.n
	s, t := n, n+1
	g := graph.New(n + 2)
	total := 0.0
	add := func(u, v int, c float64) {
		c = math.Round(c * scale)
		total += c
		if c > 0 && total < ybLimit {
			g.AddCost(u, v, g.Cost(u, v)+int64(c))
		}
	}
	for _, e := range y.edges {
		add(e.u, e.v, e.cap)
		add(e.v, e.u, e.rev)
	}
	for u := 0; u < n; u++ {
		add(s, u, y.src[u])
		add(u, t, y.snk[u])
	}
	if !(total < ybLimit) {
		return 0, fmt.Errorf("%w: scaled capacities sum to %v, at most 2^62 allowed", ErrTooLarge, total)
	}
	flow, fg := graph.MaxFlow(g, s, t)
	y.markSourceSide(g, fg, s)
	y.ok = true
	return float64(flow) / scale, nil
}

// markSourceSide finds the nodes reachable from s in the residual graph of
// capacity graph g and flow graph fg.
func (y *YourBasic) markSourceSide(g *graph.Mutable, fg graph.Iterator, s int) {
	res := graph.Copy(g)
	for v := 0; v < fg.Order(); v++ {
		fg.Visit(v, func(w int, f int64) bool {
			res.AddCost(v, w, res.Cost(v, w)-f)
			res.AddCost(w, v, res.Cost(w, v)+f)
			return false
		})
	}
	seen := make([]bool, res.Order())
	seen[s] = true
	queue := []int{s}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		res.Visit(v, func(w int, c int64) bool {
			if c > 0 && !seen[w] {
				seen[w] = true
				queue = append(queue, w)
			}
			return false
		})
	}
	y.side = seen[:y.n]
}

// SourceSide implements [MinCut].
func (y *YourBasic) SourceSide(u int) bool {
	return y.ok && u >= 0 && u < y.n && y.side[u]
}
