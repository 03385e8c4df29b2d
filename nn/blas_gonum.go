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

// sgemmSerial is sgemm: gonum's Gemm is safe to call from several
// goroutines and picks its own parallelism.
func sgemmSerial(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// SetThreads sets the number of goroutines that share a large
// log-likelihood pass (n < 1 is treated as 1; results do not depend on
// it); gonum's Gemm picks its own parallelism.
func SetThreads(n int) { setWorkers(n) }

// Threads returns the number SetThreads set (1 by default).
func Threads() int { return numWorkers() }

// Backend names the BLAS implementation compiled in: "openblas" or "gonum".
func Backend() string { return "gonum" }

// Kernels names the element-wise kernels in use: "c-avx512", "c-avx2" or
// "c" in the default build, "go" with -tags noopenblas.
func Kernels() string { return kernelsName() }

// GemmKernels names the matrix products in use: "gonum" in this build.
func GemmKernels() string { return "gonum" }

// kernelsEnv is the environment variable that makes the default build run
// an AVX2 machine's kernels on an AVX-512 one; it has no effect here.
const kernelsEnv = "ARGMAXVAE_KERNELS"

// BLASCore is "" for the gonum backend (see the OpenBLAS build).
func BLASCore() string { return "" }
