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

// ntScratch holds the buffers of products A·Bᵀ run through a
// transposition (Bᵀ, or Aᵀ and the transposed result); a pool, so that
// concurrent calls each take their own and every call takes the same route
// for the same shape.
var ntScratch = sync.Pool{New: func() any { return new(ntBuffers) }}

// ntBuffers is one set of ntScratch buffers.
type ntBuffers struct{ bt, at []float32 }

// ntViaAT enables the Cᵀ = B·Aᵀ route (tests and benchmarks turn it off).
var ntViaAT = true

// Cost models (in ps) of the two transposing routes for A·Bᵀ with the NN
// tiles, measured on Zen 5: 130 ps per transposed element, 8.2 ps per
// multiply-add lane (columns are padded to whole vectors of 16).
func ntCostBT(m, n, k int) float64 { return 130*float64(n*k) + 8.2*float64(m*pad16(n)*k) }
func ntCostAT(m, n, k int) float64 {
	return 130*float64(m*k+n*m) + 8.2*float64(n*pad16(m)*k)
}
func pad16(x int) int { return (x + 15) &^ 15 }

// grow returns (*buf)[:n], reallocating when it is too short.
func grow(buf *[]float32, n int) []float32 {
	if cap(*buf) < n {
		*buf = make([]float32, n)
	}
	return (*buf)[:n]
}

// addTransposed sets c (cols×rows, stride ldc) = beta·c + alpha·tᵀ for t
// rows×cols.
func addTransposed(t []float32, rows, cols int, alpha, beta float32, c []float32, ldc int) {
	if alpha != 1 {
		for i := range t[:rows*cols] {
			t[i] *= alpha
		}
	}
	switch beta {
	case 0:
		transpose(t, rows, cols, cols, c, ldc, false)
	case 1:
		transpose(t, rows, cols, cols, c, ldc, true)
	default:
		for i := 0; i < cols; i++ {
			ci := c[i*ldc : i*ldc+rows]
			for j := range ci {
				ci[j] *= beta
			}
		}
		transpose(t, rows, cols, cols, c, ldc, true)
	}
}

// use512 says whether Gemm multiplies with the AVX-512 tiles of
// gemm512.c instead of OpenBLAS: on CPUs with AVX-512F, where they beat
// OpenBLAS's AVX2 kernels (which Debian's OpenBLAS 0.3.21 picks on AMD
// Zen 5, and which OPENBLAS_CORETYPE=Haswell forces) at every shape this
// module multiplies. Tests turn it off to compare.
var use512 = C.nn_gemm512_ok() != 0

// gemm512 runs the product with the AVX-512 tiles and reports true, or
// reports false (A and B both transposed, or no AVX-512) so that the caller
// uses OpenBLAS. With split, large products are shared by the package's
// workers (see [SetThreads]); without, they run on the calling goroutine
// (gemmSerial). The route depends on the shape alone, and each route
// computes every element of C the same way whatever the split. Callers
// have checked shapes and that m, n, k > 0.
func gemm512(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int, split bool) bool {
	if !use512 || (transA && transB) {
		return false
	}
	if transB {
		// Dot products of rows (no copy) when A or B has few rows and k
		// fills a vector; otherwise transposing B once and running the NN
		// tiles is faster (measured crossover about 24 rows of A at
		// n = 784, k = 300; for n = 10 the NN tiles waste most lanes).
		if k >= 16 && (m < 24 || n < 48) {
			nt512(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, split)
			return true
		}
		buf := ntScratch.Get().(*ntBuffers)
		defer ntScratch.Put(buf)
		if ntViaAT && ntCostAT(m, n, k) < ntCostBT(m, n, k) {
			// Cᵀ = B·Aᵀ with the NN tiles: transpose A (m×k) and the
			// n×m result, both much smaller than B when m ≪ n.
			at := grow(&buf.at, k*m)
			t := grow(&buf.bt, n*m)
			transpose(a, m, k, lda, at, m, false)
			nn512(n, m, k, 1, b, ldb, 1, at, m, 0, t, m, split)
			addTransposed(t, n, m, alpha, beta, c, ldc)
			return true
		}
		bt := grow(&buf.bt, k*n)
		transpose(b, n, k, ldb, bt, n, false)
		nn512(m, n, k, alpha, a, lda, 1, bt, n, beta, c, ldc, split)
		return true
	}
	sai, sap := lda, 1
	if transA {
		sai, sap = 1, lda
	}
	nn512(m, n, k, alpha, a, sai, sap, b, ldb, beta, c, ldc, split)
	return true
}

// nn512 runs nn_gemm512_nn, with split shared by the package's workers
// (see [SetThreads]) by bands of C's rows (whole 6-row tiles), or by 64-column
// panels when C has fewer than 12 rows. Every element of C is the same
// fused multiply-add chain over p whichever tile computes it, so the
// result does not depend on the split.
func nn512(m, n, k int, alpha float32, a []float32, sai, sap int, b []float32, ldb int, beta float32, c []float32, ldc int, split bool) {
	if !split || (parts(m, 6, m*n*k) == 1 && parts(n, 64, m*n*k) == 1) {
		C.nn_gemm512_nn(C.long(m), C.long(n), C.long(k), C.float(alpha), (*C.float)(&a[0]), C.long(sai), C.long(sap),
			(*C.float)(&b[0]), C.long(ldb), C.float(beta), (*C.float)(&c[0]), C.long(ldc))
		return
	}
	run := func(i0, i1, j0, j1 int) {
		C.nn_gemm512_nn(C.long(i1-i0), C.long(j1-j0), C.long(k), C.float(alpha), (*C.float)(&a[i0*sai]), C.long(sai), C.long(sap),
			(*C.float)(&b[j0]), C.long(ldb), C.float(beta), (*C.float)(&c[i0*ldc+j0]), C.long(ldc))
	}
	if m >= 12 || n < 128 {
		parRows(m, 6, m*n*k, func(lo, hi int) { run(lo, hi, 0, n) })
		return
	}
	parRows(n, 64, m*n*k, func(lo, hi int) { run(0, m, lo, hi) })
}

// nt512 runs nn_gemm512_nt (C = beta·C + alpha·A·Bᵀ by dot products),
// with split shared by the workers by bands of C's rows cut at multiples of 4, so
// that every element keeps its place in its 4×4 tile and its shuffle
// reduction: the result does not depend on the split.
func nt512(m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int, split bool) {
	if !split || parts(m, 4, m*n*k) == 1 {
		C.nn_gemm512_nt(C.long(m), C.long(n), C.long(k), C.float(alpha), (*C.float)(&a[0]), C.long(lda),
			(*C.float)(&b[0]), C.long(ldb), C.float(beta), (*C.float)(&c[0]), C.long(ldc))
		return
	}
	parRows(m, 4, m*n*k, func(lo, hi int) {
		C.nn_gemm512_nt(C.long(hi-lo), C.long(n), C.long(k), C.float(alpha), (*C.float)(&a[lo*lda]), C.long(lda),
			(*C.float)(&b[0]), C.long(ldb), C.float(beta), (*C.float)(&c[lo*ldc]), C.long(ldc))
	})
}
