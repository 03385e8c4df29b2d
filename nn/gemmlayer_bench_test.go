package nn

import (
	"fmt"
	"testing"
)

// BenchmarkGemmLayer times the three products of a 784→300 layer on a batch
// of 100 (forward, weight gradient, input gradient) at 1 and 2 threads.
func BenchmarkGemmLayer(b *testing.B) {
	defer SetThreads(Threads())
	r := newRand(24)
	x, w, y := randMat(r, 100, 784), randMat(r, 300, 784), randMat(r, 100, 300)
	gw, dx := NewMat(300, 784), NewMat(100, 784)
	cases := []struct {
		name string
		f    func()
	}{
		{"fwd_xWt", func() { Gemm(false, true, 1, x, w, 0, y) }},
		{"gradW_dyTx", func() { Gemm(true, false, 1, y, x, 1, gw) }},
		{"gradX_dyW", func() { Gemm(false, false, 1, y, w, 0, dx) }},
	}
	for _, threads := range []int{1, 2} {
		for _, c := range cases {
			b.Run(fmt.Sprintf("%s/threads%d", c.name, threads), func(b *testing.B) {
				SetThreads(threads)
				for b.Loop() {
					c.f()
				}
				b.ReportMetric(2*100*784*300*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}
