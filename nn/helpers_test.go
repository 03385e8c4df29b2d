package nn

import "math/rand/v2"

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)) }

// randMat returns a rows×cols matrix with entries uniform in [-1, 1).
func randMat(r *rand.Rand, rows, cols int) Mat {
	m := NewMat(rows, cols)
	for i := range m.Data {
		m.Data[i] = float32(2*r.Float64() - 1)
	}
	return m
}

// binMat returns a rows×cols matrix of 0/1 entries.
func binMat(r *rand.Rand, rows, cols int) Mat {
	m := NewMat(rows, cols)
	for i := range m.Data {
		if r.IntN(2) == 1 {
			m.Data[i] = 1
		}
	}
	return m
}

// dot64 returns Σ a·b in float64: a linear "loss" whose gradient with
// respect to a is b.
func dot64(a, b []float32) float64 {
	s := 0.0
	for i := range a {
		s += float64(a[i]) * float64(b[i])
	}
	return s
}

// logLik64 is Σ_rows BernoulliLogLik accumulated entirely in float64, so
// finite differences are not swamped by float32 rounding of row sums.
func logLik64(x, l Mat) float64 {
	s := 0.0
	for r := 0; r < x.Rows; r++ {
		s += rowLogLik(x.Row(r), l.Row(r), nil)
	}
	return s
}

// must returns v, failing the test binary on err (a constructor's result).
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
