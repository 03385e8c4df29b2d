package argmax

import (
	"fmt"
	"math"
)

// The thresholds of the pairwise rule ([Pairwise.Solvers]). The
// measurements behind them are in docs/solvers.md.
const (
	// grayCodeFirstVars: at or below this many variables, Gray-code
	// enumeration beats branch and bound on dense general-sign models.
	grayCodeFirstVars = 6
	// bnbMaxEdges: branch and bound only for components of at most this
	// many pairwise terms; beyond, its node count likely exceeds
	// DefaultNodeLimit.
	bnbMaxEdges = 1000
	// qpboMaxDegree: QPBO only for components above
	// MaxBranchAndBoundVars of average degree at most this; roof duality
	// labels next to nothing on denser general-sign models.
	qpboMaxDegree = 16
)

// Solvers implements [Structure] by the one rule that picks pairwise
// solvers, fastest first, listing only solvers that this binary can build
// and that are expected to finish at this shape:
//
//   - no edges: "categorical" ([Categorical], O(N·K));
//   - Supermodular: "maxflow" ([GraphCut], polynomial);
//   - an edge graph without cycles: "maxproduct" ([MaxProduct], O(N + E));
//   - at most 6 variables: "graycode" ([GrayCode]);
//   - every connected component of at most [MaxBranchAndBoundVars]
//     variables and 1000 edges: "bnb" ([BranchAndBound]);
//   - up to [MaxGrayCodeVars] variables: "graycode";
//   - where branch and bound applies, or every larger component has
//     average degree ≤ 16: "qpbo" ([QPBO]), then "milp" when package qip
//     is imported (see [RegisterMILP]);
//   - at most [MaxEnumerateCodes] codes: "exhaustive" ([Enumerator]).
//
// A general-sign structure that none of these fits (a component of more
// than 1000 edges, or a large dense one) gets an empty list, and
// [Fastest] and NewSolver an error wrapping [ErrTooLarge] that says why;
// [BranchAndBound] with a larger NodeLimit remains available on a [Model].
// An invalid structure gets an empty list too. The rule depends on the
// shape and Supermodular only, so it is decided once per structure.
func (p *Pairwise) Solvers() []string {
	names, _ := p.rule()
	return names
}

// noSolver explains an empty Solvers list (see Fastest).
func (p *Pairwise) noSolver() error {
	_, err := p.rule()
	return err
}

// rule is Solvers with the reason for an empty list.
func (p *Pairwise) rule() ([]string, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	var s []string
	enumerable := codeCount(p.N, p.K) <= MaxEnumerateCodes
	if len(p.Edges) == 0 {
		s = append(s, "categorical")
		if enumerable {
			s = append(s, "exhaustive")
		}
		return s, nil
	}
	c := shapeStats(p.N, p.Edges)
	if p.Supermodular {
		s = append(s, "maxflow")
	}
	if c.forest {
		s = append(s, "maxproduct")
	}
	gray := p.N <= MaxGrayCodeVars
	bnb := c.size <= MaxBranchAndBoundVars && c.edges <= bnbMaxEdges
	sparse := c.size > MaxBranchAndBoundVars && 2*c.bigEdges <= qpboMaxDegree*c.size
	if gray && p.N <= grayCodeFirstVars {
		s = append(s, "graycode")
	}
	if bnb {
		s = append(s, "bnb")
	}
	if gray && p.N > grayCodeFirstVars {
		s = append(s, "graycode")
	}
	if bnb || sparse {
		s = append(s, "qpbo")
		if milpFactory() != nil {
			s = append(s, "milp")
		}
	}
	if enumerable {
		s = append(s, "exhaustive")
	}
	if len(s) > 0 {
		return s, nil
	}
	if c.size > MaxBranchAndBoundVars {
		return nil, fmt.Errorf("%w: %s: a connected component of %d variables and %d pairwise terms (average degree %.1f > %d) "+
			"is too large for branch and bound (≤ %d variables) and too dense for QPBO (roof duality labels next to nothing on dense general-sign models) or the MILP solver to finish; "+
			"use a sparser or supermodular structure",
			ErrTooLarge, p.Name(), c.size, c.bigEdges, 2*float64(c.bigEdges)/float64(c.size), qpboMaxDegree, MaxBranchAndBoundVars)
	}
	return nil, fmt.Errorf("%w: %s: a connected component of %d pairwise terms (> %d, about a dense component of 45 variables): "+
		"branch and bound would likely stop at its node limit (DefaultNodeLimit = %d) and the MILP solver is slower still; "+
		"use a sparser or supermodular structure, or solve its Model with &argmax.BranchAndBound{NodeLimit: -1} (no limit) knowingly",
		ErrTooLarge, p.Name(), c.edges, bnbMaxEdges, DefaultNodeLimit)
}

// codeCount returns K^N as a float64 (+Inf beyond its range).
func codeCount(n, k int) float64 {
	return math.Pow(float64(k), float64(n))
}

// shape describes the connected components of an edge graph.
type shape struct {
	size     int  // variables in the largest component
	bigEdges int  // edges in that component (the first of the largest)
	edges    int  // edges in the component with the most edges
	forest   bool // no cycle, counting a repeated pair as one edge
}

// shapeStats describes the components of the graph of n nodes and edges
// (weights ignored; repeated pairs count once per edge, except for
// forest) by union-find in O(n + E·α(n)).
func shapeStats(n int, edges []Edge) shape {
	uf := make([]int32, n)
	ufReset(uf)
	c := shape{forest: true}
	var pairs map[[2]int]bool // built only if a cycle candidate appears
	for _, e := range edges {
		if ufUnion(uf, int32(e.I), int32(e.J)) || !c.forest {
			continue
		}
		if pairs == nil { // a repeated pair closes no cycle
			pairs = make(map[[2]int]bool, len(edges))
			for _, f := range edges {
				pairs[[2]int{min(f.I, f.J), max(f.I, f.J)}] = true
			}
			c.forest = len(pairs) == countUnions(n, edges)
		}
	}
	size := make([]int, n)
	count := make([]int, n)
	for _, e := range edges {
		count[ufFind(uf, int32(e.I))]++
	}
	big := 0
	for i := 0; i < n; i++ {
		r := ufFind(uf, int32(i))
		if size[r]++; size[r] > c.size {
			c.size, big = size[r], int(r)
		}
	}
	c.bigEdges = count[big]
	for _, k := range count {
		c.edges = max(c.edges, k)
	}
	return c
}

// countUnions returns the number of edges that join two components when
// added in order: a forest's edge count.
func countUnions(n int, edges []Edge) int {
	uf := make([]int32, n)
	ufReset(uf)
	k := 0
	for _, e := range edges {
		if ufUnion(uf, int32(e.I), int32(e.J)) {
			k++
		}
	}
	return k
}
