package nn

import (
	"math"
	"testing"
)

func TestBernoulliLogLikReference(t *testing.T) {
	r := newRand(9)
	x := binMat(r, 5, 40)
	x.Data[3] = 0.25 // fractional targets are allowed
	l := randMat(r, 5, 40)
	for i := range l.Data {
		l.Data[i] *= 30 // large logits exercise the stable form
	}
	l.Data[0], l.Data[1] = 90, -90
	out := make([]float32, 5)
	BernoulliLogLik(x, l, out)
	for b := 0; b < 5; b++ {
		want := 0.0
		for d := 0; d < 40; d++ {
			lv, xv := float64(l.At(b, d)), float64(x.At(b, d))
			// −BCE written with log σ(l) and log(1−σ(l)) in float64.
			want += xv*-math.Log1p(math.Exp(-lv)) + (1-xv)*-math.Log1p(math.Exp(lv))
		}
		if math.Abs(float64(out[b])-want) > 1e-5*math.Abs(want) {
			t.Fatalf("row %d: %v, want %v", b, out[b], want)
		}
	}
}

func TestBernoulliGradAndFused(t *testing.T) {
	r := newRand(10)
	x := binMat(r, 3, 7)
	l := randMat(r, 3, 7)
	for i := range l.Data {
		l.Data[i] *= 4
	}
	scale := []float32{1, -0.5, 2}
	out := make([]float32, 3)
	loss := func() float64 {
		s := 0.0
		for r := range 3 {
			s += float64(scale[r]) * rowLogLik(x.Row(r), l.Row(r), nil)
		}
		return s
	}
	g := NewMat(3, 7)
	BernoulliLogLikGrad(x, l, scale, g)
	if err := GradCheck(loss, []Param{{Name: "logits", W: l.Data, G: g.Data}}, 1e-3, 1e-2, r, 21); err != nil {
		t.Fatal(err)
	}
	out2 := make([]float32, 3)
	g2 := NewMat(3, 7)
	BernoulliLogLik(x, l, out)
	BernoulliLogLikAndGrad(x, l, scale, out2, g2)
	for i := range out {
		if out[i] != out2[i] {
			t.Fatalf("fused log-likelihood row %d = %v, want %v", i, out2[i], out[i])
		}
	}
	for i := range g.Data {
		if g.Data[i] != g2.Data[i] {
			t.Fatalf("fused gradient %d = %v, want %v", i, g2.Data[i], g.Data[i])
		}
	}
	// In place: dlogits aliasing logits.
	BernoulliLogLikAndGrad(x, l, scale, out2, l)
	for i := range g.Data {
		if g.Data[i] != l.Data[i] {
			t.Fatalf("in-place gradient %d = %v, want %v", i, l.Data[i], g.Data[i])
		}
	}
}
