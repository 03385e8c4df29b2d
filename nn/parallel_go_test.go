//go:build !cgo || noopenblas

package nn

// gemmSplitExact is true for gonum, whose Gemm is not split by workers.
func gemmSplitExact() bool { return true }

// serialExact is false: gonum's products are compared to rounding.
func serialExact(m, band, n, k int, transB bool) bool { return false }
