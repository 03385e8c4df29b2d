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

// serialExact reports whether gemmSerial's bands of band rows of an
// m×n×k product (B transposed or not) equal Gemm's bit for bit: with the
// AVX-512 tiles, when the bands take Gemm's route and it is one of the
// two transposing routes (the dot-product tiles reduce in 4×4 tiles).
func serialExact(m, band, n, k int, transB bool) bool {
	if !use512 {
		return false
	}
	route := func(m int) string {
		switch {
		case k >= 16 && (m < 24 || n < 48):
			return "nt"
		case ntViaAT && ntCostAT(m, n, k) < ntCostBT(m, n, k):
			return "at"
		}
		return "bt"
	}
	return !transB || (route(m) != "nt" && route(m) == route(band))
}
