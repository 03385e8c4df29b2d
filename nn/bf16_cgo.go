//go:build cgo && !noopenblas

package nn

/*
#include <stdint.h>

// Implemented in bf16.c.
int nn_bf16_ok(void);
void nn_bf16_pack_rows(const float *a, long rows, long k, long lda, uint32_t *out, long kp);
void nn_bf16_transpose(const uint32_t *src, long rows, long cols, long lds, uint32_t *dst, long ldd);
int nn_amx_ok(void);
void nn_amx_gemm(long m, long n, long kp16, const uint32_t *a, const uint32_t *b, long nb, float *c32, float *c,
                 long ldc);
float nn_bf16_peak(long iters);
float nn_fp32_peak(long iters);
void nn_bf16_gemm(long m, long n, long kp, const uint32_t *a, long lda, const uint32_t *b, long ldb, float *c,
                  long ldc);
*/
import "C"

import "os"

// bf16Have says whether this CPU runs the AVX512-BF16 kernels of bf16.c
// (ARGMAXVAE_KERNELS=avx2 hides them, as an AVX2 machine would).
var bf16Have = C.nn_bf16_ok() != 0 && os.Getenv(kernelsEnv) != "avx2"

// amxOn says whether the AMX tiles replace the AVX512-BF16 kernel
// (bf16Env=amx, granted and checked by amxInit).
var amxOn bool

// amxInit asks for the AMX tile state (nn_amx_ok: CPUID, XCR0, then
// arch_prctl(ARCH_REQ_XCOMP_PERM, XFEATURE_XTILEDATA), which Linux may
// refuse) and, when granted, compares the tiles with the AVX512-BF16
// kernel on a product with every padding edge; it turns them on only if
// every element agrees within 1e-5 relative to Σ|a·w| (both sum exact
// products in float32, in different orders).
func amxInit() {
	if !bf16Have || C.nn_amx_ok() == 0 {
		return
	}
	const m, n, k = 37, 70, 75
	a, w := NewMat(m, k), NewMat(n, k)
	for i := range a.Data {
		a.Data[i] = float32((i*7919)%113)/113 - 0.4
	}
	for i := range w.Data {
		w.Data[i] = float32((i*104729)%127)/127 - 0.5
	}
	var ref, amx ForwardWeights
	ref.Set(w)
	cr, ca := NewMat(m, n), NewMat(m, n)
	ref.Product(a, cr)
	amxOn = true
	amx.Set(w)
	amx.Product(a, ca)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var mag float32
			for p := 0; p < k; p++ {
				mag += abs32(a.At(i, p) * w.At(j, p))
			}
			if abs32(ca.At(i, j)-cr.At(i, j)) > 1e-5*mag+1e-30 {
				amxOn = false
				return
			}
		}
	}
}

func abs32(x float32) float32 { return max(x, -x) }

// bf16Kernel names the bfloat16 kernel this CPU and build have, or "".
func bf16Kernel() string {
	switch {
	case amxOn:
		return amxKernel
	case bf16Have:
		return "avx512-bf16"
	}
	return ""
}

// amxGemm runs nn_amx_gemm: C (m×n, stride ldc) = A·Bᵀ from A as
// m32×kp16 pairs and Bᵀ as kp16×nb pairs, through the m32×nb scratch c32.
func amxGemm(m, n, kp16 int, a, b []uint32, nb int, c32, c []float32, ldc int) {
	m32 := (m + 31) &^ 31
	_ = a[m32*kp16-1]
	_ = b[kp16*nb-1]
	_ = c32[m32*nb-1]
	_ = c[(m-1)*ldc+n-1]
	C.nn_amx_gemm(C.long(m), C.long(n), C.long(kp16), (*C.uint32_t)(&a[0]), (*C.uint32_t)(&b[0]), C.long(nb),
		(*C.float)(&c32[0]), (*C.float)(&c[0]), C.long(ldc))
}

// bf16PackRows rounds rows×k floats (stride lda) to bfloat16 pairs,
// rows×kp (kp = ⌈k/2⌉).
func bf16PackRows(a []float32, rows, k, lda int, out []uint32, kp int) {
	if rows == 0 || k == 0 {
		return
	}
	_ = a[(rows-1)*lda+k-1]
	_ = out[rows*kp-1]
	C.nn_bf16_pack_rows((*C.float)(&a[0]), C.long(rows), C.long(k), C.long(lda), (*C.uint32_t)(&out[0]), C.long(kp))
}

// bf16Gemm sets C (m×n, stride ldc) = A·Bᵀ from A as m×kp pairs (stride
// lda) and Bᵀ as kp×ldb pairs.
func bf16Gemm(m, n, kp int, a []uint32, lda int, b []uint32, ldb int, c []float32, ldc int) {
	_ = a[(m-1)*lda+kp-1]
	_ = b[(kp-1)*ldb+n-1]
	_ = c[(m-1)*ldc+n-1]
	C.nn_bf16_gemm(C.long(m), C.long(n), C.long(kp), (*C.uint32_t)(&a[0]), C.long(lda), (*C.uint32_t)(&b[0]),
		C.long(ldb), (*C.float)(&c[0]), C.long(ldc))
}

// bf16Transpose sets dst (cols×rows, stride ldd) = srcᵀ (rows×cols).
func bf16Transpose(src []uint32, rows, cols int, dst []uint32, ldd int) {
	if rows == 0 || cols == 0 {
		return
	}
	_ = src[rows*cols-1]
	_ = dst[(cols-1)*ldd+rows-1]
	C.nn_bf16_transpose((*C.uint32_t)(&src[0]), C.long(rows), C.long(cols), C.long(cols), (*C.uint32_t)(&dst[0]), C.long(ldd))
}

// bf16Peak and fp32Peak run iters × 24 register-resident VDPBF16PS (32
// multiply-adds each) or VFMADD231PS (16) instructions, for the
// benchmarks' peak rates.
func bf16Peak(iters int) float32 { return float32(C.nn_bf16_peak(C.long(iters))) }
func fp32Peak(iters int) float32 { return float32(C.nn_fp32_peak(C.long(iters))) }
