//go:build cgo && !noopenblas

package nn

/*
#include <stdint.h>

// Implemented in bf16.c.
int nn_bf16_ok(void);
void nn_bf16_pack_rows(const float *a, long rows, long k, long lda, uint32_t *out, long kp);
void nn_bf16_transpose(const uint32_t *src, long rows, long cols, long lds, uint32_t *dst, long ldd);
void nn_bf16_gemm(long m, long n, long kp, const uint32_t *a, long lda, const uint32_t *b, long ldb, float *c,
                  long ldc);
*/
import "C"

import "os"

// bf16Have says whether this CPU runs the AVX512-BF16 kernels of bf16.c
// (ARGMAXVAE_KERNELS=avx2 hides them, as an AVX2 machine would).
var bf16Have = C.nn_bf16_ok() != 0 && os.Getenv(KernelsEnv) != "avx2"

// bf16Kernel names the bfloat16 kernel this CPU and build have, or "".
func bf16Kernel() string {
	if bf16Have {
		return "avx512-bf16"
	}
	return ""
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
