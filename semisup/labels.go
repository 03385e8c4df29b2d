package semisup

import (
	"fmt"
	"math/rand/v2"
)

// Labelled draws a class-balanced labelled subset: n/classes indices of
// each class, uniformly without replacement with the seed's PCG stream,
// from labels (the training split only; indices into it). n must be a
// multiple of classes and each class must have enough examples. The
// result is sorted by class, then by the draw.
func Labelled(labels []int, classes, n int, seed uint64) ([]int, error) {
	if n < 0 || classes < 1 || n%classes != 0 {
		return nil, fmt.Errorf("semisup: %d labels is not a multiple of %d classes", n, classes)
	}
	byClass := make([][]int, classes)
	for i, l := range labels {
		if l < 0 || l >= classes {
			return nil, fmt.Errorf("semisup: label %d of example %d is outside 0..%d", l, i, classes-1)
		}
		byClass[l] = append(byClass[l], i)
	}
	r := rand.New(rand.NewPCG(seed, 0x1abe1))
	per := n / classes
	out := make([]int, 0, n)
	for c, idx := range byClass {
		if len(idx) < per {
			return nil, fmt.Errorf("semisup: class %d has %d examples, fewer than the %d labels asked for", c, len(idx), per)
		}
		r.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		out = append(out, idx[:per]...)
	}
	return out, nil
}
