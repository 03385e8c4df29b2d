package nn

import (
	"math"
	"testing"
)

// LogSumExp, LogSoftmax and SoftmaxInPlace against the direct formulas on
// moderate values, and stability where the direct formulas overflow.
func TestSoftmax(t *testing.T) {
	r := newRand(95)
	for trial := 0; trial < 50; trial++ {
		n := 1 + r.IntN(12)
		h := make([]float32, n)
		a := make([]float64, n)
		var sum float64
		for i := range h {
			h[i] = float32(4 * r.NormFloat64())
			a[i] = float64(h[i])
			sum += math.Exp(a[i])
		}
		if got, want := LogSumExp(h), math.Log(sum); math.Abs(got-want) > 1e-12*(1+math.Abs(want)) {
			t.Fatalf("LogSumExp %v, want %v", got, want)
		}
		out := LogSoftmax(h, make([]float64, n+3))
		SoftmaxInPlace(a)
		if len(out) != n {
			t.Fatalf("LogSoftmax returned %d entries for %d", len(out), n)
		}
		for i := range h {
			want := math.Exp(float64(h[i])) / sum
			if math.Abs(math.Exp(out[i])-want) > 1e-12 || math.Abs(a[i]-want) > 1e-12 {
				t.Fatalf("entry %d: log-softmax %v, softmax %v, want %v", i, math.Exp(out[i]), a[i], want)
			}
		}
	}
	big := []float32{1000, 1000}
	if got := LogSumExp(big); math.Abs(got-(1000+math.Ln2)) > 1e-9 {
		t.Errorf("LogSumExp(1000, 1000) = %v", got)
	}
	v := []float64{-1000, 1000, 1000}
	SoftmaxInPlace(v)
	if v[0] != 0 || v[1] != 0.5 || v[2] != 0.5 {
		t.Errorf("SoftmaxInPlace(−1000, 1000, 1000) = %v", v)
	}
}
