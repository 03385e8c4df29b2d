//go:build !cgo || noopenblas

package nn

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// sgemm multiplies through gonum's pure-Go float32 BLAS. Callers have checked
// shapes and that m, n, k > 0.
func sgemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	ta, tb := blas.NoTrans, blas.NoTrans
	ra, ca, rb, cb := m, k, k, n
	if transA {
		ta, ra, ca = blas.Trans, k, m
	}
	if transB {
		tb, rb, cb = blas.Trans, n, k
	}
	blas32.Gemm(ta, tb, alpha,
		blas32.General{Rows: ra, Cols: ca, Stride: lda, Data: a},
		blas32.General{Rows: rb, Cols: cb, Stride: ldb, Data: b},
		beta, blas32.General{Rows: m, Cols: n, Stride: ldc, Data: c})
}

// SetThreads does nothing for the gonum backend, whose Gemm picks its own
// parallelism.
func SetThreads(n int) {}

// Threads returns 1 for the gonum backend: it has no thread setting.
func Threads() int { return 1 }

// Backend names the BLAS implementation compiled in: "openblas" or "gonum".
func Backend() string { return "gonum" }

// Kernels names the element-wise kernels in use: "c-avx512", "c-avx2" or
// "c" in the default build, "go" with -tags noopenblas.
func Kernels() string { return kernelsName() }

// GemmKernels names the matrix products in use: "gonum" in this build.
func GemmKernels() string { return "gonum" }
