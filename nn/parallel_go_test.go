//go:build !cgo || noopenblas

package nn

// gemmSplitExact is true for gonum, whose Gemm is not split by workers.
func gemmSplitExact() bool { return true }
