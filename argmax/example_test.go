package argmax_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/argmaxvae/argmaxvae/argmax"
)

// Solve a pairwise binary structure by its fastest exact solver: three
// variables with unary scores θ and a weight on each pair.
func ExamplePairwise() {
	p, err := argmax.Complete(3, true) // pairs (0,1), (0,2), (1,2), weights ≥ 0
	if err != nil {
		panic(err)
	}
	// w: the unary scores of states 0 and 1 of each variable, then one
	// weight per pair.
	w := []float64{0, 1, 0, -2, 0, 0.5, 3, 0, 1}
	name, solver, err := argmax.Fastest(p)
	if err != nil {
		panic(err)
	}
	z := make([]int, p.Vars())
	value, err := solver.Maximize(w, z)
	fmt.Println(name, z, value, err)
	// Output: maxflow [1 1 1] 3.5 <nil>
}

// Gumbel-Max sampling: the arg max of perturbed scores is a sample from
// softmax(scores).
func ExamplePerturbUnary() {
	r := rand.New(rand.NewPCG(1, 2))
	scores := []float64{0, 1, 2}
	counts := make([]int, 3)
	z := []int{0}
	for i := 0; i < 10000; i++ {
		m := argmax.NewCategorical(append([]float64(nil), scores...))
		argmax.PerturbUnary(m, r)
		argmax.Categorical{}.Solve(m, z)
		counts[z[0]]++
	}
	// softmax(0,1,2) = 0.09, 0.24, 0.67
	fmt.Println(counts[0] < counts[1], counts[1] < counts[2])
	// Output: true true
}

// Solve many weight vectors of one structure in parallel, one solver
// per worker.
func ExampleBatch() {
	p, err := argmax.Complete(2, false)
	if err != nil {
		panic(err)
	}
	ws := [][]float64{
		{0, 1, 0, -1, 2},  // θ = (1, −1), w₀₁ = 2
		{0, -1, 0, -1, 3}, // θ = (−1, −1), w₀₁ = 3
	}
	zs := [][]int{make([]int, 2), make([]int, 2)}
	vals := make([]float64, 2)
	b, err := argmax.NewBatch(p, "graycode", 2)
	if err != nil {
		panic(err)
	}
	err = b.Maximize(ws, zs, vals)
	fmt.Println(zs, vals, err)
	// Output: [[1 1] [1 1]] [2 1] <nil>
}
