package argmax_test

import (
	"math/rand/v2"
	"testing"

	"github.com/argmaxvae/argmaxvae/argmax"
)

// BenchmarkProductSubsets solves the I-MLE paper's latent, 20 independent
// 10-of-20 subsets, with top-k per part, and samples its exponential family
// (SetSample: one DP per part and one exact sample).
func BenchmarkProductSubsets(b *testing.B) {
	sub, _ := argmax.NewKSubset(20, 10)
	p, err := argmax.Repeat(sub, 20)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	w := make([]float64, p.Dim())
	for j := range w {
		w[j] = rng.NormFloat64()
	}
	z := make([]int, p.Vars())
	b.Run("topk", func(b *testing.B) {
		m, err := p.NewSolver("topk")
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := m.Maximize(w, z); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("SetSample", func(b *testing.B) {
		s := argmax.SamplerOf(p)
		for b.Loop() {
			if _, err := s.Set(w); err != nil {
				b.Fatal(err)
			}
			if _, err := s.Sample(rng.Float64, z); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Sample", func(b *testing.B) {
		s := argmax.SamplerOf(p)
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
