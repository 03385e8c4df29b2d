package nn

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// bf16Bits rounds x to bfloat16, round to nearest even, denormals to zero
// (the conversion VCVTNE2PS2BF16 performs), and returns its 16 bits.
func bf16Bits(x float32) uint32 {
	u := math.Float32bits(x)
	if u&0x7f800000 == 0 { // zero or denormal: signed zero
		return (u & 0x80000000) >> 16
	}
	if u&0x7fffffff > 0x7f800000 { // NaN: quiet
		return (u >> 16) | 0x40
	}
	return (u + 0x7fff + (u>>16)&1) >> 16
}

// bf16Float is the float32 value of bfloat16 bits.
func bf16Float(b uint32) float32 { return math.Float32frombits(b << 16) }

// bf16Ref is the reference of ForwardWeights.Product in bfloat16: C = A·Wᵀ
// with both operands rounded to bfloat16 and each pair of products added
// to a float32 sum, the odd-indexed one first (the order VDPBF16PS
// specifies). A product of two bfloat16 values is exact in float32, so
// the sum is rounded once per product.
func bf16Ref(a, w Mat) Mat {
	c := NewMat(a.Rows, w.Rows)
	k := a.Cols
	for i := 0; i < a.Rows; i++ {
		for j := 0; j < w.Rows; j++ {
			var acc float32
			for p := 0; p < k; p += 2 {
				if p+1 < k {
					acc += bf16Float(bf16Bits(a.At(i, p+1))) * bf16Float(bf16Bits(w.At(j, p+1)))
				}
				acc += bf16Float(bf16Bits(a.At(i, p))) * bf16Float(bf16Bits(w.At(j, p)))
			}
			c.Set(i, j, acc)
		}
	}
	return c
}

// withBF16 runs f with the bfloat16 products switched on, skipping the
// test when this CPU or build has none.
func withBF16(t *testing.T, f func()) {
	t.Helper()
	old := SetBF16(true)
	defer SetBF16(old)
	if BF16() == "" {
		t.Skip("no bfloat16 kernel on this CPU or build")
	}
	f()
}

func normMat(r *rand.Rand, rows, cols int, scale float64) Mat {
	m := NewMat(rows, cols)
	for i := range m.Data {
		m.Data[i] = float32(r.NormFloat64() * scale)
	}
	return m
}

func TestBF16PackRounding(t *testing.T) {
	withBF16(t, func() {
		r := rand.New(rand.NewPCG(1, 2))
		vals := []float32{0, float32(math.Copysign(0, -1)), 1, -1, 1.00390625, 1.01171875, 1.0078125,
			math.MaxFloat32, -math.MaxFloat32, 1e-40, -1e-40, float32(math.Inf(1)), float32(math.Inf(-1)),
			math.Float32frombits(0x3f808000), math.Float32frombits(0x3f818000), math.Float32frombits(0x3f80ffff)}
		for len(vals) < 77 {
			vals = append(vals, float32(r.NormFloat64()*math.Pow(10, float64(r.IntN(20)-10))))
		}
		k := len(vals)
		kp := (k + 1) / 2
		out := make([]uint32, kp)
		bf16PackRows(vals, 1, k, k, out, kp)
		for p, x := range vals {
			got := out[p/2] >> (16 * uint(p%2)) & 0xffff
			if want := bf16Bits(x); got != want {
				t.Errorf("value %d (%g, %#08x): bf16 %#04x, want %#04x", p, x, math.Float32bits(x), got, want)
			}
		}
		if out[kp-1]>>16 != 0 {
			t.Errorf("odd k: padding half %#04x, want 0", out[kp-1]>>16)
		}
	})
}

// TestBF16ProductExact: the kernel's C is the reference bfloat16 product
// bit for bit, for shapes that exercise every tile edge (rows mod 6,
// columns mod 64 and mod 16, odd k).
func TestBF16ProductExact(t *testing.T) {
	withBF16(t, func() {
		r := rand.New(rand.NewPCG(3, 4))
		for _, m := range []int{1, 5, 6, 7, 13, 40} {
			for _, n := range []int{1, 15, 16, 17, 64, 65, 130, 784} {
				for _, k := range []int{1, 2, 3, 31, 32, 33, 300} {
					a, w := normMat(r, m, k, 1), normMat(r, n, k, 0.1)
					var f ForwardWeights
					f.Set(w)
					if f.Kernel() == "" {
						t.Fatal("Set did not take the bfloat16 path")
					}
					c := NewMat(m, n)
					for i := range c.Data {
						c.Data[i] = float32(math.NaN())
					}
					f.Product(a, c)
					want := bf16Ref(a, w)
					if f.Kernel() == amxKernel {
						// The tiles sum the same exact products in
						// another order.
						checkClose(t, a, w, c, want, 1e-5)
						continue
					}
					for i, v := range c.Data {
						if math.Float32bits(v) != math.Float32bits(want.Data[i]) {
							t.Fatalf("m=%d n=%d k=%d: C[%d,%d] = %g, reference %g", m, n, k, i/n, i%n, v, want.Data[i])
						}
					}
				}
			}
		}
	})
}

