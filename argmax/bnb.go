package argmax

import (
	"fmt"
	"math"
	"math/bits"
)

// MaxBranchAndBoundVars is the largest connected component, in variables,
// that [BranchAndBound] accepts; a component's free set is one 64-bit word.
// A model may have any number of components. Larger components are refused
// with [ErrTooLarge].
const MaxBranchAndBoundVars = 64

// DefaultNodeLimit is the node limit of a [BranchAndBound] whose NodeLimit
// is zero: 2²⁰ ≈ 10⁶ search nodes, a few seconds of search. Dense
// general-sign models need about 10³ nodes at n = 30 and 2·10⁵ at n = 48;
// sparse models of 64 variables under 200. The pairwise rule
// ([Pairwise.Solvers]) does not offer branch and bound for components
// likely to exceed it (measurements in docs/solvers.md).
const DefaultNodeLimit = 1 << 20

// BranchAndBound solves binary models with weights of any sign exactly, by
// depth-first branch and bound on each connected component (at most
// [MaxBranchAndBoundVars] variables each; any number of components).
// Repeated pairs are summed; a greedy vertex-cover order, a one-flip local
// search for the first incumbent, a linear upper bound improved towards the
// roof dual, and persistency rules that fix variables prune the search
// (construction and proofs in docs/solvers.md).
//
// Time: exponential in the component size in the worst case, O(2ᵏ·k³);
// in practice about 11 nodes at dense k = 15 and 660 at k = 30. The search
// stops after NodeLimit nodes with [ErrTooLarge]. Memory O(n + E + k²),
// reused: at a fixed shape Solve does not allocate.
//
// Ties: the incumbent is replaced only by a strictly better leaf in a
// deterministic order, so a model always gives the same z; the value is
// [Model.Score] of z. Not safe for concurrent use; one per goroutine.
type BranchAndBound struct {
	// NodeLimit caps the number of search nodes per Solve, summed over the
	// components; exceeding it returns an error wrapping [ErrTooLarge] that
	// names the limit. Zero means [DefaultNodeLimit]; a negative value
	// means no limit.
	NodeLimit int64

	g     bnbGraph
	s     bnbSearch
	order []int32 // branching order of the current component (global ids)
	loc   []int32 // global id -> position in the current component
	queue []int32 // BFS queue / component members
	seen  []bool
}

// Solve implements [PairwiseSolver].
func (b *BranchAndBound) Solve(m *Model, z []int) (float64, error) {
	if err := checkBinary(m, z, "branch and bound"); err != nil {
		return 0, err
	}
	n := m.N
	b.g.build(m)
	b.seen = bnbGrow(b.seen, n)
	b.loc = bnbGrow(b.loc, n)
	b.queue = bnbGrow(b.queue, n)
	clear(b.seen)
	b.s.nodes, b.s.limit, b.s.stopped = 0, b.limit(), false
	for r := 0; r < n; r++ {
		if b.seen[r] {
			continue
		}
		if b.g.off[r] == b.g.off[r+1] {
			z[r] = 0
			if m.Theta(r) > 0 {
				z[r] = 1
			}
			continue
		}
		comp := b.component(int32(r))
		if len(comp) > MaxBranchAndBoundVars {
			return 0, fmt.Errorf("%w: branch and bound takes connected components of ≤ %d variables, the component of variable %d has %d", ErrTooLarge, MaxBranchAndBoundVars, r, len(comp))
		}
		b.orderComponent(comp)
		b.s.load(m, &b.g, b.order, b.loc)
		b.s.incumbent()
		b.s.node(b.s.all, 0, 0)
		if b.s.stopped {
			return 0, b.limitError(len(comp), r)
		}
		for i, v := range b.order {
			z[v] = int(b.s.bestOnes >> uint(i) & 1)
		}
	}
	return m.Score(z), nil
}

