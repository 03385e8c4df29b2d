package argmax

import (
	"fmt"
	"math"
)

// hungarianMaxScale bounds the magnitude of the costs the Hungarian
// algorithm works with: larger weights are scaled down by a power of two,
// so that the dual potentials and reduced costs, sums and differences of
// costs along augmenting paths, stay far below MaxFloat64 (a margin of
// 2⁵²³).
const hungarianMaxScale = 500 // 2⁵⁰⁰

// Hungarian solves a [Matching] exactly: the maximum-weight assignment by
// the Hungarian method in its shortest-augmenting-path form (Jonker and
// Volgenant; Kuhn–Munkres with dual potentials). Rows are added one at a
// time; each addition runs a Dijkstra-like search over the columns on
// reduced costs and augments along the shortest path, so the N additions
// take O(N³) time in all. Buffers of O(N²) are allocated by [NewHungarian]
// and reused: Maximize does not allocate.
//
// Ties are broken as [Enumerate] breaks them. When several assignments
// are maximal, a final pass picks, among the perfect matchings of the
// tight edges (reduced cost 0 under the optimal dual potentials, which are
// exactly the maximal assignments), the lexicographically least read from
// z_{N−1} down to z_0 — the first in Enumerate's odometer order, variable 0
// fastest — by fixing rows from the last one down, each to the lowest
// column an alternating path can free for it: O(N²) per row, O(N³) in all,
// and skipped in O(N²) when the only tight edges are the assignment's own
// (a unique maximum, the usual case with real weights). With exact sums
// (integer-valued weights of magnitude below 2⁵³/N, for one) the two
// solvers agree exactly; otherwise the potentials are rounded, and a
// nearly tight edge may or may not count as tight.
//
// The returned value is Σᵢ w[i·N+zᵢ] in the order of [Score], so it equals
// Score(m, w, z) exactly. Scores that are NaN or ±Inf are refused with
// [ErrNotFinite], naming the coordinate, and so is an instance whose
// maximum overflows float64. When some weight exceeds 2⁵⁰⁰ in magnitude,
// all are scaled down by a power of two for the search, which is exact
// except that weights below 2⁻⁴⁹⁸ in magnitude may then lose bits to
// underflow.
//
// A Hungarian is not safe for concurrent use; make one per goroutine.
type Hungarian struct {
	m    Matching
	cost []float64 // N×N, row-major: −w (scaled), minimised

	// 1-based search state (column 0 is a sentinel), length N+1.
	u, v, minv []float64 // row and column potentials; reduced path costs
	p, way     []int     // p[j]: row (1-based) of column j; way: path
	used       []bool

	// Tie-breaking pass, 0-based, length N.
	rowCol, colRow []int  // the assignment and its inverse
	fixed          []bool // rows already given their final column
	queue, from    []int  // BFS over columns: from[x] = column its row moves to
	inS            []bool // columns reached
}

// NewHungarian returns a Hungarian solver for matchings of m's shape (m is
// copied). An invalid shape is refused with [ErrShape].
func NewHungarian(m *Matching) (*Hungarian, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	n := m.N
	return &Hungarian{
		m:    *m,
		cost: make([]float64, n*n),
		u:    make([]float64, n+1), v: make([]float64, n+1), minv: make([]float64, n+1),
		p: make([]int, n+1), way: make([]int, n+1), used: make([]bool, n+1),
		rowCol: make([]int, n), colRow: make([]int, n), fixed: make([]bool, n),
		queue: make([]int, n), from: make([]int, n), inS: make([]bool, n),
	}, nil
}

// Maximize implements [Maximizer]: it writes the maximum-weight
// assignment into z[:N] (zᵢ the column of row i) and returns its weight.
// len(w) must be N² and len(z) ≥ N ([ErrShape]); on error z is left
// unspecified.
func (h *Hungarian) Maximize(w []float64, z []int) (float64, error) {
	m := &h.m
	if err := checkW(m, w, z); err != nil {
		return 0, err
	}
	if err := checkFinite(m, w, m.coordinate); err != nil {
		return 0, err
	}
	n := m.N
	big := 0.0
	for _, x := range w {
		big = max(big, math.Abs(x))
	}
	cost := h.cost
	if _, e := math.Frexp(big); e > hungarianMaxScale {
		for j, x := range w {
			cost[j] = -math.Ldexp(x, hungarianMaxScale-e)
		}
	} else {
		for j, x := range w {
			cost[j] = -x
		}
	}
	if err := h.assign(n); err != nil {
		return 0, err
	}
	for j := 1; j <= n; j++ {
		h.rowCol[h.p[j]-1] = j - 1
		h.colRow[j-1] = h.p[j] - 1
	}
	h.breakTies(n)
	copy(z, h.rowCol)
	value := 0.0
	for i, j := range z[:n] {
		value += w[i*n+j]
	}
	if value-value != 0 {
		return 0, fmt.Errorf("%w: %s: the score of the maximizer overflows float64", ErrNotFinite, m.Name())
	}
	return value, nil
}

