package qip

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/argmaxvae/argmaxvae/argmax"
)

// pair is one merged edge of the model: i < j and w ≠ 0.
type pair struct {
	i, j int
	w    float64
}

// mergeEdges appends to dst[:0] the edges of m with endpoints ordered
// (i < j), repeated pairs summed and pairs whose weights sum to zero
// dropped, sorted by (i, j). The sort is stable, so the summation order, and
// hence the result, depends only on the edge list. It fails if a sum
// overflows to ±Inf. Time O(E log E), no allocation once dst is large
// enough. The edges must already be valid ([argmax.Model.Validate]).
func mergeEdges(dst []pair, edges []argmax.Edge) ([]pair, error) {
	dst = dst[:0]
	for _, e := range edges {
		i, j := e.I, e.J
		if i > j {
			i, j = j, i
		}
		dst = append(dst, pair{i, j, e.W})
	}
	slices.SortStableFunc(dst, func(a, b pair) int {
		if c := cmp.Compare(a.i, b.i); c != 0 {
			return c
		}
		return cmp.Compare(a.j, b.j)
	})
	out := dst[:0]
	for k := 0; k < len(dst); {
		p := dst[k]
		k++
		for k < len(dst) && dst[k].i == p.i && dst[k].j == p.j {
			p.w += dst[k].w
			k++
		}
		if math.IsInf(p.w, 0) {
			return nil, fmt.Errorf("%w: repeated edges (%d,%d) sum to %v", argmax.ErrNotFinite, p.i, p.j, p.w)
		}
		if p.w != 0 {
			out = append(out, p)
		}
	}
	return out, nil
}
