package train

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/argmaxvae/argmaxvae/nn"
)

// gibbsModel returns a complete binary model of n variables with random
// scores of the magnitudes a trained encoder emits.
func gibbsModel(r *rand.Rand, n int) *argmax.Model {
	m := &argmax.Model{N: n, K: 2, Unary: make([]float64, 2*n), Edges: argmax.CompleteEdges(n)}
	for i := range m.Unary {
		m.Unary[i] = 3 * r.NormFloat64()
	}
	for e := range m.Edges {
		m.Edges[e].W = r.ExpFloat64()
	}
	return m
}

// BenchmarkGibbsKL is one example of the per-epoch exact KL of
// cmd/structured (n = 15, 105 edges, 2¹⁵ states).
func BenchmarkGibbsKL(b *testing.B) {
	m := gibbsModel(rand.New(rand.NewPCG(3, 4)), 15)
	for b.Loop() {
		if _, err := gibbsKLOf(m); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N<<15), "ns/state")
}

// TestGibbsKLsWorkers checks that the exact KLs of an evaluation do not
// depend on the number of threads and equal gibbsKLOf one example at a
// time. 14 latents make the 30 rows enough work to be split.
func TestGibbsKLsWorkers(t *testing.T) {
	defer nn.SetThreads(nn.Threads())
	v := tinyVAE(t, 5, 20, 14, 2, true, true, "")
	x := randomImages(6, 37, 20)
	scores := must(v.Enc.Forward(x))
	var first []float64
	for _, w := range []int{1, 2, 5, 64} {
		v.threads = w
		v.useThreads() // as Evaluate does
		kls, err := gibbsKLs(context.Background(), v, scores, 30)
		if err != nil {
			t.Fatal(err)
		}
		if len(kls) != 30 {
			t.Fatalf("%d workers: %d KLs, want 30", w, len(kls))
		}
		if first == nil {
			first = kls
			for b, kl := range kls {
				want, err := gibbsKLOf(unperturbed(v, scores, b))
				if err != nil || kl != want || !(kl >= 0) {
					t.Fatalf("example %d: %v, GibbsKL alone %v (%v)", b, kl, want, err)
				}
			}
			continue
		}
		if !slices.Equal(kls, first) {
			t.Errorf("%d workers: KLs differ from 1 worker", w)
		}
	}
}
