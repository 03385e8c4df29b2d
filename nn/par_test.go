package nn

import (
	"fmt"
	"testing"
)

// withThreads runs f with SetThreads(n) and restores the previous count.
func withThreads(n int, f func()) {
	defer SetThreads(Threads())
	SetThreads(n)
	f()
}

// TestSplitKernelsMatchOneThread runs the kernels that split their work
// over two threads (products, log-likelihoods, Adam, the sparse layer) with
// one and with two threads and requires bitwise equal results: each output
// is computed by the same operations either way.
func TestSplitKernelsMatchOneThread(t *testing.T) {
	r := newRand(70)
	type run func() []float32
	cases := map[string]run{}
	for _, sh := range [][3]int{{100, 784, 300}, {100, 300, 784}, {12, 4000, 300}, {40, 784, 300}, {784, 300, 100}, {50, 64, 3000}} {
		m, n, k := sh[0], sh[1], sh[2]
		a, at, b, bt := randMat(r, m, k), randMat(r, k, m), randMat(r, k, n), randMat(r, n, k)
		c0 := randMat(r, m, n)
		for _, tr := range [][2]bool{{false, false}, {true, false}, {false, true}} {
			tr := tr
			cases[fmt.Sprintf("gemm %v tA %v tB %v", sh, tr[0], tr[1])] = func() []float32 {
				c := Mat{Rows: m, Cols: n, Data: append([]float32(nil), c0.Data...)}
				aa, bb := a, b
				if tr[0] {
					aa = at
				}
				if tr[1] {
					bb = bt
				}
				Gemm(tr[0], tr[1], 0.5, aa, bb, 1, c)
				return c.Data
			}
		}
	}
	x, lg := binMat(r, 120, 784), randMat(r, 360, 784)
	cases["loglik rows per 3"] = func() []float32 {
		out := make([]float32, 360)
		BernoulliLogLikRows(x, 3, lg, x.Row(0), out)
		return out
	}
	cases["loglik and grad"] = func() []float32 {
		out, g := make([]float32, 120), NewMat(120, 784)
		scale := randMat(newRand(71), 1, 120).Data
		BernoulliLogLikAndGrad(x, lg.Slice(0, 120), scale, out, g)
		return append(out, g.Data...)
	}
	cases["adam"] = func() []float32 {
		m := NewMLP(784, 300, 784, newRand(72))
		for _, p := range m.Params() {
			copy(p.G, randMat(newRand(73), 1, len(p.G)).Data)
		}
		a := NewAdam(m.Params(), 1e-3)
		a.Step()
		a.Step()
		var all []float32
		for _, p := range m.Params() {
			all = append(all, p.W...)
		}
		return all
	}
	cases["sparse layer"] = func() []float32 {
		l := NewLinear(784, 300, newRand(74))
		xs := sparseBin(newRand(75), 100, 784, 0.13)
		var s BinaryRows
		if err := s.Set(xs); err != nil {
			t.Fatal(err)
		}
		y := NewMat(100, 300)
		l.ForwardBinary(&s, y)
		l.BackwardBinary(&s, randMat(newRand(76), 100, 300))
		return append(append(y.Data, l.GW...), l.GB...)
	}
	for name, f := range cases {
		var one, two []float32
		withThreads(1, func() { one = f() })
		runs, threads := helper.runs, 0
		withThreads(2, func() { two, threads = f(), Threads() })
		if threads >= 2 && helper.runs == runs { // the gonum backend has no thread setting
			t.Errorf("%s: nothing was split with two threads", name)
		}
		if !equalF32(one, two) {
			t.Errorf("%s: results with two threads differ from one thread", name)
		}
	}
}
