//go:build cgo && !noopenblas

package nn

import "testing"

// TestOpenBLASWorkers: with the AVX-512 tiles off, products split into
// single-threaded OpenBLAS calls by bands are reproducible for a given
// worker count and agree with one call up to rounding (OpenBLAS's edge
// kernels sum in another order, so not bit for bit).
func TestOpenBLASWorkers(t *testing.T) {
	defer func(u bool) { use512 = u }(use512)
	use512 = false
	checkGemmWorkers(t, false)
}

// gemmSplitExact reports whether products split across workers are bit
// for bit those of one call: with the AVX-512 tiles, not with OpenBLAS.
func gemmSplitExact() bool { return use512 }

// serialExact reports whether GemmSerial's bands of an m×n×k product
// (B transposed or not) equal Gemm's bit for bit: with the AVX-512 tiles,
// when Gemm takes the route GemmSerial takes (Bᵀ and the NN tiles).
func serialExact(m, n, k int, transB bool) bool {
	if !use512 {
		return false
	}
	return !transB || (!(k >= 16 && (m < 24 || n < 48)) && !(ntViaAT && ntCostAT(m, n, k) < ntCostBT(m, n, k)))
}
