package encoder

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/argmaxvae/argmaxvae/nn"
)

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 77)) }

func randMat(r *rand.Rand, rows, cols int, scale float64) nn.Mat {
	m := nn.NewMat(rows, cols)
	for i := range m.Data {
		m.Data[i] = float32(scale * (2*r.Float64() - 1))
	}
	return m
}

// TestGradCheck checks the encoder's parameter gradients for a random
// linear functional of the scores, with and without the softplus on the
// pairwise block.
func TestGradCheck(t *testing.T) {
	for _, super := range []bool{false, true} {
		r := newRand(1)
		e := New(6, 7, 3, 2, 4, super, r)
		// Larger output-layer weights make the pairwise raw scores spread
		// over the softplus's curved region.
		for i := range e.Net.L2.W {
			e.Net.L2.W[i] *= 4
		}
		x := randMat(r, 5, 6, 1)
		coef := randMat(r, 5, e.Width(), 1)
		loss := func() float64 {
			s := e.Forward(x)
			acc := 0.0
			for i := range coef.Data {
				acc += float64(coef.Data[i]) * float64(s.Data[i])
			}
			return acc
		}
		ps := e.Params()
		nn.ZeroGrad(ps)
		e.Forward(x)
		e.Backward(x, coef)
		if err := nn.GradCheck(loss, ps, 3e-3, 1e-2, r, 200); err != nil {
			t.Fatalf("supermodular=%v: %v", super, err)
		}
	}
}

func TestSupermodularScores(t *testing.T) {
	r := newRand(2)
	e := New(5, 6, 2, 3, 3, true, r)
	plain := &Encoder{Net: e.Net, N: 2, K: 3, Pairs: 3}
	x := randMat(r, 4, 5, 3)
	raw := append([]float32{}, plain.Forward(x).Data...)
	s := e.Forward(x)
	for b := 0; b < 4; b++ {
		for j := 0; j < e.Width(); j++ {
			got, pre := float64(s.At(b, j)), float64(raw[b*e.Width()+j])
			want := pre
			if j >= 6 {
				want = math.Log1p(math.Exp(pre))
				if got < 0 {
					t.Fatalf("pairwise score %d of row %d is negative: %v", j, b, got)
				}
			}
			if math.Abs(got-want) > 1e-6*(1+math.Abs(want)) {
				t.Fatalf("score [%d,%d] = %v, want %v", b, j, got, want)
			}
		}
	}
}

func TestNoAllocs(t *testing.T) {
	r := newRand(3)
	e := New(20, 10, 4, 2, 6, true, r)
	x := randMat(r, 8, 20, 1)
	d := randMat(r, 8, e.Width(), 1)
	step := func() { e.Forward(x); e.Backward(x, d) }
	step()
	if a := testing.AllocsPerRun(10, step); a != 0 {
		t.Fatalf("Forward/Backward allocate %v times", a)
	}
}
