package nn

import (
	"math"
	"testing"
)

// TestAdamTwoSteps compares two updates with values worked out by hand from
// the PyTorch formulas (lr 0.1, β₁ 0.9, β₂ 0.999, eps 1e-8):
// step 1, g = (0.5, 0): m = (0.05, 0), v = (2.5e-4, 0), w = (0.9, −2);
// step 2, g = (−1, 3): m = (−0.055, 0.3), v = (1.24975e-3, 9e-3),
// w₀ = 0.9 + 0.1·(0.055/0.19)/√(1.24975e-3/1.999e-3) = 0.93661035,
// w₁ = −2 − 0.1·(0.3/0.19)/√(9e-3/1.999e-3) = −2.07441368.
func TestAdamTwoSteps(t *testing.T) {
	w, g := []float32{1, -2}, []float32{0.5, 0}
	a := NewAdam([]Param{{Name: "w", W: w, G: g}}, 0.1)
	a.Step()
	if math.Abs(float64(w[0])-0.9) > 1e-6 || w[1] != -2 {
		t.Fatalf("after step 1: w = %v, want [0.9 -2]", w)
	}
	g[0], g[1] = -1, 3
	a.Step()
	want := []float64{0.9366103542405653, -2.0744136820059964}
	for i := range w {
		if math.Abs(float64(w[i])-want[i]) > 2e-6 {
			t.Fatalf("after step 2: w[%d] = %.8f, want %.8f", i, w[i], want[i])
		}
	}
	if a.Steps() != 2 {
		t.Fatalf("Steps() = %d, want 2", a.Steps())
	}
	st := a.State()
	if len(st) != 3 || st[0].Name != "adam.m/w" || st[1].Name != "adam.v/w" || st[2].Name != "adam.step" {
		t.Fatalf("State names: %v", st)
	}
	// β₂ = 0.999 is not exact in float32 (1−β₂ is 1.3e-5 relatively off),
	// hence the looser tolerance on v.
	if math.Abs(float64(st[0].W[0])+0.055) > 1e-7 || math.Abs(float64(st[1].W[1])-9e-3) > 2e-5*9e-3 {
		t.Fatalf("moments m = %v, v = %v", st[0].W, st[1].W)
	}
}

func TestAdamStepCountExact(t *testing.T) {
	a := NewAdam(nil, 1)
	for _, n := range []int{0, 1, 1<<24 - 1, 1 << 24, 123456789} {
		a.setSteps(n)
		if a.Steps() != n {
			t.Fatalf("step count %d stored as %d", n, a.Steps())
		}
	}
}

func TestAdamNoAllocs(t *testing.T) {
	m := NewMLP(20, 10, 5, newRand(11))
	a := NewAdam(m.Params(), 1e-3)
	if n := testing.AllocsPerRun(10, a.Step); n != 0 {
		t.Fatalf("Adam.Step allocates %v times", n)
	}
}
