package argmax_test

import (
	"math/rand/v2"
	"testing"

	"github.com/argmaxvae/argmaxvae/argmax"
)

// BenchmarkTreeFamily sets and samples the exponential family of spanning
// trees of the complete graph on 8 nodes (28 edges, 8⁶ trees).
func BenchmarkTreeFamily(b *testing.B) {
	t, err := argmax.NewSpanningTree(8, argmax.CompleteGraph(8))
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	w := make([]float64, t.Dim())
	for j := range w {
		w[j] = rng.NormFloat64()
	}
	z := make([]int, t.Vars())
	s := t.NewUnarySampler()
	b.Run("Set", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.Set(w); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Sample", func(b *testing.B) {
		if _, err := s.Set(w); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := s.Sample(rng.Float64, z); err != nil {
				b.Fatal(err)
			}
		}
	})
}
