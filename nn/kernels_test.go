package nn

import (
	"fmt"
	"math"
	"testing"
)

// TestLogLikKernelsMatchReference compares the build's log-likelihood
// kernels (vectorised C by default, with and without AVX2) against the
// float64 Go reference on awkward lengths, grouped rows, bias, extreme
// logits, fractional targets and in-place gradients.
func TestLogLikKernelsMatchReference(t *testing.T) {
	defer setKernelLevel(setKernelLevel(2))
	for lvl := 2; lvl >= 0; lvl-- {
		setKernelLevel(lvl)
		for _, n := range []int{1, 7, 8, 9, 15, 16, 17, 31, 784} {
			t.Run(fmt.Sprintf("%s_level%d_n%d", Kernels(), lvl, n), func(t *testing.T) {
				r := newRand(uint64(n))
				per := 3
				x := binMat(r, 4, n)
				x.Data[0] = 0.3
				l := randMat(r, 4*per, n)
				for i := range l.Data {
					l.Data[i] *= 12
				}
				l.Data[0], l.Data[len(l.Data)-1] = 95, -95
				bias := randMat(r, 1, n).Data
				out := make([]float32, 4*per)
				for _, b := range [][]float32{nil, bias} {
					BernoulliLogLikRows(x, per, l, b, out)
					for i := range out {
						want := BernoulliLogLikRow(x.Row(i/per), l.Row(i), b)
						if math.Abs(float64(out[i])-want) > 2e-6*(1+math.Abs(want)) {
							t.Fatalf("bias %v row %d: %v, want %v", b != nil, i, out[i], want)
						}
					}
				}
				xs := NewMat(4*per, n)
				for i := 0; i < xs.Rows; i++ {
					copy(xs.Row(i), x.Row(i/per))
				}
				scale := make([]float32, xs.Rows)
				for i := range scale {
					scale[i] = float32(i) - 2.5
				}
				g := NewMat(xs.Rows, n)
				ll := make([]float32, xs.Rows)
				BernoulliLogLikAndGrad(xs, l, scale, ll, g)
				for i := 0; i < xs.Rows; i++ {
					want := BernoulliLogLikRow(xs.Row(i), l.Row(i), nil)
					if math.Abs(float64(ll[i])-want) > 2e-6*(1+math.Abs(want)) {
						t.Fatalf("fused row %d: %v, want %v", i, ll[i], want)
					}
					for d := 0; d < n; d++ {
						lv := float64(l.At(i, d))
						wg := float64(scale[i]) * (float64(xs.At(i, d)) - 1/(1+math.Exp(-lv)))
						if math.Abs(float64(g.At(i, d))-wg) > 3e-7*(1+math.Abs(wg)) {
							t.Fatalf("grad [%d,%d] (l=%v): %v, want %v", i, d, lv, g.At(i, d), wg)
						}
					}
				}
				g2 := NewMat(xs.Rows, n)
				BernoulliLogLikGrad(xs, l, scale, g2)
				if !equalF32(g.Data, g2.Data) {
					t.Fatal("BernoulliLogLikGrad differs from the fused gradient")
				}
				BernoulliLogLikGrad(xs, l, scale, l) // in place
				if !equalF32(g.Data, l.Data) {
					t.Fatal("in-place gradient differs")
				}
			})
		}
	}
}

func TestKernelsNoAllocs(t *testing.T) {
	r := newRand(16)
	x, l := binMat(r, 10, 50), randMat(r, 30, 50)
	out, g := make([]float32, 30), NewMat(10, 50)
	step := func() {
		BernoulliLogLikRows(x, 3, l, x.Row(0), out)
		BernoulliLogLikAndGrad(x, l.Slice(0, 10), nil, out, g)
		BernoulliLogLik(x, l.Slice(0, 10), out)
		BernoulliLogLikGrad(x, l.Slice(0, 10), out, g)
	}
	if a := testing.AllocsPerRun(10, step); a != 0 {
		t.Fatalf("log-likelihood kernels allocate %v times", a)
	}
}