// limit returns the node limit in effect: NodeLimit, DefaultNodeLimit for
// zero, or 0 (none) for a negative NodeLimit.
func (b *BranchAndBound) limit() int64 {
	switch {
	case b.NodeLimit == 0:
		return defaultNodeLimit
	case b.NodeLimit < 0:
		return 0
	}
	return b.NodeLimit
}

// limitError is the error of a search stopped by the node limit.
func (b *BranchAndBound) limitError(k, r int) error {
	which := "NodeLimit"
	if b.NodeLimit == 0 {
		which = "the default node limit (NodeLimit = 0 means DefaultNodeLimit)"
	}
	return fmt.Errorf("%w: branch and bound stopped after %d search nodes, %s, on a connected component of %d variables containing variable %d: "+
		"dense general-sign components of more than about 45 variables usually need more; raise BranchAndBound.NodeLimit (a negative value means no limit), "+
		"or use a sparser or supermodular structure", ErrTooLarge, b.limit(), which, k, r)
}

// defaultNodeLimit is DefaultNodeLimit; tests lower it to reach the
// default's error path quickly.
var defaultNodeLimit int64 = DefaultNodeLimit

// component collects the connected component of r (by breadth-first search
// over the merged edges) into b.queue and marks it seen.
func (b *BranchAndBound) component(r int32) []int32 {
	q := b.queue[:0]
	q = append(q, r)
	b.seen[r] = true
	for h := 0; h < len(q); h++ {
		u := q[h]
		for k := b.g.off[u]; k < b.g.off[u+1]; k++ {
			v := b.g.nbr[k]
			if !b.seen[v] {
				b.seen[v] = true
				q = append(q, v)
			}
		}
	}
	return q
}

// orderComponent writes the branching order of comp into b.order and the
// inverse map into b.loc: greedily the variable with the largest remaining
// Σ|w| to unordered variables, ties to the lower variable index. O(k² + Eₖ).
func (b *BranchAndBound) orderComponent(comp []int32) {
	k := len(comp)
	g := &b.g
	rem := &b.s.c // scratch, indexed by position in comp
	for i, u := range comp {
		b.loc[u] = int32(i)
		s := 0.0
		for e := g.off[u]; e < g.off[u+1]; e++ {
			s += math.Abs(g.w[e])
		}
		rem[i] = s
	}
	b.order = bnbGrow(b.order, k)
	left := ^uint64(0) >> uint(64-k)
	for t := 0; t < k; t++ {
		best := bits.TrailingZeros64(left)
		for m := left & (left - 1); m != 0; m &= m - 1 {
			i := bits.TrailingZeros64(m)
			if rem[i] > rem[best] || rem[i] == rem[best] && comp[i] < comp[best] {
				best = i
			}
		}
		left &^= 1 << uint(best)
		u := comp[best]
		b.order[t] = u
		for e := g.off[u]; e < g.off[u+1]; e++ {
			if j := b.loc[g.nbr[e]]; left>>uint(j)&1 != 0 {
				rem[j] -= math.Abs(g.w[e])
			}
		}
	}
	for t, u := range b.order {
		b.loc[u] = int32(t)
	}
}

// bnbGraph is the merged adjacency of a binary model: each unordered pair
// at most once, with its summed nonzero weight, stored at both endpoints.
type bnbGraph struct {
	off  []int32 // off[i]..off[i+1] index the neighbours of i
	nbr  []int32
	w    []float64
	rOff []int32 // raw (unmerged) adjacency
	rNbr []int32
	rW   []float64
	mark []int32 // mark[j] = slot of j in the row being merged, or -1
}