// assign runs the shortest-augmenting-path Hungarian method on h.cost,
// leaving the assignment in h.p and optimal potentials in h.u, h.v.
func (h *Hungarian) assign(n int) error {
	u, v, minv, p, way, used := h.u, h.v, h.minv, h.p, h.way, h.used
	clear(u)
	clear(v)
	clear(p)
	inf := math.Inf(1)
	for i := 1; i <= n; i++ {
		p[0] = i
		j0 := 0
		for j := range minv {
			minv[j] = inf
			used[j] = false
		}
		for {
			used[j0] = true
			i0 := p[j0]
			row := h.cost[(i0-1)*n : i0*n]
			ui := u[i0]
			delta, j1 := inf, 0
			for j := 1; j <= n; j++ {
				if used[j] {
					continue
				}
				if cur := row[j-1] - ui - v[j]; cur < minv[j] {
					minv[j], way[j] = cur, j0
				}
				if minv[j] < delta {
					delta, j1 = minv[j], j
				}
			}
			if j1 == 0 { // only with non-finite reduced costs
				return fmt.Errorf("%w: %s: the dual potentials overflow float64", ErrNotFinite, h.m.Name())
			}
			for j := 0; j <= n; j++ {
				if used[j] {
					u[p[j]] += delta
					v[j] -= delta
				} else {
					minv[j] -= delta
				}
			}
			j0 = j1
			if p[j0] == 0 {
				break
			}
		}
		for j0 != 0 { // augment along the path
			j1 := way[j0]
			p[j0] = p[j1]
			j0 = j1
		}
	}
	return nil
}

// tight reports whether row i and column j (0-based) are joined by a tight
// edge: one of the assignment that [Hungarian.assign] found (tight in
// exact arithmetic), or one of reduced cost ≤ 0.
func (h *Hungarian) tight(n, i, j int) bool {
	return h.p[j+1] == i+1 || h.cost[i*n+j]-h.u[i+1]-h.v[j+1] <= 0
}

// breakTies turns the optimal assignment in rowCol/colRow into the
// lexicographically least optimal one read from row N−1 down: see
// [Hungarian].
func (h *Hungarian) breakTies(n int) {
	extra := false
	for i := 0; i < n && !extra; i++ {
		for j := 0; j < n; j++ {
			if j != h.rowCol[i] && h.cost[i*n+j]-h.u[i+1]-h.v[j+1] <= 0 {
				extra = true
				break
			}
		}
	}
	if !extra {
		return // the assignment is the only maximal one
	}
	clear(h.fixed)
	for r := n - 1; r >= 0; r-- {
		// Columns that row r can take while the other unfixed rows keep a
		// tight perfect matching: those reached by a breadth-first search
		// from r's column f, where column x is reached when its row has a
		// tight edge to a reached column y (and would move there,
		// from[x] = y).
		f := h.rowCol[r]
		clear(h.inS)
		h.inS[f] = true
		h.queue[0] = f
		head, tail := 0, 1
		best := f
		for head < tail {
			y := h.queue[head]
			head++
			if y < best && h.tight(n, r, y) {
				best = y
			}
			for q := 0; q < n; q++ {
				if q == r || h.fixed[q] {
					continue
				}
				x := h.rowCol[q]
				if !h.inS[x] && h.tight(n, q, y) {
					h.inS[x] = true
					h.from[x] = y
					h.queue[tail] = x
					tail++
				}
			}
		}
		// Give best to r; the rows along the path from best back to f each
		// move one step.
		for x, q := best, h.colRow[best]; x != f; {
			y := h.from[x]
			next := h.colRow[y] // y's owner before q moves in
			h.rowCol[q], h.colRow[y] = y, q
			x, q = y, next
		}
		h.rowCol[r], h.colRow[best] = best, r
		h.fixed[r] = true
	}
}
