package nn

import (
	"fmt"
	"math"
	"testing"
)

// naiveGemm is the triple loop C = alpha·op(A)·op(B) + beta·C in float64.
func naiveGemm(ta, tb bool, alpha float32, a, b Mat, beta float32, c Mat) []float64 {
	at := func(m Mat, t bool, i, j int) float64 {
		if t {
			return float64(m.At(j, i))
		}
		return float64(m.At(i, j))
	}
	k := a.Cols
	if ta {
		k = a.Rows
	}
	out := make([]float64, c.Rows*c.Cols)
	for i := 0; i < c.Rows; i++ {
		for j := 0; j < c.Cols; j++ {
			s := 0.0
			for l := 0; l < k; l++ {
				s += at(a, ta, i, l) * at(b, tb, l, j)
			}
			out[i*c.Cols+j] = float64(alpha)*s + float64(beta)*float64(c.At(i, j))
		}
	}
	return out
}

func TestGemmMatchesNaive(t *testing.T) {
	r := newRand(1)
	shapes := [][3]int{{1, 1, 1}, {3, 5, 7}, {17, 9, 33}, {64, 70, 5}, {2, 3, 0}, {0, 4, 3}}
	for _, s := range shapes {
		m, n, k := s[0], s[1], s[2]
		for _, ta := range []bool{false, true} {
			for _, tb := range []bool{false, true} {
				for _, ab := range [][2]float32{{1, 0}, {0.5, 1}, {-2, 0.25}, {0, 3}} {
					name := fmt.Sprintf("m%d_n%d_k%d_tA%v_tB%v_a%v_b%v", m, n, k, ta, tb, ab[0], ab[1])
					a := randMat(r, m, k)
					if ta {
						a = randMat(r, k, m)
					}
					b := randMat(r, k, n)
					if tb {
						b = randMat(r, n, k)
					}
					c := randMat(r, m, n)
					if ab[1] == 0 { // beta = 0 must ignore NaNs in C
						for i := range c.Data {
							c.Data[i] = float32(math.NaN())
						}
					}
					want := naiveGemm(ta, tb, ab[0], a, b, ab[1], c)
					Gemm(ta, tb, ab[0], a, b, ab[1], c)
					for i, w := range want {
						if math.Abs(float64(c.Data[i])-w) > 1e-5*(1+math.Abs(w))*float64(max(k, 1)) {
							t.Fatalf("%s: C[%d] = %v, want %v", name, i, c.Data[i], w)
						}
					}
				}
			}
		}
	}
}

func TestGemmShapePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("Gemm with mismatched inner dimensions did not panic")
		}
	}()
	Gemm(false, false, 1, NewMat(2, 3), NewMat(4, 2), 0, NewMat(2, 2))
}

func TestGemmOnSlices(t *testing.T) {
	// Views from Slice (shared, longer backing arrays) must work.
	r := newRand(2)
	a, b := randMat(r, 10, 6), randMat(r, 6, 4)
	c := NewMat(10, 4)
	Gemm(false, false, 1, a, b, 0, c)
	part := NewMat(10, 4)
	Gemm(false, false, 1, a.Slice(3, 7), b, 0, part.Slice(3, 7))
	for i := 3 * 4; i < 7*4; i++ {
		if math.Abs(float64(part.Data[i]-c.Data[i])) > 1e-6 {
			t.Fatalf("slice product differs at %d: %v vs %v", i, part.Data[i], c.Data[i])
		}
	}
}