// TestReluKernelsMatchReference compares relu and reluMask with the Go
// loops bit for bit, NaN, ±0 and ±Inf included, with and without AVX2.
func TestReluKernelsMatchReference(t *testing.T) {
	defer setKernelLevel(setKernelLevel(2))
	r := newRand(17)
	special := []float32{0, float32(math.Copysign(0, -1)), float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), 1e-40, -1e-40}
	for lvl := 2; lvl >= 0; lvl-- {
		setKernelLevel(lvl)
		for _, n := range []int{0, 1, 7, 8, 9, 300, 3001} {
			h := randMat(r, 1, n).Data
			for i := range h {
				if r.IntN(5) == 0 {
					h[i] = special[r.IntN(len(special))]
				}
			}
			d := randMat(r, 1, n).Data
			got, want := append([]float32(nil), h...), append([]float32(nil), h...)
			relu(got)
			reluGo(want)
			gd, wd := append([]float32(nil), d...), append([]float32(nil), d...)
			reluMask(h, gd)
			reluMaskGo(h, wd)
			for i := range want {
				if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
					t.Fatalf("level %d n=%d: relu(%v) = %v, want %v", lvl, n, h[i], got[i], want[i])
				}
				if math.Float32bits(gd[i]) != math.Float32bits(wd[i]) {
					t.Fatalf("level %d n=%d: mask at h=%v gives %v, want %v", lvl, n, h[i], gd[i], wd[i])
				}
			}
		}
	}
}

// TestSoftplusRowsMatchesReference compares SoftplusRows with the float64
// SoftplusSum at every kernel level, with and without bias.
func TestSoftplusRowsMatchesReference(t *testing.T) {
	defer setKernelLevel(setKernelLevel(2))
	r := newRand(18)
	for lvl := 2; lvl >= 0; lvl-- {
		setKernelLevel(lvl)
		for _, n := range []int{0, 1, 9, 16, 17, 784} {
			l := randMat(r, 5, n)
			for i := range l.Data {
				l.Data[i] *= 20
			}
			bias := randMat(r, 1, n).Data
			out := make([]float32, 5)
			for _, b := range [][]float32{nil, bias} {
				SoftplusRows(l, b, out)
				for i := range out {
					want := SoftplusSum(l.Row(i), b)
					if math.Abs(float64(out[i])-want) > 2e-6*(1+math.Abs(want)) || math.Signbit(float64(out[i])) {
						t.Fatalf("level %d n=%d bias %v row %d: %v, want %v", lvl, n, b != nil, i, out[i], want)
					}
				}
			}
		}
	}
}

// TestGroupSumMatchesReference compares the grouped row sums with the Go
// loop bit for bit (the same additions in the same order).
func TestGroupSumMatchesReference(t *testing.T) {
	defer setKernelLevel(setKernelLevel(2))
	r := newRand(19)
	for lvl := 2; lvl >= 0; lvl-- {
		setKernelLevel(lvl)
		for _, cols := range []int{1, 7, 8, 9, 784} {
			src := randMat(r, 20, cols)
			of := make([]int32, 20)
			for i := range of {
				of[i] = int32(r.IntN(4))
			}
			got := randMat(r, 4, cols)
			want := Mat{Rows: 4, Cols: cols, Data: append([]float32(nil), got.Data...)}
			groupSum(src.Data, 20, cols, of, got.Data)
			groupSumGo(src.Data, 20, cols, of, want.Data)
			if !equalF32(got.Data, want.Data) {
				t.Fatalf("level %d cols %d: grouped sums differ", lvl, cols)
			}
		}
	}
}

// TestAddScaledSigmoid compares the kernel with float64 σ at every level,
// extreme logits included.
func TestAddScaledSigmoid(t *testing.T) {
	defer setKernelLevel(setKernelLevel(2))
	r := newRand(21)
	for lvl := 2; lvl >= 0; lvl-- {
		setKernelLevel(lvl)
		for _, n := range []int{1, 7, 16, 17, 784} {
			l := randMat(r, 3, n)
			for i := range l.Data {
				l.Data[i] *= 30
			}
			l.Data[0] = 95
			dst := randMat(r, 3, n)
			orig := append([]float32(nil), dst.Data...)
			scale := []float32{1, -2.5, 0}
			for _, sc := range [][]float32{nil, scale} {
				copy(dst.Data, orig)
				AddScaledSigmoid(dst, l, sc)
				for i := range dst.Data {
					s := 1.0
					if sc != nil {
						s = float64(sc[i/n])
					}
					want := float64(orig[i]) + s/(1+math.Exp(-float64(l.Data[i])))
					if math.Abs(float64(dst.Data[i])-want) > 3e-7*(1+math.Abs(want)) {
						t.Fatalf("level %d n=%d scale %v [%d] (l=%v): %v, want %v", lvl, n, sc, i, l.Data[i], dst.Data[i], want)
					}
				}
			}
		}
	}
}

