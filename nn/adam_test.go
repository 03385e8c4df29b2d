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
	a := must(NewAdam([]Param{{Name: "w", W: w, G: g}}, 0.1))
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
	a := must(NewAdam(nil, 1))
	for _, n := range []int{0, 1, 1<<24 - 1, 1 << 24, 123456789} {
		a.setSteps(n)
		if a.Steps() != n {
			t.Fatalf("step count %d stored as %d", n, a.Steps())
		}
	}
}

func TestAdamNoAllocs(t *testing.T) {
	m := must(NewMLP(20, 10, 5, newRand(11)))
	a := must(NewAdam(m.Params(), 1e-3))
	if n := testing.AllocsPerRun(10, a.Step); n != 0 {
		t.Fatalf("Adam.Step allocates %v times", n)
	}
}

// TestAdamKernelMatchesGo checks the build's adamUpdate (vectorised C in
// the default build) against adamUpdateGo, the pure-Go build's kernel, bit
// for bit, at every kernel level the CPU runs (AVX-512F, AVX, SSE), on
// lengths that exercise the vector bodies and the scalar tails. It also
// holds under GOAMD64=v3, where the Go compiler may fuse multiply-adds
// unless told not to (see adamUpdateGo).
func TestAdamKernelMatchesGo(t *testing.T) {
	defer setKernelLevel(setKernelLevel(2))
	r := newRand(15)
	seen := map[int]bool{}
	for lvl := 2; lvl >= 0; lvl-- {
		setKernelLevel(lvl)
		seen[adamLevel()] = true
		for _, n := range []int{1, 3, 4, 7, 8, 9, 15, 16, 17, 33, 1000} {
			mk := func() []float32 { return randMat(r, 1, n).Data }
			w, g, m, v := mk(), mk(), mk(), mk()
			for i := range v {
				v[i] = v[i] * v[i]
			}
			w2, m2, v2 := append([]float32{}, w...), append([]float32{}, m...), append([]float32{}, v...)
			for range 3 {
				adamUpdate(w, g, m, v, 0.9, 0.1, 0.999, 0.001, 0.01, 1.3, 1e-8)
				adamUpdateGo(w2, g, m2, v2, 0.9, 0.1, 0.999, 0.001, 0.01, 1.3, 1e-8)
			}
			if !equalF32(w, w2) || !equalF32(m, m2) || !equalF32(v, v2) {
				t.Fatalf("%s, Adam level %d, n=%d: kernel and adamUpdateGo differ", Kernels(), adamLevel(), n)
			}
		}
	}
	t.Logf("%s: Adam kernel levels tested: %v", Kernels(), seen)
}

// TestAdamGoNotFused pins adamUpdateGo to separately rounded float32
// operations: on inputs where an FMA in any of its multiply-adds changes
// the result, it must give the unfused value (as GOAMD64=v1 and the C
// kernels do). Computed in float64 and rounded after each operation.
func TestAdamGoNotFused(t *testing.T) {
	r := newRand(23)
	b1, c1, b2, c2, step, inv, eps := float32(0.9), float32(0.1), float32(0.999), float32(0.001), float32(0.01), float32(1.3), float32(1e-8)
	rd := func(x float64) float64 { return float64(float32(x)) }
	for k := 0; k < 1000; k++ {
		w, g, m, v := []float32{r.Float32()}, []float32{r.Float32()*2 - 1}, []float32{r.Float32()*2 - 1}, []float32{r.Float32()}
		gj, mj0, vj0, wj := float64(g[0]), float64(m[0]), float64(v[0]), float64(w[0])
		mj := rd(rd(float64(b1)*mj0) + rd(float64(c1)*gj))
		vj := rd(rd(float64(b2)*vj0) + rd(rd(float64(c2)*gj)*gj))
		den := rd(rd(rd(math.Sqrt(vj))*float64(inv)) + float64(eps))
		want := rd(wj - rd(rd(float64(step)*mj)/den))
		adamUpdateGo(w, g, m, v, b1, c1, b2, c2, step, inv, eps)
		if float64(m[0]) != mj || float64(v[0]) != vj || float64(w[0]) != want {
			t.Fatalf("case %d: got m %v v %v w %v, want %v %v %v (separately rounded)", k, m[0], v[0], w[0], mj, vj, want)
		}
	}
}
