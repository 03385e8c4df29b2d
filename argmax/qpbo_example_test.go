package argmax_test

import (
	"fmt"

	"github.com/argmaxvae/argmaxvae/argmax"
)

// QPBO on a chain of 100 variables with alternating-sign pair weights:
// beyond branch and bound's 64-variable components, but a chain is a tree,
// which roof duality labels completely.
func ExampleQPBO() {
	const n = 100
	theta := make([]float64, n)
	var edges []argmax.Edge
	for i := range theta {
		theta[i] = float64(i%3) - 1 // −1, 0, 1, −1, …
		if i+1 < n {
			w := 1.5
			if i%2 == 1 {
				w = -2
			}
			edges = append(edges, argmax.Edge{I: i, J: i + 1, W: w})
		}
	}
	m := argmax.NewBinary(theta, edges)
	var q argmax.QPBO
	z := make([]int, n)
	value, err := q.Solve(m, z)
	fmt.Println(value, err, z[:6])
	fmt.Printf("labelled by roof duality: %d of %d\n", q.Labelled(), n)
	// Output:
	// 57.5 <nil> [0 0 1 0 1 1]
	// labelled by roof duality: 100 of 100
}