// build fills g from m's edges in O(n + E).
func (g *bnbGraph) build(m *Model) {
	n, ne := m.N, len(m.Edges)
	g.rOff = bnbGrow(g.rOff, n+1)
	g.off = bnbGrow(g.off, n+1)
	g.rNbr = bnbGrow(g.rNbr, 2*ne)
	g.rW = bnbGrow(g.rW, 2*ne)
	g.nbr = bnbGrow(g.nbr, 2*ne)
	g.w = bnbGrow(g.w, 2*ne)
	g.mark = bnbGrow(g.mark, n)
	clear(g.rOff)
	for _, e := range m.Edges {
		g.rOff[e.I+1]++
		g.rOff[e.J+1]++
	}
	for i := 0; i < n; i++ {
		g.rOff[i+1] += g.rOff[i]
	}
	// Fill with rOff[i] as a cursor, then shift back.
	for _, e := range m.Edges {
		k := g.rOff[e.I]
		g.rNbr[k], g.rW[k] = int32(e.J), e.W
		g.rOff[e.I]++
		k = g.rOff[e.J]
		g.rNbr[k], g.rW[k] = int32(e.I), e.W
		g.rOff[e.J]++
	}
	copy(g.rOff[1:], g.rOff[:n])
	g.rOff[0] = 0
	for i := range g.mark {
		g.mark[i] = -1
	}
	top := int32(0)
	for i := 0; i < n; i++ {
		g.off[i] = top
		for k := g.rOff[i]; k < g.rOff[i+1]; k++ {
			j := g.rNbr[k]
			if s := g.mark[j]; s >= 0 {
				g.w[s] += g.rW[k]
				continue
			}
			g.mark[j] = top
			g.nbr[top], g.w[top] = j, g.rW[k]
			top++
		}
		// Reset marks and drop pairs whose weights cancel.
		t := g.off[i]
		for k := g.off[i]; k < top; k++ {
			g.mark[g.nbr[k]] = -1
			if g.w[k] != 0 {
				g.nbr[t], g.w[t] = g.nbr[k], g.w[k]
				t++
			}
		}
		top = t
	}
	g.off[n] = top
}

// bnbUndo saves a neighbour's bookkeeping before a fix changes it.
type bnbUndo struct {
	j       int32
	a, p, q float64
}

// bnbSearch is the branch and bound over one component of k ≤ 64
// variables, relabelled 0..k−1 in branching order. Bit i of a mask is
// variable i.
type bnbSearch struct {
	k   int
	all uint64
	adj [MaxBranchAndBoundVars]uint64 // neighbour masks
	neg [MaxBranchAndBoundVars]uint64 // neighbours by a negative edge
	w   []float64                     // w[i*k+j]: merged weight of edge (i,j); only adjacent pairs are read

	a, p, q [MaxBranchAndBoundVars]float64 // effective unary, Σ positive and Σ negative weights to free neighbours
	theta   [MaxBranchAndBoundVars]float64
	c       [MaxBranchAndBoundVars]float64 // scratch for the tightened bound

	trail []bnbUndo
	tp    int

	best     float64
	bestOnes uint64

	nodes, limit int64
	stopped      bool
}

// load relabels the component given by order (global ids; loc maps back).
func (s *bnbSearch) load(m *Model, g *bnbGraph, order []int32, loc []int32) {
	k := len(order)
	s.k = k
	s.all = ^uint64(0) >> uint(64-k)
	if cap(s.w) < k*k {
		s.w = make([]float64, k*k)
	}
	s.w = s.w[:k*k]
	edges := 0
	for i, u := range order {
		s.adj[i], s.neg[i] = 0, 0
		s.theta[i] = m.Theta(int(u))
		s.a[i] = s.theta[i]
		p, q := 0.0, 0.0
		for e := g.off[u]; e < g.off[u+1]; e++ {
			j := loc[g.nbr[e]]
			w := g.w[e]
			s.adj[i] |= 1 << uint(j)
			s.w[i*k+int(j)] = w
			if w > 0 {
				p += w
			} else {
				q += w
				s.neg[i] |= 1 << uint(j)
			}
		}
		s.p[i], s.q[i] = p, q
		edges += int(g.off[u+1] - g.off[u])
	}
	// Along one search path each edge is saved at most once, when its
	// first endpoint is fixed while the other is free.
	if cap(s.trail) < edges/2 {
		s.trail = make([]bnbUndo, edges/2)
	}
	s.trail = s.trail[:cap(s.trail)]
	s.tp = 0
}

