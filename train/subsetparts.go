package train

import (
	"fmt"

	"github.com/argmaxvae/argmaxvae/argmax"
)

// subsetPart is one k-subset block of a latent: variables off…off+n−1,
// k of which are on.
type subsetPart struct{ off, n, k int }

// subsetParts returns the k-subset blocks of s, which must be an
// [argmax.KSubset] or an [argmax.Product] of them: the structures that the
// subset-specific estimators (I-MLE with sum-of-Gamma noise, the
// straight-through Gumbel-top-k) accept.
func subsetParts(s argmax.Structure) ([]subsetPart, error) {
	switch t := s.(type) {
	case *argmax.KSubset:
		return []subsetPart{{0, t.N, t.K}}, nil
	case *argmax.Product:
		var out []subsetPart
		off := 0
		for i, p := range t.Parts() {
			ks, ok := p.(*argmax.KSubset)
			if !ok {
				return nil, fmt.Errorf("part %d of %s is %s, not a k-subset", i, s.Name(), p.Name())
			}
			out = append(out, subsetPart{off, ks.N, ks.K})
			off += ks.N
		}
		return out, nil
	}
	return nil, fmt.Errorf("%s is not a k-subset or a product of k-subsets", s.Name())
}
