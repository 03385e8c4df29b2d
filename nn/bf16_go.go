//go:build !cgo || noopenblas

package nn

// bf16Kernel is "": the pure-Go build multiplies in float32 only.
func bf16Kernel() string { return "" }

func bf16PackRows(a []float32, rows, k, lda int, out []uint32, kp int) {
	panic("nn: no bfloat16 kernels in this build")
}

func bf16Gemm(m, n, kp int, a []uint32, lda int, b []uint32, ldb int, c []float32, ldc int) {
	panic("nn: no bfloat16 kernels in this build")
}

func bf16Transpose(src []uint32, rows, cols int, dst []uint32, ldd int) {
	panic("nn: no bfloat16 kernels in this build")
}

func bf16Peak(iters int) float32 { return 0 }
func fp32Peak(iters int) float32 { return 0 }

// amxInit does nothing in the pure-Go build.
func amxInit() {}

func amxGemm(m, n, kp16 int, a, b []uint32, nb int, c32, c []float32, ldc int) {
	panic("nn: no bfloat16 kernels in this build")
}