// incumbent sets best and bestOnes from a sequential greedy assignment in
// branching order improved by one-flip local search to a local optimum.
// O(k²) per pass.
func (s *bnbSearch) incumbent() {
	k := s.k
	var ones uint64
	for i := 0; i < k; i++ {
		g := s.theta[i]
		for m := s.adj[i] & ones; m != 0; m &= m - 1 {
			g += s.w[i*k+bits.TrailingZeros64(m)]
		}
		if g > 0 {
			ones |= 1 << uint(i)
		}
	}
	// gain[i] = θᵢ + Σ_j wᵢⱼzⱼ, kept in s.c.
	for i := 0; i < k; i++ {
		g := s.theta[i]
		for m := s.adj[i] & ones; m != 0; m &= m - 1 {
			g += s.w[i*k+bits.TrailingZeros64(m)]
		}
		s.c[i] = g
	}
	// Each flip strictly raises the score, so this terminates; the pass
	// cap only guards against rounding in the incremental gains.
	for pass := 0; pass < 4*k; pass++ {
		moved := false
		for i := 0; i < k; i++ {
			bit := uint64(1) << uint(i)
			sign := 1.0 // flipping i changes the score by sign·gain[i]
			if ones&bit != 0 {
				sign = -1
			}
			if sign*s.c[i] <= 0 {
				continue
			}
			ones ^= bit
			for m := s.adj[i]; m != 0; m &= m - 1 {
				j := bits.TrailingZeros64(m)
				s.c[j] += sign * s.w[i*k+j]
			}
			moved = true
		}
		if !moved {
			break
		}
	}
	s.best, s.bestOnes = s.value(ones), ones
}

// value returns the component's score Σ θᵢzᵢ + Σ wᵢⱼzᵢzⱼ of the assignment
// ones, summed from scratch.
func (s *bnbSearch) value(ones uint64) float64 {
	k := s.k
	v := 0.0
	for m := ones; m != 0; m &= m - 1 {
		i := bits.TrailingZeros64(m)
		v += s.theta[i]
		// Count each edge once, from its higher endpoint.
		for n := s.adj[i] & ones & (uint64(1)<<uint(i) - 1); n != 0; n &= n - 1 {
			v += s.w[i*k+bits.TrailingZeros64(n)]
		}
	}
	return v
}

// fix removes variable i from the free set free (which must no longer
// contain i) with value x, updating its free neighbours and saving them on
// the trail.
func (s *bnbSearch) fix(i int, x bool, free uint64) {
	k := s.k
	row := s.w[i*k : i*k+k]
	for m := s.adj[i] & free; m != 0; m &= m - 1 {
		j := bits.TrailingZeros64(m)
		s.trail[s.tp] = bnbUndo{j: int32(j), a: s.a[j], p: s.p[j], q: s.q[j]}
		s.tp++
		w := row[j]
		if w > 0 {
			s.p[j] -= w
		} else {
			s.q[j] -= w
		}
		if x {
			s.a[j] += w
		}
	}
}

// undo restores the trail down to mark.
func (s *bnbSearch) undo(mark int) {
	for s.tp > mark {
		s.tp--
		u := &s.trail[s.tp]
		s.a[u.j], s.p[u.j], s.q[u.j] = u.a, u.p, u.q
	}
}

