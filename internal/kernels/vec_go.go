//go:build !cgo || noopenblas

package kernels

// setLevel does nothing in the pure-Go build.
func setLevel(l int) int { return 0 }

// level is 0 in the pure-Go build.
func level() int { return 0 }

func enumAdd(s *EnumSums, xl, h []float32, sp []float64, xb, cut float64) {
	s.addGo(xl, h, sp, xb, cut)
}

func shiftRelu(dst, base, sub, add []float32) { shiftReluGo(dst, base, sub, add) }
