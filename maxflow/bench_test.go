package maxflow

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// benchSolve rebuilds and solves p on g b.N times.
func benchSolve(b *testing.B, p *problem, g MinCut) {
	p.load(g)
	want, err := g.MaxFlow()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		p.load(g)
		if f, _ := g.MaxFlow(); f != want {
			b.Fatalf("flow %v, want %v", f, want)
		}
	}
}

// BenchmarkGrid solves 4-connected grids with random integer data terms
// in [0, 100) and smoothness terms in [0, 30). YourBasic (Edmonds–Karp on
// hash maps) runs only on the 64² grid: it takes minutes on the larger.
func BenchmarkGrid(b *testing.B) {
	for _, side := range []int{64, 256, 512} {
		p := gridProblem(rand.New(rand.NewPCG(1, uint64(side))), side, side, 100, 30)
		b.Run(fmt.Sprintf("BK/%d", side), func(b *testing.B) {
			benchSolve(b, p, New(p.n, 2*p.n))
		})
		if side <= 64 {
			b.Run(fmt.Sprintf("YourBasic/%d", side), func(b *testing.B) {
				benchSolve(b, p, &YourBasic{})
			})
		}
	}
}

// BenchmarkDense solves complete graphs with random integer capacities in
// [0, 100] on every edge and terminal.
func BenchmarkDense(b *testing.B) {
	for _, n := range []int{15, 50, 200} {
		p := randProblem(rand.New(rand.NewPCG(2, uint64(n))), n, 1, 100)
		b.Run(fmt.Sprintf("BK/%d", n), func(b *testing.B) {
			benchSolve(b, p, New(p.n, len(p.ops)))
		})
		b.Run(fmt.Sprintf("YourBasic/%d", n), func(b *testing.B) {
			benchSolve(b, p, &YourBasic{})
		})
	}
}