// node searches the subtree where the variables outside free are fixed
// (those in ones to 1) and cur is the score of the fixed part.
func (s *bnbSearch) node(free, ones uint64, cur float64) {
	s.nodes++
	if s.limit > 0 && s.nodes > s.limit {
		s.stopped = true
		return
	}
	mark := s.tp
	for {
		// Persistency rules, to a fixed point, and the first bound.
		var bound float64
		for {
			bound = 0
			changed := false
			for m := free; m != 0; m &= m - 1 {
				i := bits.TrailingZeros64(m)
				ai := s.a[i]
				if ai+s.q[i] >= 0 {
					bit := uint64(1) << uint(i)
					free &^= bit
					ones |= bit
					cur += ai
					s.fix(i, true, free)
					changed = true
					continue
				}
				if ai+s.p[i] <= 0 {
					free &^= uint64(1) << uint(i)
					s.fix(i, false, free)
					changed = true
					continue
				}
				if c := ai + 0.5*s.p[i]; c > 0 {
					bound += c
				}
			}
			if !changed {
				break
			}
		}
		if free == 0 {
			if cur > s.best {
				s.best, s.bestOnes = cur, ones
			}
			s.undo(mark)
			return
		}
		if cur+bound <= s.best {
			s.undo(mark)
			return
		}
		gap := cur + s.tighten(free, bound) - s.best
		if gap <= 0 {
			s.undo(mark)
			return
		}
		// Bound fixing with the tightened coefficients left in s.c.
		changed := false
		for m := free; m != 0; m &= m - 1 {
			i := bits.TrailingZeros64(m)
			bit := uint64(1) << uint(i)
			if c := s.c[i]; c >= gap {
				free &^= bit
				ones |= bit
				cur += s.a[i]
				s.fix(i, true, free)
				changed = true
			} else if -c >= gap {
				free &^= bit
				s.fix(i, false, free)
				changed = true
			}
		}
		if !changed {
			break
		}
	}
	v := bits.TrailingZeros64(free)
	bit := uint64(1) << uint(v)
	rest := free &^ bit
	first := s.a[v]+0.5*s.p[v] > 0
	for t := 0; t < 2 && !s.stopped; t++ {
		x := first == (t == 0)
		m2 := s.tp
		s.fix(v, x, rest)
		if x {
			s.node(rest, ones|bit, cur+s.a[v])
		} else {
			s.node(rest, ones, cur)
		}
		s.undo(m2)
	}
	s.undo(mark)
}

// tighten returns the bound with negative free edges charged as in the
// doc comment of [BranchAndBound]: starting from cᵢ = aᵢ + ½Pᵢ, each
// negative edge between free i < j with cᵢ, cⱼ > 0 moves
// δ = min(|w|, cᵢ, cⱼ) from both into the constant. O(|F|²).
func (s *bnbSearch) tighten(free uint64, bound float64) float64 {
	k := s.k
	var pos, neg uint64
	for m := free; m != 0; m &= m - 1 {
		i := bits.TrailingZeros64(m)
		c := s.a[i] + 0.5*s.p[i]
		s.c[i] = c
		if c > 0 {
			pos |= 1 << uint(i)
		} else if c < 0 {
			neg |= 1 << uint(i)
		}
	}
	// Positive edges: shift up to j's half of w from a positive cⱼ to a
	// negative cᵢ.
	for m := neg; m != 0; m &= m - 1 {
		i := bits.TrailingZeros64(m)
		row := s.w[i*k : i*k+k]
		for n := s.adj[i] &^ s.neg[i] & pos; n != 0; n &= n - 1 {
			j := bits.TrailingZeros64(n)
			w := row[j]
			d := min(-s.c[i], 0.5*w, s.c[j])
			s.c[i] += d
			s.c[j] -= d
			bound -= d
			if s.c[j] <= 0 {
				pos &^= 1 << uint(j)
			}
			if s.c[i] >= 0 {
				break
			}
		}
	}
	for m := pos; m != 0; m &= m - 1 {
		i := bits.TrailingZeros64(m)
		if pos&(1<<uint(i)) == 0 {
			continue
		}
		row := s.w[i*k : i*k+k]
		for n := s.neg[i] & pos &^ (uint64(2)<<uint(i) - 1); n != 0; n &= n - 1 {
			j := bits.TrailingZeros64(n)
			w := row[j]
			d := min(-w, s.c[i], s.c[j])
			s.c[i] -= d
			s.c[j] -= d
			bound -= d
			if s.c[j] <= 0 {
				pos &^= 1 << uint(j)
			}
			if s.c[i] <= 0 {
				break
			}
		}
	}
	return bound
}

// bnbGrow returns s resized to length n, reallocating only when the
// capacity is too small.
func bnbGrow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}
