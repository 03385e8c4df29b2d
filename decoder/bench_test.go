package decoder

import (
	"fmt"
	"testing"

	"github.com/argmaxvae/argmaxvae/nn"
)

// Run with: go test -run XXX -bench . ./decoder/
// Paper shapes: batch 100, hidden 300, D = 784.
func BenchmarkVariants(b *testing.B) {
	defer nn.SetThreads(nn.Threads())
	for _, c := range []struct{ n, k, threads int }{{1, 10, 1}, {1, 10, 2}, {1, 50, 1}, {1, 50, 2}, {15, 2, 1}, {15, 2, 2}} {
		b.Run(fmt.Sprintf("N%d_K%d_threads%d", c.n, c.k, c.threads), func(b *testing.B) {
			nn.SetThreads(c.threads)
			r := newRand(30)
			d := New(c.n, c.k, 300, 784, r)
			x := binMat(r, 100, 784)
			z := randStates(r, 100, c.n, c.k)
			F := nn.NewMat(100, c.n*c.k)
			for b.Loop() {
				d.Variants(x, z, F)
			}
			b.ReportMetric(float64(100*(1+c.n*(c.k-1))), "rows")
		})
	}
}

// BenchmarkStep is the decoder's share of a training step for one
// categorical latent with K = 10: forward on the one-hot codes,
// log-likelihood and its gradient, backward.
func BenchmarkStep(b *testing.B) {
	defer nn.SetThreads(nn.Threads())
	for _, threads := range []int{1, 2} {
		b.Run(fmt.Sprintf("threads%d", threads), func(b *testing.B) {
			nn.SetThreads(threads)
			benchStep(b)
		})
	}
}

func benchStep(b *testing.B) {
	r := newRand(31)
	d := New(1, 10, 300, 784, r)
	x := binMat(r, 100, 784)
	z := randStates(r, 100, 1, 10)
	oh := nn.NewMat(100, 10)
	dl := nn.NewMat(100, 784)
	ll := make([]float32, 100)
	for b.Loop() {
		OneHot(z, 1, 10, oh)
		l := d.Forward(oh)
		nn.BernoulliLogLikAndGrad(x, l, nil, ll, dl)
		d.Backward(oh, dl, nn.Mat{})
	}
}
