package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)) }

// TestEnumSumsMatchesReference streams random chunks through Add at every
// kernel level and compares with the float64 reference addGo: spreads
// wider than the cut, skipped codes (sp = +∞), whole chunks skipped,
// lengths that are not multiples of a vector, and maxima that move both up
// and down between chunks.
func TestEnumSumsMatchesReference(t *testing.T) {
	defer setLevel(setLevel(1))
	for level := 0; level <= 1; level++ {
		setLevel(level)
		for trial := 0; trial < 60; trial++ {
			r := newRand(uint64(1000*level + trial))
			spread := []float64{0.5, 5, 80, 400}[trial%4]
			got, want := NewEnumSums(), NewEnumSums()
			for chunk := 0; chunk < 1+trial%5; chunk++ {
				n := r.IntN(40)
				xl, h, sp := make([]float32, n), make([]float32, n), make([]float64, n)
				shift := spread * (r.Float64() - 0.5)
				skipAll := r.IntN(7) == 0
				for c := range n {
					xl[c] = float32(spread*r.NormFloat64() + shift)
					h[c] = float32(spread*r.NormFloat64() - shift)
					sp[c] = 3 * r.Float64()
					if skipAll || r.IntN(5) == 0 {
						sp[c] = math.Inf(1)
					}
				}
				xb := r.NormFloat64()
				got.Add(xl, h, sp, xb, 60)
				want.addGo(xl, h, sp, xb, 60)
			}
			g := []float64{got.MF, got.SF, got.MH, got.SH, got.TH, got.TF}
			w := []float64{want.MF, want.SF, want.MH, want.SH, want.TH, want.TF}
			for i := range g {
				if !(g[i] == w[i] || math.Abs(g[i]-w[i]) <= 1e-13*(1+math.Abs(w[i]))) {
					t.Fatalf("level %d trial %d: sums %v, want %v (field %d)", level, trial, g, w, i)
				}
			}
		}
	}
}

func TestEnumSumsRejectsBadInput(t *testing.T) {
	for i, c := range []struct {
		xl, h []float32
		sp    []float64
		cut   float64
	}{
		{make([]float32, 3), make([]float32, 2), make([]float64, 3), 60},
		{make([]float32, 3), make([]float32, 3), make([]float64, 4), 60},
		{make([]float32, 3), make([]float32, 3), make([]float64, 3), 0},
		{make([]float32, 3), make([]float32, 3), make([]float64, 3), math.NaN()},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("case %d: no panic", i)
				}
			}()
			s := NewEnumSums()
			s.Add(c.xl, c.h, c.sp, 0, c.cut)
		}()
	}
}

// BenchmarkEnumSums is one image against 2,048 codes (one chunk of
// train.ExactLikelihood), at each kernel level.
func BenchmarkEnumSums(b *testing.B) {
	defer setLevel(setLevel(1))
	r := newRand(5)
	n := 2048
	xl, h, sp := make([]float32, n), make([]float32, n), make([]float64, n)
	for c := range n {
		xl[c], h[c], sp[c] = float32(10*r.NormFloat64()), float32(5*r.NormFloat64()), r.Float64()
	}
	for _, level := range []int{1, 0, -1} {
		name := fmt.Sprintf("level%d", level)
		if level < 0 {
			name = "go"
		}
		b.Run(name, func(b *testing.B) {
			setLevel(max(level, 0))
			s := NewEnumSums()
			for b.Loop() {
				if level < 0 {
					s.addGo(xl, h, sp, 0, 60)
				} else {
					s.Add(xl, h, sp, 0, 60)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/code")
		})
	}
}

// TestShiftReLUMatchesReference compares the kernel with the Go loop bit
// for bit at every level (no fused operations: − then +).
func TestShiftReLUMatchesReference(t *testing.T) {
	defer setLevel(setLevel(1))
	r := newRand(20)
	for lvl := 1; lvl >= 0; lvl-- {
		setLevel(lvl)
		for _, n := range []int{0, 1, 7, 8, 9, 300} {
			base, sub, add := randSlice(r, n), randSlice(r, n), randSlice(r, n)
			if n > 2 {
				base[1] = float32(math.NaN())
			}
			got, want := make([]float32, n), make([]float32, n)
			ShiftReLU(got, base, sub, add)
			shiftReluGo(want, base, sub, add)
			for i := range want {
				if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
					t.Fatalf("level %d n=%d: [%d] = %v, want %v", lvl, n, i, got[i], want[i])
				}
			}
		}
	}
}

// randSlice returns n entries uniform in [-1, 1).
func randSlice(r *rand.Rand, n int) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(2*r.Float64() - 1)
	}
	return v
}

// TestEnumSumsSmallExample checks the sums against a hand computation:
// two chunks, one code skipped (sp = +∞).
func TestEnumSumsSmallExample(t *testing.T) {
	s := NewEnumSums()
	inf := math.Inf(1)
	s.Add([]float32{-2, -1}, []float32{0.5, 1}, []float64{0.5, 0.25}, 0, 60)
	s.Add([]float32{-3, 7}, []float32{2, 0}, []float64{1, inf}, 0, 60)
	got := s.MF + math.Log(s.SF)
	want := math.Log(math.Exp(-2.5) + math.Exp(-1.25) + math.Exp(-4))
	if math.Abs(got-want) > 1e-14 {
		t.Errorf("log Σ e^f = %v, want %v", got, want)
	}
}
