package argmax_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/argmaxvae/argmaxvae/argmax"
)

// Build a pairwise binary model, let Choose pick the solver, solve.
func ExampleChoose() {
	m, err := argmax.NewDense([]float64{1, -2, 0.5}, [][]float64{
		{0, 3, 0},
		{0, 0, 1},
		{0, 0, 0},
	})
	if err != nil {
		panic(err)
	}
	choice, err := argmax.Choose(m)
	if err != nil {
		panic(err)
	}
	z := make([]int, m.N)
	value, err := choice.New().Solve(m, z)
	fmt.Println(choice.Name, z, value, err)
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

// Solve many models in parallel with per-worker solvers.
func ExampleBatch() {
	models := []*argmax.Model{
		argmax.NewBinary([]float64{1, -1}, []argmax.Edge{{I: 0, J: 1, W: 2}}),
		argmax.NewBinary([]float64{-1, -1}, []argmax.Edge{{I: 0, J: 1, W: 3}}),
	}
	zs := [][]int{make([]int, 2), make([]int, 2)}
	vals := make([]float64, 2)
	b := argmax.NewBatch(func() argmax.Solver { return &argmax.Exhaustive{} }, 2)
	err := b.Solve(models, zs, vals)
	fmt.Println(zs, vals, err)
	// Output: [[1 1] [1 1]] [2 1] <nil>
}
