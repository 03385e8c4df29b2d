package argmax

import "fmt"

// Viterbi solves a [Chain] exactly by dynamic programming: a forward pass
// computes, for each variable t and state b, the best score δ_t(b) of
// z_0…z_t with z_t = b, remembering the best predecessor of each state; a
// backtrack from the best final state reads off the code. It takes
// O(N·K²) time (one pass over w) and O(N·K) memory (the back pointers and
// two rows of δ), allocated on the first call and reused, so that
// Maximize does not allocate afterwards.
//
// Ties are broken as [Enumerate] breaks them: the last variable takes the
// lowest state among the maximizing ones, then, backtracking, each
// variable takes the lowest state that keeps the code maximal. Among all
// maximizers this is the lexicographically least read from z_{N−1} down
// to z_0, which is the first in Enumerate's odometer order (variable 0
// fastest). The two agree exactly whenever the sums are exact
// (integer-valued weights, for one); otherwise their floating-point sums
// may round two nearly equal codes differently.
//
// The returned value is ⟨w, φ(z)⟩ recomputed for the returned code in the
// order of [Score] (unaries, then transitions), so it equals Score(c, w, z)
// exactly. Scores that are NaN or ±Inf are refused with [ErrNotFinite],
// naming the coordinate, and so is an instance whose partial sums overflow
// float64 (|w_j| ≤ MaxFloat64/(4N) for every j rules that out): the solver
// returns an error rather than a code it cannot vouch for.
//
// A Viterbi is not safe for concurrent use; make one per goroutine.
type Viterbi struct {
	c         Chain
	cur, next []float64 // δ of the previous and current variable, length K
	back      []int     // back[(t−1)·K+b]: best z_{t−1} given z_t = b
}

// NewViterbi returns a Viterbi solver for chains of c's shape (c is
// copied). An invalid chain is refused with [ErrShape].
func NewViterbi(c *Chain) (*Viterbi, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &Viterbi{c: *c}, nil
}

// Maximize implements [Maximizer]: it writes argmax_z ⟨w, φ(z)⟩ into
// z[:N] and returns the maximum. len(w) must be Dim and len(z) ≥ N
// ([ErrShape]); on error z is left unspecified.
func (v *Viterbi) Maximize(w []float64, z []int) (float64, error) {
	c := &v.c
	if err := checkW(c, w, z); err != nil {
		return 0, err
	}
	n, k := c.N, c.K
	nk, kk := n*k, k*k
	// Unary scores are checked here, each transition block just before
	// its pass (while it is in cache): the first non-finite w[j] is named.
	if err := v.finite(w, 0, nk); err != nil {
		return 0, err
	}
	if v.cur == nil {
		v.cur = make([]float64, k)
		v.next = make([]float64, k)
		v.back = make([]int, (n-1)*k)
	}
	cur, next := v.cur[:k], v.next[:k]
	copy(cur, w[:k])
	for t := 1; t < n; t++ {
		lo := nk + (t-1)*kk
		if err := v.finite(w, lo, lo+kk); err != nil {
			return 0, err
		}
		trans := w[lo : lo+kk]
		back := v.back[(t-1)*k : t*k]
		// Rows of the transition block are contiguous: sweep predecessors a
		// in increasing order, keeping the first (lowest) a on ties.
		row := trans[:k]
		c0 := cur[0]
		for b, x := range row {
			next[b] = c0 + x
			back[b] = 0
		}
		for a := 1; a < k; a++ {
			ca := cur[a]
			row := trans[a*k : a*k+k]
			nx, bk := next[:len(row)], back[:len(row)]
			for b, x := range row {
				if s := ca + x; s > nx[b] {
					nx[b], bk[b] = s, a
				}
			}
		}
		unary := w[t*k : t*k+k]
		for b, u := range unary {
			s := next[b] + u
			if s-s != 0 {
				return 0, fmt.Errorf("%w: %s: the best score of z_0…z_%d with z_%d = %d overflows float64", ErrNotFinite, c.Name(), t, t, b)
			}
			next[b] = s
		}
		cur, next = next, cur
	}
	best, arg := cur[0], 0
	for b := 1; b < k; b++ {
		if cur[b] > best {
			best, arg = cur[b], b
		}
	}
	z[n-1] = arg
	for t := n - 1; t > 0; t-- {
		z[t-1] = v.back[(t-1)*k+z[t]]
	}
	value := 0.0
	for i := 0; i < n; i++ {
		value += w[i*k+z[i]]
	}
	for t := 0; t+1 < n; t++ {
		value += w[nk+t*kk+z[t]*k+z[t+1]]
	}
	if value-value != 0 {
		return 0, fmt.Errorf("%w: %s: the score of the maximizer overflows float64", ErrNotFinite, c.Name())
	}
	return value, nil
}

// finite returns an [ErrNotFinite] error naming the first NaN or ±Inf in
// w[lo:hi].
func (v *Viterbi) finite(w []float64, lo, hi int) error {
	for j, x := range w[lo:hi] {
		if x-x != 0 { // NaN or ±Inf
			return fmt.Errorf("%w: %s: w[%d] = %v (%s)", ErrNotFinite, v.c.Name(), lo+j, x, v.c.coordinate(lo+j))
		}
	}
	return nil
}
