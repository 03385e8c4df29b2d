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

// KernelsEnv is the environment variable that, set to "avx2" when the
// program starts, makes an AVX-512 machine run the products and kernels an
// AVX2 machine would: Gemm goes to OpenBLAS instead of the AVX-512 tiles
// and the element-wise kernels are capped at AVX2+FMA (Adam at AVX). To
// make OpenBLAS itself use its AVX2 kernels, also set
// OPENBLAS_CORETYPE=Haswell ([BLASCore] reports the one in use). It is for
// measurements; [GemmKernels] and [Kernels] report the result.
const KernelsEnv = "ARGMAXVAE_KERNELS"

func init() {
	if os.Getenv(KernelsEnv) == "avx2" {
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

// sgemm calls OpenBLAS's cblas_sgemm on row-major operands. Callers have
// checked shapes and that m, n, k > 0.
func sgemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if gemm512(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) {
		return
	}
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

// SetThreads sets the number of threads OpenBLAS uses for each product
// (openblas_set_num_threads) and the number of goroutines that share a
// large AVX-512 product or log-likelihood pass; n < 1 is treated as 1.
// Results do not depend on n: the package's own kernels split work only
// between independent rows or columns. The default is one goroutine.
func SetThreads(n int) {
	C.openblas_set_num_threads(C.int(max(1, n)))
	setWorkers(n)
}

// Threads returns the count SetThreads last set (1 before any call; the
// number of OpenBLAS threads is then OpenBLAS's default, all CPUs), so that
// SetThreads(Threads()) restores both settings.
func Threads() int { return numWorkers() }

// Backend names the BLAS implementation compiled in: "openblas" or "gonum".
func Backend() string { return "openblas" }

// Kernels names the element-wise kernels in use: "c-avx512", "c-avx2" or
// "c" in the default build, "go" with -tags noopenblas.
func Kernels() string { return kernelsName() }

// GemmKernels names the matrix products in use: "avx512-tiles+openblas"
// when the CPU has AVX-512F (the tiles take the shapes they serve, OpenBLAS
// the rest), else "openblas".
func GemmKernels() string {
	if use512 {
		return "avx512-tiles+openblas"
	}
	return "openblas"
}
