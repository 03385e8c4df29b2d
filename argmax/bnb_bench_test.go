package argmax

import (
	"math/rand/v2"
	"testing"
)

// bnbBenchModels is the number of distinct models each benchmark cycles
// through, so that ns/op is an average over instances, not one lucky model.
const bnbBenchModels = 64

// bnbDenseModels returns count complete-graph models on n variables with
// θ and weights drawn from N(0,1).
func bnbDenseModels(n, count int, seed uint64) []*Model {
	r := rand.New(rand.NewPCG(seed, 15))
	ms := make([]*Model, count)
	for t := range ms {
		theta := make([]float64, n)
		for i := range theta {
			theta[i] = r.NormFloat64()
		}
		edges := CompleteEdges(n)
		for e := range edges {
			edges[e].W = r.NormFloat64()
		}
		ms[t] = NewBinary(theta, edges)
	}
	return ms
}

// bnbSparseModels returns count models on n variables whose edges are
// n·deg/2 distinct random pairs (average degree deg), θ and weights N(0,1).
func bnbSparseModels(n int, deg float64, count int, seed uint64) []*Model {
	r := rand.New(rand.NewPCG(seed, 3))
	ms := make([]*Model, count)
	ne := int(float64(n)*deg/2 + 0.5)
	for t := range ms {
		theta := make([]float64, n)
		for i := range theta {
			theta[i] = r.NormFloat64()
		}
		seen := make(map[[2]int]bool)
		edges := make([]Edge, 0, ne)
		for len(edges) < ne {
			i, j := r.IntN(n), r.IntN(n)
			if i == j {
				continue
			}
			i, j = min(i, j), max(i, j)
			if seen[[2]int{i, j}] {
				continue
			}
			seen[[2]int{i, j}] = true
			edges = append(edges, Edge{I: i, J: j, W: r.NormFloat64()})
		}
		ms[t] = NewBinary(theta, edges)
	}
	return ms
}

// bnbGridModels returns count rows×cols 4-neighbour grid models (variable
// r·cols+c), θ and weights N(0,1).
func bnbGridModels(rows, cols, count int, seed uint64) []*Model {
	r := rand.New(rand.NewPCG(seed, 58))
	ms := make([]*Model, count)
	for t := range ms {
		theta := make([]float64, rows*cols)
		for i := range theta {
			theta[i] = r.NormFloat64()
		}
		var edges []Edge
		for y := 0; y < rows; y++ {
			for x := 0; x < cols; x++ {
				v := y*cols + x
				if x+1 < cols {
					edges = append(edges, Edge{I: v, J: v + 1, W: r.NormFloat64()})
				}
				if y+1 < rows {
					edges = append(edges, Edge{I: v, J: v + cols, W: r.NormFloat64()})
				}
			}
		}
		ms[t] = NewBinary(theta, edges)
	}
	return ms
}

func bnbBench(b *testing.B, s PairwiseSolver, ms []*Model) {
	z := make([]int, ms[0].N)
	for _, m := range ms { // warm up buffers
		if _, err := s.Solve(m, z); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := s.Solve(ms[i%len(ms)], z); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkExhaustiveDense15(b *testing.B) {
	bnbBench(b, &GrayCode{}, bnbDenseModels(15, bnbBenchModels, 1))
}

func BenchmarkBranchAndBoundDense15(b *testing.B) {
	bnbBench(b, &BranchAndBound{}, bnbDenseModels(15, bnbBenchModels, 1))
}

func BenchmarkBranchAndBoundDense20(b *testing.B) {
	bnbBench(b, &BranchAndBound{}, bnbDenseModels(20, bnbBenchModels, 2))
}

func BenchmarkBranchAndBoundDense25(b *testing.B) {
	bnbBench(b, &BranchAndBound{}, bnbDenseModels(25, bnbBenchModels, 3))
}

func BenchmarkBranchAndBoundDense30(b *testing.B) {
	bnbBench(b, &BranchAndBound{}, bnbDenseModels(30, 16, 4))
}

func BenchmarkBranchAndBoundSparse40(b *testing.B) {
	bnbBench(b, &BranchAndBound{}, bnbSparseModels(40, 3, bnbBenchModels, 5))
}

func BenchmarkBranchAndBoundGrid5x8(b *testing.B) {
	bnbBench(b, &BranchAndBound{}, bnbGridModels(5, 8, bnbBenchModels, 6))
}

func BenchmarkBranchAndBoundGrid8x8(b *testing.B) {
	bnbBench(b, &BranchAndBound{}, bnbGridModels(8, 8, 16, 7))
}
