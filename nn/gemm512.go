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
	bt, at []float32
}

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
// uses OpenBLAS. Callers have checked shapes and that m, n, k > 0. With two
// threads asked for ([SetThreads]), large products are split in two by
// rows or columns of C (see par.go).
func gemm512(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) bool {
	if !use512 || (transA && transB) {
		return false
	}
	if transB {
		// Dot products of rows (no copy) when A or B has few rows and k
		// fills a vector; otherwise transposing B once and running the NN
		// tiles is faster (measured crossover about 24 rows of A at
		// n = 784, k = 300; for n = 10 the NN tiles waste most lanes).
		if (k >= 16 && (m < 24 || n < 48)) || !ntScratch.TryLock() {
			gemmTiles(true, m, n, k, alpha, a, lda, 1, b, ldb, beta, c, ldc)
			return true
		}
		defer ntScratch.Unlock()
		if ntViaAT && ntCostAT(m, n, k) < ntCostBT(m, n, k) {
			// Cᵀ = B·Aᵀ with the NN tiles: transpose A (m×k) and the
			// n×m result, both much smaller than B when m ≪ n.
			at := grow(&ntScratch.at, k*m)
			t := grow(&ntScratch.bt, n*m)
			transpose(a, m, k, lda, at, m, false)
			gemmTiles(false, n, m, k, 1, b, ldb, 1, at, m, 0, t, m)
			addTransposed(t, n, m, alpha, beta, c, ldc)
			return true
		}
		bt := grow(&ntScratch.bt, k*n)
		transpose(b, n, k, ldb, bt, n, false)
		gemmTiles(false, m, n, k, alpha, a, lda, 1, bt, n, beta, c, ldc)
		return true
	}
	sai, sap := lda, 1
	if transA {
		sai, sap = 1, lda
	}
	gemmTiles(false, m, n, k, alpha, a, sai, sap, b, ldb, beta, c, ldc)
	return true
}

// gemmJob is a product handed to the tiles, split in two halves of C.
type gemmJob struct {
	nt          bool // dot-product tiles: C = A·Bᵀ (sai = lda)
	m, n, k     int
	alpha, beta float32
	a, b, c     []float32
	sai, sap    int
	ldb, ldc    int
	byRows      bool // split rows of C (else columns)
	mid         int  // first row or column of part 1
}

var gemmSplit gemmJob

// gemmTiles runs one product with the NN tiles (A(i,p) = a[i·sai+p·sap])
// or, when nt, the dot-product tiles (C = A·Bᵀ, sai the row stride of A),
// split over two threads when large enough. The split falls on tile
// boundaries (64 columns or 6 rows for NN, 4 rows for NT), so each part
// computes its elements exactly as one thread would.
func gemmTiles(nt bool, m, n, k int, alpha float32, a []float32, sai, sap int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	j := gemmJob{nt: nt, m: m, n: n, k: k, alpha: alpha, beta: beta, a: a, b: b, c: c, sai: sai, sap: sap, ldb: ldb, ldc: ldc}
	switch {
	case nt && m >= 8:
		j.byRows, j.mid = true, m/2&^3
	case nt && n >= 8:
		j.mid = n / 2 &^ 3 // rows of B = columns of C
	case !nt && n >= 128:
		j.mid = (n/2 + 32) &^ 63
	case !nt && m >= 12:
		j.byRows, j.mid = true, m/2/6*6
	}
	if j.mid == 0 || !acquireHelper(0.0082*float64(m)*float64(pad16(n))*float64(k)) {
		j.run(0, m, 0, n)
		return
	}
	gemmSplit = j
	runHelper(&gemmSplit)
}

func (j *gemmJob) half(part int) {
	i0, i1, c0, c1 := 0, j.m, 0, j.n
	switch {
	case j.byRows && part == 0:
		i1 = j.mid
	case j.byRows:
		i0 = j.mid
	case part == 0:
		c1 = j.mid
	default:
		c0 = j.mid
	}
	j.run(i0, i1, c0, c1)
}

// run computes rows [i0, i1) and columns [c0, c1) of C.
func (j *gemmJob) run(i0, i1, c0, c1 int) {
	if i0 >= i1 || c0 >= c1 {
		return
	}
	ap := (*C.float)(&j.a[i0*j.sai])
	cp := (*C.float)(&j.c[i0*j.ldc+c0])
	if j.nt {
		bp := (*C.float)(&j.b[c0*j.ldb])
		C.nn_gemm512_nt(C.long(i1-i0), C.long(c1-c0), C.long(j.k), C.float(j.alpha), ap, C.long(j.sai), bp, C.long(j.ldb), C.float(j.beta), cp, C.long(j.ldc))
		return
	}
	bp := (*C.float)(&j.b[c0])
	C.nn_gemm512_nn(C.long(i1-i0), C.long(c1-c0), C.long(j.k), C.float(j.alpha), ap, C.long(j.sai), C.long(j.sap), bp, C.long(j.ldb), C.float(j.beta), cp, C.long(j.ldc))
}
