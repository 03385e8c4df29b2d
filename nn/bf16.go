package nn

import (
	"fmt"
	"os"
	"sync"
	"sync/atomic"
)

// bf16Env is the environment variable that, read when the program starts,
// chooses the arithmetic of forward-only products ([ForwardWeights]):
// "off" (or "0", "fp32") keeps them in float32, "on" (or "1") runs them in
// bfloat16 where the CPU can (AVX512-BF16), and "amx" also asks Linux for
// the AMX tile state and, when it is granted and the tiles pass a check
// against the AVX512-BF16 kernel at start-up, uses TDPBF16PS (opt-in: not
// yet run on an AMX machine by this project). Unset, the package default
// applies ([SetBF16] changes it at run time; [BF16] reports the result).
const bf16Env = "ARGMAXVAE_BF16"

// amxKernel is [BF16]'s name for the AMX tiles.
const amxKernel = "amx-bf16"

// bf16Want says whether forward-only products should use bfloat16 when the
// CPU has a kernel for it; bf16Default is its value without bf16Env.
var (
	bf16Want    atomic.Bool
	bf16Default = false
)

func init() {
	switch bf16Setting(os.Getenv(bf16Env)) {
	case "off":
		bf16Want.Store(false)
	case "on":
		bf16Want.Store(true)
	case "amx":
		bf16Want.Store(true)
		amxInit()
	default:
		bf16Want.Store(bf16Default)
	}
}

// bf16Setting maps a value of bf16Env to "off", "on" or "amx"; "" for
// unset and for a value it does not know ([CheckEnv] reports those).
func bf16Setting(v string) string {
	switch v {
	case "off", "0", "fp32", "false":
		return "off"
	case "on", "1", "bf16", "true":
		return "on"
	case "amx":
		return "amx"
	}
	return ""
}

// SetBF16 turns the bfloat16 forward-only products on or off (on has no
// effect on a CPU without a kernel for them) and returns the previous
// setting. It applies from the next [ForwardWeights.Set]. Tests that must
// reproduce float32 results bit for bit pin it off.
func SetBF16(on bool) bool { return bf16Want.Swap(on) }

// BF16 names the kernel of forward-only products: "avx512-bf16" (VDPBF16PS,
// float32 accumulation) or "amx-bf16" (TDPBF16PS, see bf16Env) when they
// run in bfloat16, "" when they run in
// float32 (switched off, or no such kernel on this CPU or build).
func BF16() string {
	if bf16Want.Load() && bf16Kernel() != "" {
		return bf16Kernel()
	}
	return ""
}

// ForwardWeights is a weight matrix W (n×k, the layout of [Linear.W])
// prepared for products C = A·Wᵀ whose result is only read, never
// differentiated: the structured direct estimator's f̃ pass. When [BF16]
// is not "", Set rounds W to bfloat16 once and Product multiplies in
// bfloat16 with float32 accumulation (products of two bfloat16 values are
// exact, so each element of C is W's and A's rounded values summed in
// float32; relative error about 2⁻⁸ per operand); otherwise Product is
// gemmSerial (Gemm on the calling goroutine). The zero value is empty; Set it again after every change
// of W (an optimiser step): it copies nothing but the rounded values, and
// a stale Set multiplies the old weights.
type ForwardWeights struct {
	w       Mat      // W as given to Set (shared)
	kernel  string   // bf16Kernel() at Set, "" for float32
	kp, kps int      // pairs per row of W (⌈k/2⌉); rows of pk (kp, or for AMX kp padded to 16)
	nb      int      // columns of pk: n padded to 16 (32 for AMX)
	pk      []uint32 // W's pairs transposed: pk[q·nb + j] = (W[j,2q], W[j,2q+1]), zero padding
	rows    []uint32 // scratch of Set: W's rows as pairs
}

