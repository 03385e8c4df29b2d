package nn

import (
	"strings"
	"testing"
)

// TestGradCheckDetectsWrongGradient makes sure the checker can fail: a
// gradient off by 10 % or of the wrong sign must be reported with the
// parameter's name.
func TestGradCheckDetectsWrongGradient(t *testing.T) {
	r := newRand(12)
	l := must(NewLinear(4, 3, r))
	x := randMat(r, 2, 4)
	coef := randMat(r, 2, 3)
	y := NewMat(2, 3)
	loss := func() float64 { l.Forward(x, y); return dot64(y.Data, coef.Data) }
	for _, corrupt := range []float32{1.1, -1} {
		ps := l.Params()
		ZeroGrad(ps)
		l.Backward(x, coef, Mat{})
		for i := range l.GW {
			l.GW[i] *= corrupt
		}
		err := GradCheck(loss, ps, 1e-2, 1e-2, r, 40)
		if err == nil || !strings.Contains(err.Error(), `"W"`) {
			t.Fatalf("corrupt factor %v: GradCheck returned %v, want an error naming W", corrupt, err)
		}
	}
	if err := GradCheck(loss, nil, 1e-2, 1e-2, r, 5); err == nil {
		t.Fatal("GradCheck with no parameters returned nil")
	}
}
