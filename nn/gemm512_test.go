//go:build cgo && !noopenblas

package nn

import (
	"fmt"
	"math"
	"testing"
)

// TestGemm512MatchesNaive covers the AVX-512 tiles' edges: every row
// remainder of the 6-row and 4-row tiles, 1 to 4 column vectors with
// partial last vectors, k below, at and above a vector, and a sentinel
// after C that must stay untouched.
func TestGemm512MatchesNaive(t *testing.T) {
	if !use512 {
		t.Skip("no AVX-512F on this CPU")
	}
	r := newRand(60)
	var shapes [][3]int
	for _, m := range []int{1, 2, 3, 4, 5, 6, 7, 11, 13} {
		for _, n := range []int{1, 3, 4, 5, 16, 17, 33, 64, 65, 100} {
			for _, k := range []int{1, 15, 16, 17, 40} {
				shapes = append(shapes, [3]int{m, n, k})
			}
		}
	}
	// Shapes for which A·Bᵀ goes through a transposed copy (of B, or of A
	// and the result), with every kind of alpha and beta.
	big := [][3]int{{100, 784, 300}, {10, 300, 784}, {784, 300, 10}, {30, 100, 40}, {48, 200, 33}, {40, 784, 300}}
	for _, b := range big {
		for i := 0; i < 3; i++ {
			shapes = append(shapes, [3]int{b[0], b[1], b[2] + 16*i})
		}
	}
	defer func() { ntViaAT = true }()
	for _, s := range shapes {
		m, n, k := s[0], s[1], s[2]
		for _, tr := range [][3]bool{{false, false}, {true, false}, {false, true, true}, {false, true, false}} {
			ta, tb := tr[0], tr[1]
			ntViaAT = tr[2]
			ab := [2]float32{1, 0}
			if (m+n+k)%3 == 1 {
				ab = [2]float32{-0.5, 1}
			} else if (m+n+k)%3 == 2 {
				ab = [2]float32{2, 0.25}
			}
			a := randMat(r, m, k)
			if ta {
				a = randMat(r, k, m)
			}
			b := randMat(r, k, n)
			if tb {
				b = randMat(r, n, k)
			}
			c := randMat(r, m, n)
			if ab[1] == 0 {
				for i := range c.Data {
					c.Data[i] = float32(math.NaN())
				}
			}
			want := naiveGemm(ta, tb, ab[0], a, b, ab[1], c)
			c.Data = append(c.Data, 777)[:m*n]
			Gemm(ta, tb, ab[0], a, b, ab[1], c)
			name := fmt.Sprintf("m%d n%d k%d tA %v tB %v (via Aᵀ %v) alpha %v beta %v", m, n, k, ta, tb, ntViaAT, ab[0], ab[1])
			if c.Data[:m*n+1][m*n] != 777 {
				t.Fatalf("%s: wrote past C", name)
			}
			for i, w := range want {
				if math.Abs(float64(c.Data[i])-w) > 2e-6*(1+math.Abs(w))*math.Sqrt(float64(k)) {
					t.Fatalf("%s: C[%d] = %v, want %v", name, i, c.Data[i], w)
				}
			}
		}
	}
}
