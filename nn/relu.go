package nn

import "fmt"

// ReLU sets every negative entry of v to zero in place (NaN and −0 are
// kept). O(len(v)), vectorised in the default build.
func ReLU(v []float32) { relu(v) }

// ShiftReLU sets dst[j] = max(base[j] − sub[j] + add[j], 0) (NaN kept): the
// hidden activations of a layer input that differs from a base input by
// one column of the weights removed (sub) and another added (add). It
// panics if a slice is shorter than dst. O(len(dst)), vectorised in the
// default build.
func ShiftReLU(dst, base, sub, add []float32) {
	if len(base) < len(dst) || len(sub) < len(dst) || len(add) < len(dst) {
		panic(fmt.Sprintf("nn: ShiftReLU: dst has %d entries, base %d, sub %d, add %d", len(dst), len(base), len(sub), len(add)))
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
