package nn

import (
	"math"
	"slices"
	"testing"
)

// TestWorkersBitIdentical checks that splitting products and
// log-likelihood passes across goroutines changes no bit of the results:
// training with 2 threads must reproduce the 1-thread run.
func TestWorkersBitIdentical(t *testing.T) {
	defer setWorkers(numWorkers())
	checkGemmWorkers(t, gemmSplitExact())
	r := newRand(40)
	type res struct{ c, out, dl []float32 }
	x, l := binMat(r, 100, 784), randMat(r, 1600, 784)
	for i := range l.Data {
		l.Data[i] *= 8
	}
	bias := randMat(r, 1, 784).Data
	xl := binMat(r, 1600, 784)
	scale := randMat(r, 1600, 1).Data
	run := func(w int) res {
		setWorkers(w)
		out := make([]float32, 1600)
		BernoulliLogLikRows(x, 16, l, bias, out)
		sp := make([]float32, 1600)
		SoftplusRows(l, nil, sp)
		ll, dl := make([]float32, 1600), NewMat(1600, 784)
		BernoulliLogLikAndGrad(xl, l, scale, ll, dl)
		return res{c: out, out: append(sp, ll...), dl: dl.Data}
	}
	one, two := run(1), run(2)
	for i, pair := range [][2][]float32{{one.c, two.c}, {one.out, two.out}, {one.dl, two.dl}} {
		if !slices.Equal(pair[0], pair[1]) {
			t.Errorf("log-likelihood kernels, output %d: results differ between 1 and 2 workers", i)
		}
		for _, v := range pair[0] {
			if math.IsNaN(float64(v)) {
				t.Fatalf("output %d has NaN", i)
			}
		}
	}
}

// TestAdamWorkersBitIdentical checks that splitting Adam's update of a
// large tensor across goroutines changes no bit of the parameters.
func TestAdamWorkersBitIdentical(t *testing.T) {
	defer setWorkers(numWorkers())
	run := func(w int) []float32 {
		setWorkers(w)
		r := newRand(41)
		m := must(NewMLP(784, 300, 784, r))
		a := must(NewAdam(m.Params(), 1e-3))
		for step := 0; step < 3; step++ {
			for _, p := range m.Params() {
				for i := range p.G {
					p.G[i] = float32(r.NormFloat64())
				}
			}
			a.Step()
		}
		var all []float32
		for _, p := range m.Params() {
			all = append(all, p.W...)
		}
		return all
	}
	if !slices.Equal(run(1), run(2)) {
		t.Error("Adam: parameters differ between 1 and 2 workers")
	}
}

// checkGemmWorkers checks that Gemm gives the same bits with 1, 2 and 3
// workers for the backend in use (exact), or, for OpenBLAS, whose kernels
// sum in an order that depends on the band's rows, the same bits for the
// same worker count and values equal up to rounding.
func checkGemmWorkers(t *testing.T, exact bool) {
	t.Helper()
	defer setWorkers(numWorkers())
	r := newRand(42)
	shapes := []struct{ m, n, k int }{{1600, 784, 300}, {100, 300, 784}, {7, 784, 300}, {300, 784, 100}, {100, 30, 300}, {1000, 2048, 136}}
	for _, s := range shapes {
		for _, tr := range [][2]bool{{false, false}, {true, false}, {false, true}} {
			ar, ac := s.m, s.k
			if tr[0] {
				ar, ac = s.k, s.m
			}
			br, bc := s.k, s.n
			if tr[1] {
				br, bc = s.n, s.k
			}
			a, b := randMat(r, ar, ac), randMat(r, br, bc)
			c0 := randMat(r, s.m, s.n)
			run := func(w int) []float32 {
				setWorkers(w)
				c := NewMat(s.m, s.n)
				copy(c.Data, c0.Data)
				Gemm(tr[0], tr[1], 0.5, a, b, 1, c)
				return c.Data
			}
			one, two, three := run(1), run(2), run(3)
			if !exact {
				// Reproducible for a given worker count, and equal to
				// one call up to float32 rounding.
				if !slices.Equal(two, run(2)) || !slices.Equal(three, run(3)) {
					t.Errorf("Gemm %d×%d×%d trans %v (%s): two runs with the same workers differ", s.m, s.n, s.k, tr, GemmKernels())
				}
				for i := range one {
					if d := math.Abs(float64(one[i] - two[i])); d > 1e-4*(1+math.Abs(float64(one[i]))) || math.Abs(float64(one[i]-three[i])) > 1e-4*(1+math.Abs(float64(one[i]))) {
						t.Fatalf("Gemm %d×%d×%d trans %v (%s): element %d: %v (1 worker), %v, %v", s.m, s.n, s.k, tr, GemmKernels(), i, one[i], two[i], three[i])
					}
				}
				continue
			}
			if !slices.Equal(one, two) || !slices.Equal(one, three) {
				t.Errorf("Gemm %d×%d×%d trans %v (%s): results differ between 1, 2 and 3 workers", s.m, s.n, s.k, tr, GemmKernels())
			}
		}
	}
}
