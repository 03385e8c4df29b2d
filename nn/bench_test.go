package nn

import (
	"fmt"
	"testing"
)

// Run with: go test -run XXX -bench Gemm ./nn/  (add -tags noopenblas for
// the pure-Go backend). Reports GFLOP/s = 2·m·n·k / time.
func BenchmarkGemm(b *testing.B) {
	shapes := []struct {
		name    string
		m, n, k int
	}{
		{"100x784x300", 100, 300, 784},   // encoder layer 1: (100×784)·(784×300)
		{"100x300x784", 100, 784, 300},   // decoder layer 2: (100×300)·(300×784)
		{"1500x300x784", 1500, 784, 300}, // decoder variants: (1500×300)·(300×784)
	}
	r := newRand(20)
	defer SetThreads(Threads())
	for _, threads := range []int{1, 2} {
		for _, s := range shapes {
			b.Run(fmt.Sprintf("%s/%s/threads%d", Backend(), s.name, threads), func(b *testing.B) {
				SetThreads(threads)
				a, w, c := randMat(r, s.m, s.k), randMat(r, s.k, s.n), NewMat(s.m, s.n)
				Gemm(false, false, 1, a, w, 0, c)
				c0 := cpuTime()
				for b.Loop() {
					Gemm(false, false, 1, a, w, 0, c)
				}
				flop := 2 * float64(s.m*s.n*s.k) * float64(b.N)
				b.ReportMetric(flop/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				b.ReportMetric(flop/(cpuTime()-c0).Seconds()/1e9, "GFLOP/cpu-s")
			})
		}
	}
}

// BenchmarkMLPStep times one forward and backward pass of the paper's
// encoder shape 784→300→10 on a batch of 100.
func BenchmarkMLPStep(b *testing.B) {
	defer SetThreads(Threads())
	r := newRand(21)
	m := must(NewMLP(784, 300, 10, r))
	x, dout := binMat(r, 100, 784), randMat(r, 100, 10)
	for _, threads := range []int{1, 2} {
		b.Run(fmt.Sprintf("threads%d", threads), func(b *testing.B) {
			SetThreads(threads)
			for b.Loop() {
				m.Forward(x)
				m.Backward(x, dout, Mat{})
			}
		})
	}
}

func BenchmarkAdamStep(b *testing.B) {
	r := newRand(22)
	m := must(NewMLP(784, 300, 784, r))
	a := must(NewAdam(m.Params(), 1e-3))
	for b.Loop() {
		a.Step()
	}
	b.ReportMetric(float64(NumParams(m.Params())), "params")
}

func BenchmarkBernoulliLogLikAndGrad(b *testing.B) {
	r := newRand(23)
	x, l := binMat(r, 100, 784), randMat(r, 100, 784)
	for i := range l.Data {
		l.Data[i] *= 8
	}
	out, dl := make([]float32, 100), NewMat(100, 784)
	for b.Loop() {
		BernoulliLogLikAndGrad(x, l, nil, out, dl)
	}
}

func BenchmarkBernoulliLogLik(b *testing.B) {
	r := newRand(23)
	x, l := binMat(r, 100, 784), randMat(r, 100, 784)
	for i := range l.Data {
		l.Data[i] *= 8
	}
	out := make([]float32, 100)
	for b.Loop() {
		BernoulliLogLik(x, l, out)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(l.Data)), "ns/elem")
}
