package kernels

import "fmt"

// ShiftReLU sets dst[j] = max(base[j] − sub[j] + add[j], 0) (NaN kept): the
// hidden activations of a layer input that differs from a base input by
// one column of the weights removed (sub) and another added (add), as
// decoder.Variants builds them. It panics if a slice is shorter than dst.
// O(len(dst)), vectorised in the default build; the same bits as the Go
// loop (− then +, no fused operation).
func ShiftReLU(dst, base, sub, add []float32) {
	if len(base) < len(dst) || len(sub) < len(dst) || len(add) < len(dst) {
		panic(fmt.Sprintf("kernels: ShiftReLU: dst has %d entries, base %d, sub %d, add %d", len(dst), len(base), len(sub), len(add)))
	}
	shiftRelu(dst, base, sub, add)
}

// shiftReluGo is ShiftReLU in Go.
func shiftReluGo(dst, base, sub, add []float32) {
	base, sub, add = base[:len(dst)], sub[:len(dst)], add[:len(dst)]
	for j := range dst {
		x := base[j] - sub[j] + add[j]
		if x < 0 {
			x = 0
		}
		dst[j] = x
	}
}
