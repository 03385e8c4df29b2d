//go:build cgo && !noopenblas

package nn

/*
void nn_gemm512_nn(long m, long n, long k, float alpha, const float *a, long sai, long sap, const float *b, long ldb,
                   float beta, float *c, long ldc);
void nn_gemm512_nt(long m, long n, long k, float alpha, const float *a, long lda, const float *b, long ldb,
                   float beta, float *c, long ldc);
int nn_gemm512_ok(void);
*/
import "C"

import "sync"

// ntScratch holds Bᵀ for products A·Bᵀ run as A·(Bᵀ); the lock keeps
// concurrent Gemm calls safe (a caller that finds it taken uses the
// dot-product tiles instead).
var ntScratch struct {
	sync.Mutex
	bt []float32
}

// use512 says whether Gemm multiplies with the AVX-512 tiles of
// gemm512.c instead of OpenBLAS: on CPUs with AVX-512F, where they beat
// OpenBLAS's AVX2 kernels (which Debian's OpenBLAS 0.3.21 picks on AMD
// Zen 5, and which OPENBLAS_CORETYPE=Haswell forces) at every shape this
// module multiplies. Tests turn it off to compare.
var use512 = C.nn_gemm512_ok() != 0

// gemm512 runs the product with the AVX-512 tiles and reports true, or
// reports false (A and B both transposed, or no AVX-512) so that the caller
// uses OpenBLAS. Callers have checked shapes and that m, n, k > 0.
func gemm512(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) bool {
	if !use512 || (transA && transB) {
		return false
	}
	ap, bp, cp := (*C.float)(&a[0]), (*C.float)(&b[0]), (*C.float)(&c[0])
	if transB {
		// Dot products of rows (no copy) when A or B has few rows and k
		// fills a vector; otherwise transposing B once and running the NN
		// tiles is faster (measured crossover about 24 rows of A at
		// n = 784, k = 300; for n = 10 the NN tiles waste most lanes).
		if (k >= 16 && (m < 24 || n < 48)) || !ntScratch.TryLock() {
			C.nn_gemm512_nt(C.long(m), C.long(n), C.long(k), C.float(alpha), ap, C.long(lda), bp, C.long(ldb), C.float(beta), cp, C.long(ldc))
			return true
		}
		defer ntScratch.Unlock()
		if cap(ntScratch.bt) < k*n {
			ntScratch.bt = make([]float32, k*n)
		}
		bt := ntScratch.bt[:k*n]
		transpose(b, n, k, ldb, bt, n, false)
		C.nn_gemm512_nn(C.long(m), C.long(n), C.long(k), C.float(alpha), ap, C.long(lda), 1, (*C.float)(&bt[0]), C.long(n), C.float(beta), cp, C.long(ldc))
		return true
	}
	sai, sap := lda, 1
	if transA {
		sai, sap = 1, lda
	}
	C.nn_gemm512_nn(C.long(m), C.long(n), C.long(k), C.float(alpha), ap, C.long(sai), C.long(sap), bp, C.long(ldb), C.float(beta), cp, C.long(ldc))
	return true
}
