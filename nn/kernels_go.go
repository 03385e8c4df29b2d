//go:build !cgo || noopenblas

package nn

// kernelsName describes the element-wise kernels in use.
func kernelsName() string { return "go" }

// setFastKernels does nothing in the pure-Go build.
func setFastKernels(on bool) bool { return false }

// setKernelLevel does nothing in the pure-Go build.
func setKernelLevel(l int) int { return 0 }

// kernelLevel is 0 in the pure-Go build.
func kernelLevel() int { return 0 }

// adamLevel is 0 in the pure-Go build.
func adamLevel() int { return 0 }

// adamUpdate is the per-element Adam update of one parameter tensor.
func adamUpdate(w, g, m, v []float32, b1, c1, b2, c2, stepSize, inv, eps float32) {
	adamUpdateGo(w, g, m, v, b1, c1, b2, c2, stepSize, inv, eps)
}

func llRows(x Mat, per int, l Mat, bias []float32, out []float32) {
	llRowsGo(x, per, l, bias, out)
}

func llPairs(x Mat, xi []int32, l Mat, li []int32, bias []float32, out []float32) {
	for p := range out {
		llRowsGo(x.Slice(int(xi[p]), int(xi[p])+1), 1, l.Slice(int(li[p]), int(li[p])+1), bias, out[p:p+1])
	}
}

func llGradRows(x, l Mat, scale []float32, out []float32, dl Mat) {
	llGradRowsGo(x, l, scale, out, dl)
}

func relu(v []float32) { reluGo(v) }

func reluMask(h, d []float32) { reluMaskGo(h, d) }

func groupSum(src []float32, rows, cols int, of []int32, dst []float32) {
	groupSumGo(src, rows, cols, of, dst)
}

func sigmoidAdd(l Mat, scale []float32, dst Mat) { sigmoidAddGo(l, scale, dst) }
