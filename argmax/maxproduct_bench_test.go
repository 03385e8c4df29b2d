package argmax

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// forestModels returns count general-sign models on random trees of n
// variables (node i joins a random earlier node), θ and weights N(0,1).
func forestModels(n, count int, seed uint64) []*Model {
	r := rand.New(rand.NewPCG(seed, 4))
	ms := make([]*Model, count)
	for t := range ms {
		theta := make([]float64, n)
		for i := range theta {
			theta[i] = r.NormFloat64()
		}
		var edges []Edge
		for i := 1; i < n; i++ {
			edges = append(edges, Edge{I: r.IntN(i), J: i, W: r.NormFloat64()})
		}
		ms[t] = NewBinary(theta, edges)
	}
	return ms
}

// BenchmarkForest compares max-product, which the pairwise rule puts first
// on forests, with the solvers it replaced there: branch and bound (≤ 64
// variables) and QPBO. Compare the sub-benchmarks of one run as ratios.
func BenchmarkForest(b *testing.B) {
	for _, n := range []int{15, 64, 1000} {
		ms := forestModels(n, bnbBenchModels, uint64(n))
		solvers := map[string]func() PairwiseSolver{
			"maxproduct": func() PairwiseSolver { return &MaxProduct{} },
			"qpbo":       func() PairwiseSolver { return &QPBO{} },
		}
		if n <= MaxBranchAndBoundVars {
			solvers["bnb"] = func() PairwiseSolver { return &BranchAndBound{} }
		}
		for _, name := range []string{"maxproduct", "bnb", "qpbo"} {
			mk, ok := solvers[name]
			if !ok {
				continue
			}
			b.Run(fmt.Sprintf("n=%d/%s", n, name), func(b *testing.B) {
				s, z := mk(), make([]int, n)
				i := 0
				for b.Loop() {
					if _, err := s.Solve(ms[i%len(ms)], z); err != nil {
						b.Fatal(err)
					}
					i++
				}
			})
		}
	}
}
