package argmax

import (
	"fmt"
	"slices"
)

// Real is the element type of the scores the problem constructors accept:
// float64 or float32 (an encoder's output), copied into float64 weights.
type Real interface{ ~float32 | ~float64 }

// Solve solves one problem with the fastest exact solver of s: z and
// h(z) = ⟨w, φ(z)⟩. For many problems of one structure, keep the solver of
// [Fastest] (it reuses its buffers) or use a [Batch].
func Solve(s Structure, w []float64) ([]int, float64, error) {
	_, m, err := Fastest(s)
	if err != nil {
		return nil, 0, err
	}
	z := make([]int, s.Vars())
	v, err := m.Maximize(w, z)
	if err != nil {
		return nil, 0, err
	}
	return z, v, nil
}

// SubsetProblem returns the k-subsets of len(gains) items and the weights
// under which a subset scores the sum of its items' gains (w[2i] = 0,
// w[2i+1] = gains[i]). Read the answer with [KSubset.Chosen].
func SubsetProblem[F Real](gains []F, k int) (*KSubset, []float64, error) {
	s, err := NewKSubset(len(gains), k)
	if err != nil {
		return nil, nil, err
	}
	return s, binaryWeights(gains), nil
}

// TreeProblem returns the spanning trees of the graph (nodes, edges) and
// the weights under which a tree scores the sum of its edges' weights.
// Read the answer with [SpanningTree.TreeEdges].
func TreeProblem[F Real](nodes int, edges [][2]int, weights []F) (*SpanningTree, []float64, error) {
	if len(weights) != len(edges) {
		return nil, nil, fmt.Errorf("%w: %d edge weights for %d edges", ErrShape, len(weights), len(edges))
	}
	t, err := NewSpanningTree(nodes, edges)
	if err != nil {
		return nil, nil, err
	}
	return t, binaryWeights(weights), nil
}

// MatchingProblem returns the perfect matchings of an n×n score matrix
// (score[i][j]: row i matched to column j) and its weights; the arg max is
// the assignment of largest total score. Read it with
// [Matching.Permutation].
func MatchingProblem[F Real](score [][]F) (*Matching, []float64, error) {
	return matchingProblem(score, 1)
}

// MatchingCostProblem is [MatchingProblem] for a cost matrix: the arg max
// is the assignment of least total cost (the weights are the negated
// costs, so the value a solver returns is minus that cost).
func MatchingCostProblem[F Real](cost [][]F) (*Matching, []float64, error) {
	return matchingProblem(cost, -1)
}

func matchingProblem[F Real](a [][]F, sign float64) (*Matching, []float64, error) {
	n := len(a)
	m, err := NewMatching(n)
	if err != nil {
		return nil, nil, err
	}
	w := make([]float64, 0, n*n)
	for i, row := range a {
		if len(row) != n {
			return nil, nil, fmt.Errorf("%w: row %d of the %d×%d matrix has %d entries", ErrShape, i, n, n, len(row))
		}
		for _, v := range row {
			w = append(w, sign*float64(v))
		}
	}
	return m, w, nil
}

// ChainProblem returns a chain of len(unary) variables with K =
// len(unary[0]) states and its weights: unary[i][s] scores zᵢ = s and
// transition[t][a][b] scores (z_t, z_{t+1}) = (a, b), with either one K×K
// table per link (N−1 of them) or one table shared by every link.
func ChainProblem[F Real](unary [][]F, transition [][][]F) (*Chain, []float64, error) {
	n := len(unary)
	if n == 0 {
		return nil, nil, fmt.Errorf("%w: a chain of no variables", ErrShape)
	}
	k := len(unary[0])
	c, err := NewChain(n, k)
	if err != nil {
		return nil, nil, err
	}
	if len(transition) != n-1 && len(transition) != 1 {
		return nil, nil, fmt.Errorf("%w: %d transition tables for a chain of %d variables, want %d (one per link) or 1 (shared)", ErrShape, len(transition), n, n-1)
	}
	w := make([]float64, 0, c.Dim())
	for i, u := range unary {
		if len(u) != k {
			return nil, nil, fmt.Errorf("%w: variable %d has %d unary scores, variable 0 has %d", ErrShape, i, len(u), k)
		}
		for _, v := range u {
			w = append(w, float64(v))
		}
	}
	for t := 0; t < n-1; t++ {
		tab := transition[min(t, len(transition)-1)]
		if len(tab) != k {
			return nil, nil, fmt.Errorf("%w: transition table %d has %d rows, want K = %d", ErrShape, min(t, len(transition)-1), len(tab), k)
		}
		for a, row := range tab {
			if len(row) != k {
				return nil, nil, fmt.Errorf("%w: row %d of transition table %d has %d entries, want K = %d", ErrShape, a, min(t, len(transition)-1), len(row), k)
			}
			for _, v := range row {
				w = append(w, float64(v))
			}
		}
	}
	return c, w, nil
}

// PairwiseProblem returns the binary pairwise problem
// h(z) = Σᵢ θᵢzᵢ + Σₑ weights[e]·z_{edges[e][0]}·z_{edges[e][1]} on
// len(theta) variables, as a [Pairwise] structure (Supermodular when every
// edge weight is ≥ 0, so that max-flow applies) and its weights.
func PairwiseProblem[F Real](theta []F, edges [][2]int, weights []F) (*Pairwise, []float64, error) {
	if len(weights) != len(edges) {
		return nil, nil, fmt.Errorf("%w: %d edge weights for %d edges", ErrShape, len(weights), len(edges))
	}
	super := len(edges) > 0 && !slices.ContainsFunc(weights, func(v F) bool { return !(v >= 0) })
	p, err := Graph(len(theta), edges, super)
	if err != nil {
		return nil, nil, err
	}
	w := binaryWeights(theta)
	for _, v := range weights {
		w = append(w, float64(v))
	}
	return p, w, nil
}

// binaryWeights returns the unary layout of binary variables whose state 1
// scores g[i] more than state 0: (0, g₀, 0, g₁, …), with room for edges.
func binaryWeights[F Real](g []F) []float64 {
	w := make([]float64, 2*len(g))
	for i, v := range g {
		w[2*i+1] = float64(v)
	}
	return w
}

// Chosen returns the items of the subset z, in increasing order; an
// infeasible z is an error wrapping [ErrShape].
func (s *KSubset) Chosen(z []int) ([]int, error) {
	if !Feasible(s, z) {
		return nil, fmt.Errorf("%w: %v is not a %s", ErrShape, z, s.Name())
	}
	items := make([]int, 0, s.K)
	for i, b := range z[:s.N] {
		if b == 1 {
			items = append(items, i)
		}
	}
	return items, nil
}

// TreeEdges returns the edges of the tree z, in the order of t.Edges; an
// infeasible z is an error wrapping [ErrShape].
func (t *SpanningTree) TreeEdges(z []int) ([][2]int, error) {
	if !Feasible(t, z) {
		return nil, fmt.Errorf("%w: %v is not a spanning tree of %s", ErrShape, z, t.Name())
	}
	edges := make([][2]int, 0, t.Nodes-1)
	for e, b := range z[:len(t.Edges)] {
		if b == 1 {
			edges = append(edges, t.Edges[e])
		}
	}
	return edges, nil
}

// Permutation returns the column of each row of the matching z (a copy of
// z[:N]); an infeasible z is an error wrapping [ErrShape].
func (m *Matching) Permutation(z []int) ([]int, error) {
	if !Feasible(m, z) {
		return nil, fmt.Errorf("%w: %v is not a permutation of %d", ErrShape, z, m.N)
	}
	return slices.Clone(z[:m.N]), nil
}