// TestLogLikKernelsMatchGo compares the build's log-likelihood and
// σ kernels with the Go kernels of the pure-Go build (llRowsGo,
// llGradRowsGo, sigmoidAddGo) at every kernel level the CPU runs, so that
// a run means the same in both builds. They use different approximations
// of softplus and σ (a polynomial in float32 against a float64 table), so
// they agree within the sum of their tolerances against the float64
// reference, checked in TestLogLikKernelsMatchReference and
// TestAddScaledSigmoid: 4e-6 relative on row sums, 6e-7 on gradients and σ.
func TestLogLikKernelsMatchGo(t *testing.T) {
	defer setKernelLevel(setKernelLevel(2))
	near := func(a, b float32, tol float64) bool {
		return math.Abs(float64(a)-float64(b)) <= tol*(1+math.Abs(float64(b)))
	}
	for lvl := 2; lvl >= 0; lvl-- {
		setKernelLevel(lvl)
		for _, n := range []int{1, 7, 8, 9, 15, 16, 17, 33, 784} {
			name := fmt.Sprintf("%s level %d n=%d", Kernels(), lvl, n)
			r := newRand(uint64(100 + n))
			per := 2
			x := binMat(r, 3, n)
			x.Data[0] = 0.3
			l := randMat(r, 3*per, n)
			for i := range l.Data {
				l.Data[i] *= 15
			}
			l.Data[0], l.Data[len(l.Data)-1] = 95, -95
			bias := randMat(r, 1, n).Data
			got, want := make([]float32, l.Rows), make([]float32, l.Rows)
			for _, b := range [][]float32{nil, bias} {
				llRows(x, per, l, b, got)
				llRowsGo(x, per, l, b, want)
				for i := range want {
					if !near(got[i], want[i], 4e-6) {
						t.Fatalf("%s: llRows bias %v row %d: %v, Go %v", name, b != nil, i, got[i], want[i])
					}
				}
			}
			xs := NewMat(l.Rows, n)
			for i := 0; i < xs.Rows; i++ {
				copy(xs.Row(i), x.Row(i/per))
			}
			scale := []float32{1, -2, 0.5, 3, -0.25, 0}
			for _, sc := range [][]float32{nil, scale} {
				for _, withOut := range []bool{false, true} {
					gd, wd := NewMat(l.Rows, n), NewMat(l.Rows, n)
					var gotOut, wantOut []float32
					if withOut {
						gotOut, wantOut = make([]float32, l.Rows), make([]float32, l.Rows)
					}
					llGradRows(xs, l, sc, gotOut, gd)
					llGradRowsGo(xs, l, sc, wantOut, wd)
					for i := range wd.Data {
						if !near(gd.Data[i], wd.Data[i], 6e-7) {
							t.Fatalf("%s: llGradRows scale %v [%d] (l=%v): %v, Go %v", name, sc != nil, i, l.Data[i], gd.Data[i], wd.Data[i])
						}
					}
					for i := range wantOut {
						if !near(gotOut[i], wantOut[i], 4e-6) {
							t.Fatalf("%s: llGradRows row %d: %v, Go %v", name, i, gotOut[i], wantOut[i])
						}
					}
				}
				dg, dw := randMat(r, l.Rows, n), NewMat(l.Rows, n)
				copy(dw.Data, dg.Data)
				sigmoidAdd(l, sc, dg)
				sigmoidAddGo(l, sc, dw)
				for i := range dw.Data {
					if !near(dg.Data[i], dw.Data[i], 6e-7) {
						t.Fatalf("%s: sigmoidAdd scale %v [%d] (l=%v): %v, Go %v", name, sc != nil, i, l.Data[i], dg.Data[i], dw.Data[i])
					}
				}
			}
		}
	}
}
