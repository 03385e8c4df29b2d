package decoder

import (
	"fmt"
	"testing"
	"time"

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
			d := must(New(c.n, c.k, 300, 784, r))
			x := binMat(r, 100, 784)
			z := randStates(r, 100, c.n, c.k)
			F := nn.NewMat(100, c.n*c.k)
			for b.Loop() {
				noErr(d.Variants(x, z, F))
			}
			rows := 100 * (1 + c.n*(c.k-1))
			if c.n == 1 {
				rows = c.k // the K logit rows, then a (100×784)·(784×K) product
			}
			b.ReportMetric(float64(rows), "rows")
			// The products' floating-point work per second: for N > 1,
			// rows·hidden·D multiply-adds with W2 (plus the small first
			// layer); compare with BenchmarkGemm in package nn.
			flop := 2 * float64(rows) * 300 * 784
			if c.n == 1 {
				flop += 2 * 100 * 784 * float64(c.k)
			}
			b.ReportMetric(flop*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
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
	d := must(New(1, 10, 300, 784, r))
	x := binMat(r, 100, 784)
	z := randStates(r, 100, 1, 10)
	oh := nn.NewMat(100, 10)
	dl := nn.NewMat(100, 784)
	ll := make([]float32, 100)
	for b.Loop() {
		noErr(OneHot(z, 1, 10, oh))
		l := mustMat(d.Forward(oh))
		nn.BernoulliLogLikAndGrad(x, l, nil, ll, dl)
		noErr(d.Backward(oh, dl, nn.Mat{}))
	}
}

// BenchmarkVariantsVsGemm times the structured f̃ pass (N = 15, K = 2,
// batch 100: 1,600 decoder rows) and the bare product of the same shape
// ((1600×300)·(300×784), what the pass multiplies by W2) alternately in one
// loop, so that both see the same machine load, and reports each one's
// GFLOP/s (2·1600·300·784 per call) and the pass's share of the product's
// rate ("of-gemm"), over all calls and over each one's fastest call
// ("best-": on a loaded machine, the closest to its unloaded speed). Run
// with:
//
//	go test -run XXX -bench VariantsVsGemm -benchtime 200x ./decoder/
func BenchmarkVariantsVsGemm(b *testing.B) {
	defer nn.SetThreads(nn.Threads())
	for _, threads := range []int{1, 2} {
		b.Run(fmt.Sprintf("threads%d", threads), func(b *testing.B) {
			nn.SetThreads(threads)
			r := newRand(32)
			d := must(New(15, 2, 300, 784, r))
			x := binMat(r, 100, 784)
			z := randStates(r, 100, 15, 2)
			F := nn.NewMat(100, 30)
			h, w, c := nn.NewMat(1600, 300), nn.NewMat(300, 784), nn.NewMat(1600, 784)
			for i := range h.Data {
				h.Data[i] = float32(r.Float64())
			}
			copy(w.Data, d.Net.L2.W)
			noErr(d.Variants(x, z, F))
			nn.Gemm(false, false, 1, h, w, 0, c)
			var tv, tg time.Duration
			bv, bg := time.Hour, time.Hour // fastest calls: the least disturbed by other load
			for b.Loop() {
				t0 := time.Now()
				noErr(d.Variants(x, z, F))
				t1 := time.Now()
				nn.Gemm(false, false, 1, h, w, 0, c)
				dv, dg := t1.Sub(t0), time.Since(t1)
				tv, tg = tv+dv, tg+dg
				bv, bg = min(bv, dv), min(bg, dg)
			}
			flop := 2 * 1600 * 300 * 784.0
			n := float64(b.N)
			b.ReportMetric(flop*n/tv.Seconds()/1e9, "variants-GFLOP/s")
			b.ReportMetric(flop*n/tg.Seconds()/1e9, "gemm-GFLOP/s")
			b.ReportMetric(tg.Seconds()/tv.Seconds(), "of-gemm")
			b.ReportMetric(flop/bv.Seconds()/1e9, "best-variants-GFLOP/s")
			b.ReportMetric(flop/bg.Seconds()/1e9, "best-gemm-GFLOP/s")
			b.ReportMetric(bg.Seconds()/bv.Seconds(), "best-of-gemm")
			b.ReportMetric(0, "ns/op")
		})
	}
}
