package argmax

import (
	"fmt"
	"slices"
)

// Kruskal solves a [SpanningTree] exactly: the arg max is a maximum
// spanning tree on the gains g_e = w[2e+1] − w[2e] (plus the constant
// Σ_e w[2e]), which Kruskal's algorithm builds by sorting the edges by
// gain and adding each edge that joins two components (union-find with
// union by size and path halving), stopping at Nodes − 1 edges. Every
// spanning tree has Nodes − 1 edges, so negative gains are taken when the
// tree needs them. Time O(E log E) for the sort plus O(E·α(Nodes)); the
// buffers (E items, Nodes parents) are allocated by [NewKruskal] and
// reused, so Maximize does not allocate.
//
// Ties are broken as [Enumerate] breaks them: edges are ranked by gain,
// and among equal gains the lower index first. On a matroid, as the
// spanning trees are, the greedy algorithm with this ranking returns, of
// all maximum-weight bases, the one with the smallest Σ_e z_e·2ᵉ — the
// first in Enumerate's odometer order (variable 0 fastest): it maximizes
// the gains perturbed by −δ·2ᵉ for an infinitesimal δ > 0, which rank the
// edges exactly so. The two agree exactly
// whenever the sums are exact (integer-valued weights, for one);
// otherwise two nearly equal trees may be ranked differently by the
// rounded gains and by Enumerate's rounded sums.
//
// The returned value is Σ_e w[2e+z_e] in the order of [Score], so it
// equals Score(t, w, z) exactly. Scores that are NaN or ±Inf are refused
// with [ErrNotFinite], naming the coordinate, and so is an instance whose
// gains or whose maximum overflow float64 (|w_j| ≤ MaxFloat64/(2E) for
// every j rules that out).
//
// A Kruskal is not safe for concurrent use; make one per goroutine.
type Kruskal struct {
	t     SpanningTree
	items []topkItem // edges and their gains, sorted
	uf    []int32
}

// NewKruskal returns a Kruskal solver for spanning trees of t's graph (t
// and its edges are copied). An invalid graph is refused like
// [SpanningTree.Validate].
func NewKruskal(t *SpanningTree) (*Kruskal, error) {
	if err := t.Validate(); err != nil {
		return nil, err
	}
	return &Kruskal{t: *t.clone(), items: make([]topkItem, len(t.Edges)), uf: make([]int32, t.Nodes)}, nil
}

// Maximize implements [Maximizer]: it writes the maximum spanning tree
// into z[:E] (1 for the tree's edges) and returns ⟨w, φ(z)⟩. len(w) must
// be 2E and len(z) ≥ E ([ErrShape]); on error z is left unspecified.
func (k *Kruskal) Maximize(w []float64, z []int) (float64, error) {
	t := &k.t
	if err := checkW(t, w, z); err != nil {
		return 0, err
	}
	if err := checkFinite(t, w, t.coordinate); err != nil {
		return 0, err
	}
	ne := len(t.Edges)
	z = z[:ne]
	items := k.items[:ne]
	for e := range items {
		g := w[2*e+1] - w[2*e]
		if g-g != 0 {
			return 0, fmt.Errorf("%w: %s: the gain of edge %d, w[%d] − w[%d] = %v − %v, overflows float64", ErrNotFinite, t.Name(), e, 2*e+1, 2*e, w[2*e+1], w[2*e])
		}
		items[e] = topkItem{g: g, i: e}
	}
	slices.SortFunc(items, rankItems)
	clear(z)
	ufReset(k.uf)
	need := t.Nodes - 1
	for _, it := range items {
		ed := t.Edges[it.i]
		if ufUnion(k.uf, int32(ed[0]), int32(ed[1])) {
			z[it.i] = 1
			if need--; need == 0 {
				break
			}
		}
	}
	return unaryValue(t, w, z)
}
