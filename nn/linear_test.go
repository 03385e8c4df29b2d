package nn

import (
	"math"
	"testing"
)

func TestLinearForwardMatchesLoop(t *testing.T) {
	r := newRand(3)
	l := must(NewLinear(7, 5, r))
	x := randMat(r, 4, 7)
	y := NewMat(4, 5)
	l.Forward(x, y)
	for b := 0; b < 4; b++ {
		for o := 0; o < 5; o++ {
			want := float64(l.B[o])
			for i := 0; i < 7; i++ {
				want += float64(x.At(b, i)) * float64(l.W[o*7+i])
			}
			if math.Abs(float64(y.At(b, o))-want) > 1e-5 {
				t.Fatalf("y[%d,%d] = %v, want %v", b, o, y.At(b, o), want)
			}
		}
	}
}

func TestLinearInitRange(t *testing.T) {
	l := must(NewLinear(784, 300, newRand(4)))
	bound := float32(1 / math.Sqrt(784))
	var lo, hi float32
	for _, v := range append(append([]float32{}, l.W...), l.B...) {
		if v < -bound || v > bound {
			t.Fatalf("initial value %v outside ±%v", v, bound)
		}
		lo, hi = min(lo, v), max(hi, v)
	}
	if lo > -0.99*bound || hi < 0.99*bound {
		t.Fatalf("initial values span [%v, %v], expected to fill ±%v", lo, hi, bound)
	}
}

// TestLinearGradCheck checks W, B and dx against central differences of a
// random linear functional of the output.
func TestLinearGradCheck(t *testing.T) {
	r := newRand(5)
	l := must(NewLinear(6, 4, r))
	x := randMat(r, 3, 6)
	coef := randMat(r, 3, 4)
	y := NewMat(3, 4)
	loss := func() float64 { l.Forward(x, y); return dot64(y.Data, coef.Data) }
	ps := l.Params()
	ZeroGrad(ps)
	dx := NewMat(3, 6)
	l.Backward(x, coef, dx)
	ps = append(ps, Param{Name: "x", W: x.Data, G: dx.Data})
	if err := GradCheck(loss, ps, 1e-2, 1e-2, r, 60); err != nil {
		t.Fatal(err)
	}
	// Backward accumulates: a second call doubles the parameter gradients.
	gw := append([]float32{}, l.GW...)
	l.Backward(x, coef, Mat{})
	for i := range gw {
		if math.Abs(float64(l.GW[i]-2*gw[i])) > 1e-5 {
			t.Fatalf("GW[%d] after two Backward calls = %v, want %v", i, l.GW[i], 2*gw[i])
		}
	}
}
