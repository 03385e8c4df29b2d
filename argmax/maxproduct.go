package argmax

import "fmt"

// MaxProduct solves binary models whose edge graph is a forest (chains,
// trees, any number of them; repeated pairs are summed first and pairs
// summing to zero dropped) exactly by max-product dynamic programming:
// each component is rooted at its lowest variable, every subtree's best
// score with its root at 0 and at 1 is computed leaves first, and the
// maximizer is read back from the roots. O(N + E) time at any size;
// memory O(N + E), reused between calls.
//
// Ties go to state 0: a root takes 1 only if that scores strictly more,
// and a child likewise given its parent's state. The returned value is
// [Model.Score] of the returned z. A model with a cycle is refused with
// [ErrUnsupported]; models without edges are solved like [Categorical].
// Not safe for concurrent use.
type MaxProduct struct {
	g      bnbGraph
	order  []int32   // BFS order of the variables, roots first in each component
	parent []int32   // parent in the BFS forest, −1 at roots
	pw     []float64 // weight of the edge to the parent
	s0, s1 []float64 // best subtree score with the variable at 0 and at 1
}

// Solve implements [PairwiseSolver].
func (x *MaxProduct) Solve(m *Model, z []int) (float64, error) {
	if err := m.Validate(); err != nil {
		return 0, err
	}
	if len(m.Edges) == 0 {
		return Categorical{}.Solve(m, z)
	}
	if err := checkBinary(m, z, "max-product"); err != nil {
		return 0, err
	}
	n := m.N
	x.g.build(m)
	x.order = bnbGrow(x.order, n)[:0]
	x.parent = bnbGrow(x.parent, n)
	x.pw = bnbGrow(x.pw, n)
	x.s0 = bnbGrow(x.s0, n)
	x.s1 = bnbGrow(x.s1, n)
	parent, off, nbr, w := x.parent, x.g.off, x.g.nbr, x.g.w
	for i := range parent {
		parent[i] = -2 // unseen
	}
	for r := 0; r < n; r++ {
		if parent[r] != -2 {
			continue
		}
		parent[r] = -1
		head := len(x.order)
		x.order = append(x.order, int32(r))
		for ; head < len(x.order); head++ {
			u := x.order[head]
			for k := off[u]; k < off[u+1]; k++ {
				v := nbr[k]
				if v == parent[u] {
					continue
				}
				if parent[v] != -2 {
					return 0, fmt.Errorf("%w: max-product needs an edge graph without cycles; variables %d and %d close one", ErrUnsupported, u, v)
				}
				parent[v], x.pw[v] = u, w[k]
				x.order = append(x.order, v)
			}
		}
	}
	s0, s1 := x.s0, x.s1
	for i := 0; i < n; i++ {
		s0[i], s1[i] = m.Unary[2*i], m.Unary[2*i+1]
	}
	for t := n - 1; t >= 0; t-- {
		u := x.order[t]
		p := parent[u]
		if p < 0 {
			continue
		}
		s0[p] += max(s0[u], s1[u])
		s1[p] += max(s0[u], s1[u]+x.pw[u])
	}
	for _, u := range x.order {
		one := s1[u]
		if p := parent[u]; p >= 0 && z[p] == 1 {
			one += x.pw[u]
		}
		z[u] = 0
		if one > s0[u] {
			z[u] = 1
		}
	}
	return m.Score(z), nil
}
