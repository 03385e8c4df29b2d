package nn

import (
	"math"
	"testing"
)

func refSoftplus(x float64) float64 { return math.Max(x, 0) + math.Log1p(math.Exp(-math.Abs(x))) }

func TestExpNonPos(t *testing.T) {
	for y := -750.0; y <= 0; y += 0.0137 {
		got, want := expNonPos(y), math.Exp(max(y, -700))
		if math.Abs(got-want) > 1e-12*want {
			t.Fatalf("expNonPos(%v) = %v, want %v", y, got, want)
		}
	}
	if got := expNonPos(0); got != 1 {
		t.Fatalf("expNonPos(0) = %v", got)
	}
}

func TestLog1pExpNeg(t *testing.T) {
	for a := 0.0; a <= 60; a += 1.0 / 1024 / 3 {
		got, want := log1pExpNeg(a), math.Log1p(math.Exp(-a))
		if math.Abs(got-want) > 2e-9 || math.Abs(got-want) > 2e-8*want {
			t.Fatalf("log1pExpNeg(%v) = %v, want %v", a, got, want)
		}
	}
	for a := 0.0; a <= 60; a += 1.0 / 1024 / 3 {
		got, want := sigmoidNeg(a), 1/(1+math.Exp(a))
		if math.Abs(got-want) > 2e-9 || math.Abs(got-want) > 2e-8*want {
			t.Fatalf("sigmoidNeg(%v) = %v, want %v", a, got, want)
		}
	}
	if !math.IsNaN(log1pExpNeg(math.NaN())) || log1pExpNeg(math.Inf(1)) > 1e-300 {
		t.Fatal("log1pExpNeg: wrong NaN or +Inf handling")
	}
}

func TestSoftplusSigmoid(t *testing.T) {
	for x := -120.0; x <= 120; x += 0.00731 {
		sp, want := float64(Softplus(float32(x))), refSoftplus(float64(float32(x)))
		if math.Abs(sp-want) > 1.2e-7*max(want, 1e-30) {
			t.Fatalf("Softplus(%v) = %v, want %v", x, sp, want)
		}
		sg := float64(Sigmoid(float32(x)))
		xs := float64(float32(x))
		wantS := 1 / (1 + math.Exp(-xs))
		if math.Abs(sg-wantS) > 1.2e-7*wantS+1e-38 {
			t.Fatalf("Sigmoid(%v) = %v, want %v", x, sg, wantS)
		}
	}
	// Extremes: no overflow, no NaN.
	for _, x := range []float32{-math.MaxFloat32, -1e30, 1e30, math.MaxFloat32} {
		if s := Softplus(x); math.IsNaN(float64(s)) || s < 0 {
			t.Fatalf("Softplus(%v) = %v", x, s)
		}
		if s := Sigmoid(x); math.IsNaN(float64(s)) || s < 0 || s > 1 {
			t.Fatalf("Sigmoid(%v) = %v", x, s)
		}
	}
	if Softplus(0) != float32(math.Ln2) || Sigmoid(0) != 0.5 {
		t.Fatalf("Softplus(0) = %v, Sigmoid(0) = %v", Softplus(0), Sigmoid(0))
	}
}

var sinkF float64

func BenchmarkSoftplus(b *testing.B) {
	xs := make([]float64, 4096)
	for i := range xs {
		xs[i] = float64(i%200-100) / 10
	}
	for b.Loop() {
		s := 0.0
		for _, x := range xs {
			s += softplus64(x)
		}
		sinkF = s
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(xs)), "ns/elem")
}

func BenchmarkSoftplusMath(b *testing.B) {
	xs := make([]float64, 4096)
	for i := range xs {
		xs[i] = float64(i%200-100) / 10
	}
	for b.Loop() {
		s := 0.0
		for _, x := range xs {
			s += refSoftplus(x)
		}
		sinkF = s
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(xs)), "ns/elem")
}
