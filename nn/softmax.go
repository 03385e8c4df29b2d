package nn

import "math"

// LogSumExp returns log Σ_i exp(a_i) in float64, stably (shifted by the
// maximum). O(len(a)).
func LogSumExp(a []float32) float64 {
	mx := math.Inf(-1)
	for _, v := range a {
		mx = math.Max(mx, float64(v))
	}
	s := 0.0
	for _, v := range a {
		s += math.Exp(float64(v) - mx)
	}
	return mx + math.Log(s)
}

// LogSoftmax writes log softmax(h) into out (len(h) entries) and returns
// out[:len(h)], stably. O(len(h)).
func LogSoftmax(h []float32, out []float64) []float64 {
	lse := LogSumExp(h)
	out = out[:len(h)]
	for i, v := range h {
		out[i] = float64(v) - lse
	}
	return out
}

// SoftmaxInPlace replaces a by softmax(a), stably. O(len(a)).
func SoftmaxInPlace(a []float64) {
	mx := math.Inf(-1)
	for _, x := range a {
		mx = math.Max(mx, x)
	}
	sum := 0.0
	for i, x := range a {
		a[i] = math.Exp(x - mx)
		sum += a[i]
	}
	for i := range a {
		a[i] /= sum
	}
}
