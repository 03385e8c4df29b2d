package nn

import (
	"fmt"
	"math"
	"sync"
	"testing"
)

// gemmSerial computes Gemm's product for every transposition, several
// calls running at once on row bands of one product; with the AVX-512
// tiles the bands equal Gemm's rows bit for bit (the routes agree), else to
// rounding.
func TestGemmSerialMatchesGemm(t *testing.T) {
	defer SetThreads(Threads())
	SetThreads(2)
	r := newRand(91)
	for _, s := range []struct{ m, n, k int }{{1, 1, 1}, {7, 5, 3}, {40, 784, 300}, {100, 30, 17}, {257, 64, 16}} {
		for _, tr := range [][2]bool{{false, false}, {true, false}, {false, true}} {
			t.Run(fmt.Sprintf("%dx%dx%d/tA%v/tB%v", s.m, s.n, s.k, tr[0], tr[1]), func(t *testing.T) {
				a := randMat(r, s.m, s.k)
				if tr[0] {
					a = randMat(r, s.k, s.m)
				}
				b := randMat(r, s.k, s.n)
				if tr[1] {
					b = randMat(r, s.n, s.k)
				}
				want, got := NewMat(s.m, s.n), NewMat(s.m, s.n)
				Gemm(tr[0], tr[1], 1.5, a, b, 0, want)
				// Bands of rows, three at once; bands of op(A) = Aᵀ are
				// columns of A: one call. With a transposed B the route
				// depends on the row count, so the bands may take another.
				band := (s.m + 2) / 3
				if tr[0] {
					band = s.m
				}
				var wg sync.WaitGroup
				for lo := 0; lo < s.m; lo += band {
					hi := min(s.m, lo+band)
					wg.Go(func() {
						if tr[0] {
							gemmSerial(true, tr[1], 1.5, a, b, 0, got)
							return
						}
						gemmSerial(false, tr[1], 1.5, a.Slice(lo, hi), b, 0, got.Slice(lo, hi))
					})
				}
				wg.Wait()
				last := s.m - (s.m-1)/band*band
				exact := serialExact(s.m, band, s.n, s.k, tr[1]) && serialExact(s.m, last, s.n, s.k, tr[1])
				for i, w := range want.Data {
					g := got.Data[i]
					if exact && g != w {
						t.Fatalf("element %d: %v, Gemm's %v (AVX-512 tiles: want equal bits)", i, g, w)
					}
					if math.Abs(float64(g-w)) > 1e-4*(1+math.Abs(float64(w))) {
						t.Fatalf("element %d: %v, Gemm's %v", i, g, w)
					}
				}
			})
		}
	}
}

// A pair scores like the same row of BernoulliLogLikRows, bit for bit, at
// every kernel level; a bad index panics.
func TestBernoulliLogLikPairs(t *testing.T) {
	defer setKernelLevel(setKernelLevel(2))
	r := newRand(92)
	x, l := binMat(r, 5, 37), randMat(r, 9, 37)
	for i := range l.Data {
		l.Data[i] *= 6
	}
	bias := randMat(r, 1, 37).Data
	for level := 0; level <= 2; level++ {
		setKernelLevel(level)
		rows := make([]float32, 9)
		xs := NewMat(9, 37)
		xi, li := make([]int32, 9), make([]int32, 9)
		for p := range 9 {
			xi[p], li[p] = int32(r.IntN(5)), int32(8-p)
			copy(xs.Row(int(li[p])), x.Row(int(xi[p])))
		}
		BernoulliLogLikRows(xs, 1, l, bias, rows)
		got := make([]float32, 9)
		BernoulliLogLikPairs(x, xi, l, li, bias, got)
		for p := range got {
			if got[p] != rows[li[p]] {
				t.Fatalf("level %d pair %d: %v, row's %v", level, p, got[p], rows[li[p]])
			}
		}
	}
	for _, bad := range [][2]int32{{5, 0}, {0, 9}, {-1, 0}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("pair %v: no panic", bad)
				}
			}()
			BernoulliLogLikPairs(x, []int32{bad[0]}, l, []int32{bad[1]}, nil, make([]float32, 1))
		}()
	}
}

func TestTranspose(t *testing.T) {
	r := newRand(93)
	for _, s := range [][2]int{{1, 1}, {3, 70}, {65, 33}} {
		a := randMat(r, s[0], s[1])
		at := NewMat(s[1], s[0])
		Transpose(at, a)
		for i := 0; i < s[0]; i++ {
			for j := 0; j < s[1]; j++ {
				if at.At(j, i) != a.At(i, j) {
					t.Fatalf("%v: (%d,%d) differs", s, i, j)
				}
			}
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("wrong shape: no panic")
		}
	}()
	Transpose(NewMat(2, 2), NewMat(2, 3))
}
