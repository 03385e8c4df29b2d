//go:build cgo && !noopenblas

package nn

/*
#cgo LDFLAGS: -lopenblas

// Prototypes declared here rather than through <cblas.h>, which Debian
// ships in several alternative versions; the enum arguments are ints in the
// C ABI. CblasRowMajor = 101, CblasNoTrans = 111, CblasTrans = 112.
void cblas_sgemm(int order, int transA, int transB, int m, int n, int k,
                 float alpha, const float *a, int lda, const float *b, int ldb,
                 float beta, float *c, int ldc);
void openblas_set_num_threads(int n);
int openblas_get_num_threads(void);
char *openblas_get_corename(void);
*/
import "C"

import "os"

// kernelsEnv is the environment variable that, set to "avx2" when the
// program starts, makes an AVX-512 machine run the products and kernels an
// AVX2 machine would: Gemm goes to OpenBLAS instead of the AVX-512 tiles
// and the element-wise kernels are capped at AVX2+FMA (Adam at AVX). To
// make OpenBLAS itself use its AVX2 kernels, also set
// OPENBLAS_CORETYPE=Haswell ([BLASCore] reports the one in use). It is for
// measurements; [GemmKernels] and [Kernels] report the result.
const kernelsEnv = "ARGMAXVAE_KERNELS"

func init() {
	if os.Getenv(kernelsEnv) == "avx2" {
		use512 = false
		setKernelLevel(1)
	}
}

// BLASCore names the kernel set OpenBLAS picked for this CPU
// (openblas_get_corename, e.g. "SkylakeX" or "Haswell"); "" for gonum.
func BLASCore() string { return C.GoString(C.openblas_get_corename()) }

const (
	cblasRowMajor = 101
	cblasNoTrans  = 111
	cblasTrans    = 112
)

// sgemm calls OpenBLAS's cblas_sgemm on row-major operands, or the
// AVX-512 tiles (gemm512). Callers have checked shapes and that
// m, n, k > 0.
//
// Once SetThreads has been called, OpenBLAS runs single-threaded and a
// large product is split across the package's workers by bands of C's
// rows (or of its columns when C has few rows), each band one cblas_sgemm
// call on its own goroutine: OpenBLAS's own threads spin after every
// product and would compete with the goroutines that run the
// log-likelihood kernels and the solvers on the same cores. The split
// depends on the worker count only, so results are reproducible for a
// given count; they are not bit for bit those of one call (OpenBLAS's
// edge kernels sum in another order), unlike the AVX-512 tiles'.
func sgemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if gemm512(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, true) {
		return
	}
	if m >= 32 || n < 128 {
		if parts(m, 16, m*n*k) == 1 {
			cblas(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
			return
		}
		parRows(m, 16, m*n*k, func(lo, hi int) {
			ao := lo * lda
			if transA {
				ao = lo
			}
			cblas(transA, transB, hi-lo, n, k, alpha, a[ao:], lda, b, ldb, beta, c[lo*ldc:], ldc)
		})
		return
	}
	if parts(n, 64, m*n*k) == 1 {
		cblas(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	parRows(n, 64, m*n*k, func(lo, hi int) {
		bo := lo
		if transB {
			bo = lo * ldb
		}
		cblas(transA, transB, m, hi-lo, k, alpha, a, lda, b[bo:], ldb, beta, c[lo:], ldc)
	})
}

// sgemmSerial is sgemm on the calling goroutine: the AVX-512 tiles when
// they take the shape, else one single-threaded OpenBLAS call.
func sgemmSerial(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if !gemm512(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, false) {
		cblas(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	}
}

// cblas is one cblas_sgemm call.
func cblas(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	ta, tb := C.int(cblasNoTrans), C.int(cblasNoTrans)
	if transA {
		ta = cblasTrans
	}
	if transB {
		tb = cblasTrans
	}
	C.cblas_sgemm(cblasRowMajor, ta, tb, C.int(m), C.int(n), C.int(k),
		C.float(alpha), (*C.float)(&a[0]), C.int(lda), (*C.float)(&b[0]), C.int(ldb),
		C.float(beta), (*C.float)(&c[0]), C.int(ldc))
}

// SetThreads sets the number of goroutines that share a large product
// (OpenBLAS or AVX-512 tiles), log-likelihood pass or Adam update; n < 1
// is treated as 1. From the first call on, OpenBLAS runs one thread per
// call (see sgemm); before it, OpenBLAS keeps its default (all CPUs) and
// the package's own kernels run on the calling goroutine. With the AVX-512
// tiles results do not depend on n (the work is split between independent
// rows or columns by identical code); with OpenBLAS they are reproducible
// for each n.
func SetThreads(n int) {
	C.openblas_set_num_threads(1)
	setWorkers(n)
}

// Threads returns the count SetThreads last set (1 before any call).
func Threads() int { return numWorkers() }

// Backend names the BLAS implementation compiled in: "openblas" or "gonum".
func Backend() string { return "openblas" }

// Kernels names the element-wise kernels in use: "c-avx512", "c-avx2" or
// "c" in the default build, "go" with -tags noopenblas.
func Kernels() string { return kernelsName() }

// GemmKernels names the matrix products in use: "avx512-tiles+openblas"
// when the CPU has AVX-512F (the tiles take the shapes they serve, OpenBLAS
// the rest), else "openblas"; followed by "+forward-" and [BF16]'s kernel
// when forward-only products ([ForwardWeights]) run in bfloat16.
func GemmKernels() string {
	s := "openblas"
	if use512 {
		s = "avx512-tiles+openblas"
	}
	if k := BF16(); k != "" {
		s += "+forward-" + k
	}
	return s
}
