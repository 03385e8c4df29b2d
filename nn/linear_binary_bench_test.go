package nn

import (
	"fmt"
	"testing"
)

// BenchmarkLinearBinary times a forward and weight-gradient pass of the
// encoder's first layer (784→300, batch 100) on 0/1 inputs of several
// densities: the dense products (1 OpenBLAS thread) against the sparse
// path (Set + ForwardBinary + BackwardBinary). Run with:
//
//	go test -run XXX -bench LinearBinary ./nn/
func BenchmarkLinearBinary(b *testing.B) {
	defer SetThreads(Threads())
	SetThreads(1)
	r := newRand(47)
	l := must(NewLinear(784, 300, r))
	y, dy := NewMat(100, 300), randMat(r, 100, 300)
	for _, p := range []float64{0.05, 0.13, 0.25, 0.35, 0.45, 0.6} {
		x := sparseBin(r, 100, 784, p)
		b.Run(fmt.Sprintf("dense/p%.2f", p), func(b *testing.B) {
			c0 := cpuTime()
			for b.Loop() {
				l.Forward(x, y)
				l.Backward(x, dy, Mat{})
			}
			b.ReportMetric(float64((cpuTime()-c0).Microseconds())/float64(b.N), "cpu-µs/op")
		})
		b.Run(fmt.Sprintf("sparse/p%.2f", p), func(b *testing.B) {
			var s BinaryRows
			c0 := cpuTime()
			for b.Loop() {
				if err := s.Set(x); err != nil {
					b.Fatal(err)
				}
				l.ForwardBinary(&s, y)
				l.BackwardBinary(&s, dy)
			}
			b.ReportMetric(float64((cpuTime()-c0).Microseconds())/float64(b.N), "cpu-µs/op")
		})
	}
	wt := make([]float32, 784*300)
	b.Run("parts/transpose", func(b *testing.B) {
		for b.Loop() {
			transpose(l.W, l.Out, l.In, l.In, wt, l.Out, false)
		}
	})
	b.Run("parts/transpose-add", func(b *testing.B) {
		for b.Loop() {
			transpose(wt, l.In, l.Out, l.Out, l.GW, l.In, true)
		}
	})
	x := sparseBin(r, 100, 784, 0.13)
	var s BinaryRows
	b.Run("parts/set", func(b *testing.B) {
		for b.Loop() {
			_ = s.Set(x)
		}
	})
	b.Run("parts/bycolumn", func(b *testing.B) {
		for b.Loop() {
			s.colsOK = false
			s.byColumn()
		}
	})
}