// Set prepares W (n×k) for Product, rounding it to bfloat16 when [BF16]
// is not "". It keeps a reference to W's data, which must not change
// until the next Set. O(n·k).
func (f *ForwardWeights) Set(w Mat) {
	checkLen("W", w)
	f.w = w
	f.kernel = BF16()
	if w.Rows == 0 || w.Cols == 0 {
		f.kernel = ""
	}
	if f.kernel == "" {
		return
	}
	n, k := w.Rows, w.Cols
	f.kp, f.kps, f.nb = (k+1)/2, (k+1)/2, (n+15)&^15
	if f.kernel == amxKernel {
		f.kps, f.nb = (f.kp+15)&^15, (n+31)&^31
	}
	f.rows = growU32(&f.rows, n*f.kp)
	bf16PackRows(w.Data, n, k, k, f.rows, f.kp)
	f.pk = growU32(&f.pk, f.kps*f.nb)
	if f.nb > n || f.kps > f.kp {
		clear(f.pk)
	}
	bf16Transpose(f.rows, n, f.kp, f.pk, f.nb)
}

// Kernel names the arithmetic Product will use: [BF16]'s kernel at the
// last Set, or "" for float32.
func (f *ForwardWeights) Kernel() string { return f.kernel }

// Product sets C = A·Wᵀ for A m×k and C m×n, on the calling goroutine.
// Any number of calls may run at once on disjoint C. In float32 it is
// gemmSerial(false, true, 1, A, W, 0, C) exactly; in bfloat16 each element
// of C depends only on its row of A and column of Wᵀ, not on m or on
// how rows are split between calls. It panics, naming the shapes, if they
// do not conform. O(m·n·k).
func (f *ForwardWeights) Product(a, c Mat) {
	if f.kernel == "" {
		gemmSerial(false, true, 1, a, f.w, 0, c)
		return
	}
	if a.Cols != f.w.Cols || c.Cols != f.w.Rows || c.Rows != a.Rows {
		panic(fmt.Sprintf("nn: ForwardWeights.Product: A %d×%d, C %d×%d for W %d×%d",
			a.Rows, a.Cols, c.Rows, c.Cols, f.w.Rows, f.w.Cols))
	}
	checkLen("A", a)
	checkLen("C", c)
	if a.Rows == 0 {
		return
	}
	buf := bf16Scratch.Get().(*scratch16)
	defer bf16Scratch.Put(buf)
	if f.kernel == amxKernel {
		m32 := (a.Rows + 31) &^ 31
		ap := growU32(&buf.a, m32*f.kps)
		clear(ap)
		bf16PackRows(a.Data, a.Rows, a.Cols, a.Cols, ap, f.kps)
		amxGemm(a.Rows, f.w.Rows, f.kps, ap, f.pk, f.nb, growF32(&buf.c, m32*f.nb), c.Data, c.Cols)
		return
	}
	ap := growU32(&buf.a, a.Rows*f.kp)
	bf16PackRows(a.Data, a.Rows, a.Cols, a.Cols, ap, f.kp)
	bf16Gemm(a.Rows, f.w.Rows, f.kp, ap, f.kp, f.pk, f.nb, c.Data, c.Cols)
}

// scratch16 is one Product call's bfloat16 copy of A (and, for AMX, its
// padded result).
type scratch16 struct {
	a []uint32
	c []float32
}

// bf16Scratch holds the bfloat16 copies of Product's A, one per concurrent
// call.
var bf16Scratch = sync.Pool{New: func() any { return new(scratch16) }}

// growF32 returns (*buf)[:n], reallocating when it is too short.
func growF32(buf *[]float32, n int) []float32 {
	if cap(*buf) < n {
		*buf = make([]float32, n)
	}
	return (*buf)[:n]
}

// growU32 returns (*buf)[:n], reallocating when it is too short.
func growU32(buf *[]uint32, n int) []uint32 {
	if cap(*buf) < n {
		*buf = make([]uint32, n)
	}
	return (*buf)[:n]
}
