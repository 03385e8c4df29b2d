//go:build cgo

package qip_test

import (
	"fmt"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/argmaxvae/argmaxvae/qip"
)

// Three variables that each want to be on (θ = 1) but repel each other
// pairwise (w = −1.5), plus an attraction between 0 and 1 through a second,
// repeated edge (+2 − 1.5 = +0.5 net): the best is to turn on 0 and 1.
func Example() {
	m := argmax.NewBinary([]float64{1, 1, 1}, []argmax.Edge{
		{I: 0, J: 1, W: -1.5}, {I: 1, J: 2, W: -1.5}, {I: 0, J: 2, W: -1.5},
		{I: 1, J: 0, W: 2},
	})
	z := make([]int, 3)
	h, err := qip.New().Solve(m, z)
	fmt.Println(z, h, err)
	// Output: [1 1 0] 2.5 <nil>
}
