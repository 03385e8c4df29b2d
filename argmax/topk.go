package argmax

import (
	"fmt"
	"math/bits"
)

// TopK solves a [KSubset] exactly: the arg max takes the K items of
// largest gain gᵢ = w[2i+1] − w[2i], which TopK selects by quickselect —
// partitioning around random pivots until the K-th position is reached —
// without sorting, in O(N) expected time. A partition sequence that runs
// longer than about 3·log₂N rounds falls back to heapsort on what is left,
// so the worst case is O(N log N). Buffers of N items are allocated by
// [NewTopK] and reused: Maximize does not allocate.
//
// Ties are broken as [Enumerate] breaks them: items are ranked by gain,
// and among equal gains the lowest index wins, so that of all maximizers
// TopK returns the one with the smallest Σᵢ zᵢ·2ⁱ, the first in
// Enumerate's odometer order (variable 0 fastest). Because the ranking
// is a total order, the pivots (drawn from a generator inside the solver)
// never change the result. The two agree exactly whenever the sums are
// exact (integer-valued weights, for one); otherwise two nearly equal
// subsets may be ranked differently by the rounded gains and by
// Enumerate's rounded sums.
//
// The returned value is Σᵢ w[2i+zᵢ] in the order of [Score], so it equals
// Score(s, w, z) exactly. Scores that are NaN or ±Inf are refused with
// [ErrNotFinite], naming the coordinate, and so is an instance whose gains
// or whose maximum overflow float64 (|w_j| ≤ MaxFloat64/(2N) for every j
// rules that out).
//
// A TopK is not safe for concurrent use; make one per goroutine.
type TopK struct {
	s     KSubset
	items []topkItem
	rng   uint64 // xorshift state for the pivots
}

// topkItem is an item and its gain.
type topkItem struct {
	g float64
	i int
}

// before is TopK's ranking: larger gain first, then lower index.
func (a topkItem) before(b topkItem) bool {
	return a.g > b.g || a.g == b.g && a.i < b.i
}

// rankItems orders items by decreasing gain, then increasing index (the
// order of before), for slices.SortFunc.
func rankItems(a, b topkItem) int {
	switch {
	case a.g > b.g:
		return -1
	case a.g < b.g:
		return 1
	}
	return a.i - b.i
}

// NewTopK returns a TopK solver for subsets of s's shape (s is copied).
// An invalid shape is refused with [ErrShape].
func NewTopK(s *KSubset) (*TopK, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return &TopK{s: *s, items: make([]topkItem, s.N), rng: 0x9e3779b97f4a7c15}, nil
}

// Maximize implements [Maximizer]: it writes the K items of largest gain
// into z[:N] (1 chosen, 0 left out) and returns ⟨w, φ(z)⟩. len(w) must be
// 2N and len(z) ≥ N ([ErrShape]); on error z is left unspecified.
func (t *TopK) Maximize(w []float64, z []int) (float64, error) {
	s := &t.s
	if err := checkW(s, w, z); err != nil {
		return 0, err
	}
	if err := checkFinite(s, w, s.coordinate); err != nil {
		return 0, err
	}
	n, k := s.N, s.K
	z = z[:n]
	switch k {
	case 0, n:
		b := 0
		if k == n {
			b = 1
		}
		for i := range z {
			z[i] = b
		}
		return unaryValue(s, w, z)
	}
	items := t.items[:n]
	for i := range items {
		g := w[2*i+1] - w[2*i]
		if g-g != 0 {
			return 0, fmt.Errorf("%w: %s: the gain of item %d, w[%d] − w[%d] = %v − %v, overflows float64", ErrNotFinite, s.Name(), i, 2*i+1, 2*i, w[2*i+1], w[2*i])
		}
		items[i] = topkItem{g: g, i: i}
	}
	t.selectK(items, k, 3*bits.Len(uint(n))+4)
	clear(z)
	for _, it := range items[:k] {
		z[it.i] = 1
	}
	return unaryValue(s, w, z)
}

// selectK rearranges items so that items[:k] are the k first in the
// ranking (in no particular order), 0 < k < len(items), in at most budget
// partition rounds before heapsorting what is left.
func (t *TopK) selectK(items []topkItem, k, budget int) {
	lo, hi := 0, len(items)
	// Invariant: lo ≤ k < hi, items[:lo] rank before items[lo:hi], which
	// rank before items[hi:]. Done when position k holds its element.
	for hi-lo > 1 {
		if budget == 0 {
			heapSort(items[lo:hi])
			return
		}
		budget--
		p := t.partition(items[lo:hi], t.pivot(hi-lo)) + lo
		switch {
		case p == k:
			return
		case p < k:
			lo = p + 1
		default:
			hi = p
		}
	}
}

// pivot returns a pseudo-random index in [0, n).
func (t *TopK) pivot(n int) int {
	x := t.rng
	x ^= x << 13
	x ^= x >> 7
	x ^= x << 17
	t.rng = x
	hi, _ := bits.Mul64(x, uint64(n))
	return int(hi)
}

// partition moves the elements that rank before a[p] to its left and the
// others to its right, and returns its new index (Lomuto's scheme; the
// ranking has no equal elements).
func (t *TopK) partition(a []topkItem, p int) int {
	last := len(a) - 1
	a[p], a[last] = a[last], a[p]
	pv := a[last]
	store := 0
	for j := range a[:last] {
		if a[j].before(pv) {
			a[store], a[j] = a[j], a[store]
			store++
		}
	}
	a[store], a[last] = a[last], a[store]
	return store
}

// heapSort sorts a into ranking order in place, O(n log n) without
// allocating.
func heapSort(a []topkItem) {
	n := len(a)
	// A heap whose root ranks last; popping moves it to the end.
	for i := n/2 - 1; i >= 0; i-- {
		siftDown(a, i, n)
	}
	for end := n - 1; end > 0; end-- {
		a[0], a[end] = a[end], a[0]
		siftDown(a, 0, end)
	}
}

func siftDown(a []topkItem, root, n int) {
	for {
		c := 2*root + 1
		if c >= n {
			return
		}
		if c+1 < n && a[c].before(a[c+1]) {
			c++
		}
		if !a[root].before(a[c]) {
			return
		}
		a[root], a[c] = a[c], a[root]
		root = c
	}
}
