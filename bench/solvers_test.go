package bench

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/argmaxvae/argmaxvae/maxflow"
	"github.com/argmaxvae/argmaxvae/qip"
)

// benchSolve solves a fixed pool of models round-robin, b.N times.
func benchSolve(b *testing.B, s argmax.PairwiseSolver, models []*argmax.Model) {
	z := make([]int, maxN(models))
	for _, m := range models {
		if _, err := s.Solve(m, z); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Solve(models[i%len(models)], z); err != nil {
			b.Fatal(err)
		}
	}
}

func pool(count int, f func(r *rand.Rand) *argmax.Model) []*argmax.Model {
	r := rand.New(rand.NewPCG(1, 2))
	ms := make([]*argmax.Model, count)
	for i := range ms {
		ms[i] = f(r)
	}
	return ms
}

// BenchmarkDense15 is the paper's structured problem: n = 15, all 105
// pairs, for every solver.
func BenchmarkDense15(b *testing.B) {
	super := pool(64, func(r *rand.Rand) *argmax.Model { return Dense(r, 15, true) })
	general := pool(64, func(r *rand.Rand) *argmax.Model { return Dense(r, 15, false) })
	integer := pool(64, func(r *rand.Rand) *argmax.Model { return IntegerDense(r, 15, true) })
	b.Run("maxflow/supermodular", func(b *testing.B) { benchSolve(b, &argmax.GraphCut{}, super) })
	b.Run("maxflow/supermodular-int", func(b *testing.B) { benchSolve(b, &argmax.GraphCut{}, integer) })
	b.Run("yourbasic/supermodular-int", func(b *testing.B) {
		benchSolve(b, &argmax.GraphCut{Backend: &maxflow.YourBasic{Scale: 1}}, integer)
	})
	b.Run("bnb/supermodular", func(b *testing.B) { benchSolve(b, &argmax.BranchAndBound{}, super) })
	b.Run("bnb/general", func(b *testing.B) { benchSolve(b, &argmax.BranchAndBound{}, general) })
	b.Run("exhaustive/general", func(b *testing.B) { benchSolve(b, &argmax.GrayCode{}, general) })
	b.Run("milp/supermodular", func(b *testing.B) { benchSolve(b, qip.New(), super) })
	b.Run("milp/general", func(b *testing.B) { benchSolve(b, qip.New(), general) })
	b.Run("independent", func(b *testing.B) {
		ind := pool(64, func(r *rand.Rand) *argmax.Model { return Dense(r, 15, true).WithoutEdges() })
		benchSolve(b, argmax.Categorical{}, ind)
	})
}

// BenchmarkMaxflowDense scales the graph cut on complete graphs.
func BenchmarkMaxflowDense(b *testing.B) {
	for _, n := range []int{50, 100, 200} {
		ms := pool(4, func(r *rand.Rand) *argmax.Model { return Dense(r, n, true) })
		b.Run(fmt.Sprint(n), func(b *testing.B) { benchSolve(b, &argmax.GraphCut{}, ms) })
	}
}

// BenchmarkMaxflowGrid scales the graph cut on 4-connected grids.
func BenchmarkMaxflowGrid(b *testing.B) {
	for _, s := range []int{64, 128, 256, 512} {
		ms := pool(1, func(r *rand.Rand) *argmax.Model { return Grid(r, s, s) })
		b.Run(fmt.Sprintf("%dx%d", s, s), func(b *testing.B) { benchSolve(b, &argmax.GraphCut{}, ms) })
	}
}

// BenchmarkMILP scales lp_solve on dense general-sign models.
func BenchmarkMILP(b *testing.B) {
	for _, n := range []int{15, 20, 25, 30} {
		ms := pool(4, func(r *rand.Rand) *argmax.Model { return Dense(r, n, false) })
		b.Run(fmt.Sprint(n), func(b *testing.B) { benchSolve(b, qip.New(), ms) })
	}
}

// BenchmarkExhaustive scales enumeration (2ⁿ) on dense models.
func BenchmarkExhaustive(b *testing.B) {
	for _, n := range []int{10, 14, 18, 22} {
		ms := pool(2, func(r *rand.Rand) *argmax.Model { return Dense(r, n, false) })
		b.Run(fmt.Sprint(n), func(b *testing.B) { benchSolve(b, &argmax.GrayCode{}, ms) })
	}
}

// BenchmarkGrayCodeVsBnb compares Gray-code enumeration and branch and
// bound at the small sizes where the pairwise rule (argmax.Pairwise.Solvers)
// switches between them.
func BenchmarkGrayCodeVsBnb(b *testing.B) {
	for _, n := range []int{6, 8, 10, 12} {
		ms := pool(64, func(r *rand.Rand) *argmax.Model { return Dense(r, n, false) })
		b.Run(fmt.Sprintf("graycode/%d", n), func(b *testing.B) { benchSolve(b, &argmax.GrayCode{}, ms) })
		b.Run(fmt.Sprintf("bnb/%d", n), func(b *testing.B) { benchSolve(b, &argmax.BranchAndBound{}, ms) })
	}
}
