package maxflow

import "fmt"

// Algorithm selects the max-flow algorithm a [Graph] runs in MaxFlow.
// All algorithms solve the same graph, built by the same calls into the
// same arrays, and report the same flow value and the same (minimal)
// minimum cut; they differ only in speed.
type Algorithm uint8

const (
	// BK is the Boykov–Kolmogorov algorithm (bk.go), the default.
	BK Algorithm = iota
	// IBFS is incremental breadth-first search (ibfs.go): Goldberg,
	// Hed, Kaplan, Tarjan and Werneck's two BFS trees with exact
	// distance labels, on the excess roots of EIBFS.
	IBFS
	// ParallelBK is BK by bottom-up merging of blocks solved in parallel
	// (pbk.go, Liu and Sun, CVPR 2010), on graphs of at least 2¹⁶ nodes;
	// smaller graphs get serial BK. See [Graph.SetWorkers].
	ParallelBK
)

// String returns the algorithm's short name, as cmd/maxflow's -backend
// flag spells it: "bk", "ibfs" or "pbk".
func (a Algorithm) String() string {
	switch a {
	case BK:
		return "bk"
	case IBFS:
		return "ibfs"
	case ParallelBK:
		return "pbk"
	}
	return fmt.Sprintf("Algorithm(%d)", uint8(a))
}

// NewWith is [New] for a graph solved by the given algorithm. MaxFlow
// returns an error for an unknown algorithm.
func NewWith(alg Algorithm, nodes, edgeHint int) *Graph {
	g := New(nodes, edgeHint)
	g.alg = alg
	return g
}

// Algorithm returns the algorithm that MaxFlow runs.
func (g *Graph) Algorithm() Algorithm { return g.alg }