// checkClose fails unless every element of c is within tol·Σ_p|a·w| of want.
func checkClose(t *testing.T, a, w, c, want Mat, tol float64) {
	t.Helper()
	for i := 0; i < c.Rows; i++ {
		for j := 0; j < c.Cols; j++ {
			var mag float64
			for p := 0; p < a.Cols; p++ {
				mag += math.Abs(float64(a.At(i, p)) * float64(w.At(j, p)))
			}
			if d := math.Abs(float64(c.At(i, j)) - float64(want.At(i, j))); d > tol*mag {
				t.Fatalf("C[%d,%d] = %g, want %g within %g·%g", i, j, c.At(i, j), want.At(i, j), tol, mag)
			}
		}
	}
}

// TestBF16ProductSplit: rows computed in separate calls equal the rows of
// one call, bit for bit, so the worker count does not change results.
func TestBF16ProductSplit(t *testing.T) {
	withBF16(t, func() {
		r := rand.New(rand.NewPCG(5, 6))
		a, w := normMat(r, 37, 300, 1), normMat(r, 784, 300, 0.05)
		var f ForwardWeights
		f.Set(w)
		all := NewMat(37, 784)
		f.Product(a, all)
		for _, cut := range []int{1, 5, 11, 36} {
			part := NewMat(37, 784)
			f.Product(a.Slice(0, cut), part.Slice(0, cut))
			f.Product(a.Slice(cut, 37), part.Slice(cut, 37))
			for i, v := range part.Data {
				if math.Float32bits(v) != math.Float32bits(all.Data[i]) {
					t.Fatalf("cut %d: C[%d] = %g, one call %g", cut, i, v, all.Data[i])
				}
			}
		}
	})
}

// TestBF16AgreesWithFP32: each element of the bfloat16 product is within
// 2⁻⁷·Σ_p |a_p·w_p| of the float32 one (two roundings of relative size
// 2⁻⁹ per product, plus float32 sums), on decoder-like operands (ReLU
// activations, small weights).
func TestBF16AgreesWithFP32(t *testing.T) {
	withBF16(t, func() {
		r := rand.New(rand.NewPCG(7, 8))
		a, w := normMat(r, 50, 300, 1), normMat(r, 784, 300, 0.05)
		relu(a.Data)
		var f ForwardWeights
		f.Set(w)
		c := NewMat(50, 784)
		f.Product(a, c)
		want := NewMat(50, 784)
		Gemm(false, true, 1, a, w, 0, want)
		worst := 0.0
		for i := 0; i < 50; i++ {
			for j := 0; j < 784; j++ {
				var mag float64
				for p := 0; p < 300; p++ {
					mag += math.Abs(float64(a.At(i, p)) * float64(w.At(j, p)))
				}
				d := math.Abs(float64(c.At(i, j)) - float64(want.At(i, j)))
				if d > mag/128 {
					t.Fatalf("C[%d,%d]: bf16 %g, fp32 %g: difference %g above 2⁻⁷·Σ|a·w| = %g", i, j, c.At(i, j), want.At(i, j), d, mag/128)
				}
				worst = max(worst, d/mag)
			}
		}
		t.Logf("largest |bf16 − fp32| / Σ|a·w|: %.3g (2⁻⁷ = %.3g)", worst, 1.0/128)
	})
}

// TestForwardWeightsFP32: switched off, Product is gemmSerial bit for bit.
func TestForwardWeightsFP32(t *testing.T) {
	old := SetBF16(false)
	defer SetBF16(old)
	r := rand.New(rand.NewPCG(9, 10))
	a, w := normMat(r, 23, 300, 1), normMat(r, 784, 300, 0.05)
	var f ForwardWeights
	f.Set(w)
	if f.Kernel() != "" || BF16() != "" {
		t.Fatalf("switched off, Kernel %q, BF16 %q", f.Kernel(), BF16())
	}
	c, want := NewMat(23, 784), NewMat(23, 784)
	f.Product(a, c)
	gemmSerial(false, true, 1, a, w, 0, want)
	for i, v := range c.Data {
		if math.Float32bits(v) != math.Float32bits(want.Data[i]) {
			t.Fatalf("C[%d] = %g, gemmSerial %g", i, v, want.Data[i])
		}
	}
}

// TestGemmKernelsNamesBF16 checks that the name run folders record
// (config.json's gemm_kernels) says whether the forward-only products run
// in bfloat16, and that ForwardWeights follows the setting at Set.
func TestGemmKernelsNamesBF16(t *testing.T) {
	defer SetBF16(SetBF16(false))
	w := randMat(newRand(3), 5, 7)
	var f ForwardWeights
	f.Set(w)
	if k := GemmKernels(); BF16() != "" || f.Kernel() != "" || strings.Contains(k, "+forward-") {
		t.Errorf("bf16 off: BF16() %q, Kernel() %q, GemmKernels() %q", BF16(), f.Kernel(), k)
	}
	SetBF16(true)
	f.Set(w)
	k := BF16()
	if k == "" {
		t.Skipf("no bfloat16 kernel on this CPU or build (GemmKernels %q)", GemmKernels())
	}
	if f.Kernel() != k || !strings.HasSuffix(GemmKernels(), "+forward-"+k) {
		t.Errorf("bf16 on: BF16() %q, Kernel() %q, GemmKernels() %q", k, f.Kernel(), GemmKernels())
	}
}
