package argmax_test

import (
	"fmt"

	"github.com/argmaxvae/argmaxvae/argmax"
)

// The top 2 of five items by their gains (float32, as an encoder gives
// them), read back as item indices.
func ExampleSubsetProblem() {
	gains := []float32{0.3, -1, 2.5, 0.9, 0.1}
	s, w, err := argmax.SubsetProblem(gains, 2)
	if err != nil {
		panic(err)
	}
	z, value, err := argmax.Solve(s, w)
	if err != nil {
		panic(err)
	}
	items, _ := s.Chosen(z)
	fmt.Printf("%v %.2f\n", items, value) // float32 gains: 3.4 to float32 precision
	// Output: [2 3] 3.40
}

// The assignment of least total cost, as a permutation (row i gets column
// perm[i]).
func ExampleMatchingCostProblem() {
	cost := [][]float64{
		{4, 1, 3},
		{2, 0, 5},
		{3, 2, 2},
	}
	m, w, err := argmax.MatchingCostProblem(cost)
	if err != nil {
		panic(err)
	}
	z, value, err := argmax.Solve(m, w)
	if err != nil {
		panic(err)
	}
	perm, _ := m.Permutation(z)
	fmt.Println(perm, -value)
	// Output: [1 0 2] 5
}

// The maximum spanning tree of a weighted graph, read back as edges.
func ExampleTreeProblem() {
	edges := [][2]int{{0, 1}, {1, 2}, {0, 2}, {2, 3}}
	t, w, err := argmax.TreeProblem(4, edges, []float64{1, 5, 3, 2})
	if err != nil {
		panic(err)
	}
	z, value, err := argmax.Solve(t, w)
	if err != nil {
		panic(err)
	}
	tree, _ := t.TreeEdges(z)
	fmt.Println(tree, value)
	// Output: [[1 2] [0 2] [2 3]] 10
}

// A structure and its weights from natural inputs, solved by its fastest
// exact solver and read back: the best 3 of six items by gain, and the
// maximum spanning tree of a small graph. Bad inputs are errors, never
// panics.
func Example() {
	s, w, err := argmax.SubsetProblem([]float64{0.3, -1, 2.5, 0.9, 0.8, 4}, 3)
	if err != nil {
		panic(err)
	}
	z, best, err := argmax.Solve(s, w)
	if err != nil {
		panic(err)
	}
	items, _ := s.Chosen(z)
	fmt.Println("top 3:", items, best)

	edges := [][2]int{{0, 1}, {1, 2}, {2, 3}, {3, 0}, {0, 2}}
	t, w, err := argmax.TreeProblem(4, edges, []float64{1, 5, 2, 4, 3})
	if err != nil {
		panic(err)
	}
	if z, best, err = argmax.Solve(t, w); err != nil {
		panic(err)
	}
	tree, _ := t.TreeEdges(z)
	fmt.Println("tree:", tree, best)

	_, _, err = argmax.SubsetProblem([]float64{1, 2}, 3)
	fmt.Println(err)
	// Output:
	// top 3: [2 3 5] 7.4
	// tree: [[1 2] [3 0] [0 2]] 12
	// argmax: model shape: subset of K = 3 of 2 items, want 0 ≤ K ≤ N
}
