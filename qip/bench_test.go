//go:build cgo

package qip

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/argmaxvae/argmaxvae/argmax"
)

// denseModel draws a complete-graph model on n variables with θ and all
// n(n−1)/2 weights i.i.d. N(0, 1): mixed signs, no structure to exploit.
func denseModel(r *rand.Rand, n int) *argmax.Model {
	theta := make([]float64, n)
	for i := range theta {
		theta[i] = r.NormFloat64()
	}
	edges := argmax.CompleteEdges(n)
	for e := range edges {
		edges[e].W = r.NormFloat64()
	}
	return argmax.NewBinary(theta, edges)
}

// BenchmarkDense solves a fixed pool of dense general-sign models and
// reports the median time per solve (median-ms) besides Go's mean ns/op.
func BenchmarkDense(b *testing.B) {
	for _, n := range []int{15, 20, 25, 30} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			r := rand.New(rand.NewPCG(uint64(n), 2019))
			pool := make([]*argmax.Model, 16)
			for i := range pool {
				pool[i] = denseModel(r, n)
			}
			s := New()
			z := make([]int, n)
			times := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				if _, err := s.Solve(pool[i%len(pool)], z); err != nil {
					b.Fatal(err)
				}
				times = append(times, time.Since(t0))
			}
			b.StopTimer()
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
		})
	}
}
