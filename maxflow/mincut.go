package maxflow

import (
	"errors"
	"fmt"
	"math"
)

// MinCut is what a graph-cut user needs: build a graph with arcs between
// nodes and capacities to the two terminals, solve, and read the cut.
// [*Graph] and [*YourBasic] implement it.
type MinCut interface {
	// Reset empties the graph and gives it nodes 0..nodes-1, keeping the
	// memory of earlier graphs. It also clears a recorded error.
	Reset(nodes int)
	// AddEdge adds an arc u→v of capacity cap and an arc v→u of capacity
	// revCap. Arcs between the same nodes add up.
	AddEdge(u, v int, cap, revCap float64)
	// AddTerminal adds capacity source to the arc s→u and sink to the arc
	// u→t (on top of any capacity added before).
	AddTerminal(u int, source, sink float64)
	// MaxFlow solves the graph built so far and returns the maximum flow
	// value. It returns the first error recorded by AddEdge/AddTerminal (a
	// negative, NaN or infinite capacity, or a node out of range).
	MaxFlow() (float64, error)
	// SourceSide reports, after MaxFlow, whether node u is on the source
	// side of the minimum cut: reachable from s in the residual graph, the
	// minimal source set among all minimum cuts.
	SourceSide(u int) bool
}

// Errors recorded by the graph builders and returned, wrapped with detail,
// by MaxFlow and ReadDIMACS.
var (
	ErrCapacity = errors.New("maxflow: invalid capacity")
	ErrNode     = errors.New("maxflow: node out of range")
	ErrTooLarge = errors.New("maxflow: graph too large")
	ErrDIMACS   = errors.New("maxflow: bad DIMACS input")
)

// maxNodes bounds the node count so that int32 indices and the 2·edges arc
// indices never overflow.
const maxNodes = math.MaxInt32 - 1

// maxEdges bounds the number of AddEdge calls (two arcs each).
const maxEdges = (math.MaxInt32 - 1) / 2

// validCap reports whether c is a valid capacity: finite and ≥ 0. The two
// comparisons are false for NaN.
func validCap(c float64) bool {
	return c >= 0 && c <= math.MaxFloat64
}

// badCap reports whether c is not a valid capacity.
func badCap(c float64) bool { return !validCap(c) }

// checkEdge validates an AddEdge call on a graph of n nodes.
func checkEdge(n, u, v int, c, rc float64) error {
	if u < 0 || u >= n || v < 0 || v >= n {
		return fmt.Errorf("%w: edge (%d,%d) in a graph of %d nodes", ErrNode, u, v, n)
	}
	if badCap(c) {
		return fmt.Errorf("%w: edge (%d,%d) capacity %v", ErrCapacity, u, v, c)
	}
	if badCap(rc) {
		return fmt.Errorf("%w: edge (%d,%d) reverse capacity %v", ErrCapacity, u, v, rc)
	}
	return nil
}

// checkTerminal validates an AddTerminal call on a graph of n nodes.
func checkTerminal(n, u int, src, snk float64) error {
	if u < 0 || u >= n {
		return fmt.Errorf("%w: terminal capacities of node %d in a graph of %d nodes", ErrNode, u, n)
	}
	if badCap(src) {
		return fmt.Errorf("%w: source capacity of node %d = %v", ErrCapacity, u, src)
	}
	if badCap(snk) {
		return fmt.Errorf("%w: sink capacity of node %d = %v", ErrCapacity, u, snk)
	}
	return nil
}

// checkNodes validates a Reset size.
func checkNodes(nodes int) error {
	if nodes < 0 {
		return fmt.Errorf("%w: %d nodes", ErrNode, nodes)
	}
	if nodes > maxNodes {
		return fmt.Errorf("%w: %d nodes, at most %d", ErrTooLarge, nodes, maxNodes)
	}
	return nil
}
