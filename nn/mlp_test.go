package nn

import "testing"

// TestMLPGradCheck checks every parameter and the input gradient of an MLP
// under a Bernoulli log-likelihood loss (the decoder's use).
func TestMLPGradCheck(t *testing.T) {
	r := newRand(6)
	m := must(NewMLP(5, 8, 6, r))
	x := randMat(r, 4, 5)
	target := binMat(r, 4, 6)
	loss := func() float64 { return logLik64(target, m.Forward(x)) }
	ps := m.Params()
	ZeroGrad(ps)
	out := m.Forward(x)
	dout := NewMat(4, 6)
	BernoulliLogLikGrad(target, out, nil, dout)
	dx := NewMat(4, 5)
	m.Backward(x, dout, dx)
	ps = append(ps, Param{Name: "x", W: x.Data, G: dx.Data})
	if err := GradCheck(loss, ps, 3e-3, 1e-2, r, 200); err != nil {
		t.Fatal(err)
	}
}

func TestMLPParamNames(t *testing.T) {
	m := must(NewMLP(3, 4, 2, newRand(7)))
	want := []string{"l1.W", "l1.B", "l2.W", "l2.B"}
	ps := m.Params()
	for i, p := range ps {
		if p.Name != want[i] {
			t.Fatalf("param %d named %q, want %q", i, p.Name, want[i])
		}
	}
	if NumParams(ps) != 3*4+4+4*2+2 {
		t.Fatalf("NumParams = %d", NumParams(ps))
	}
}

func TestMLPBatchSizesAndAllocs(t *testing.T) {
	r := newRand(8)
	m := must(NewMLP(30, 20, 10, r))
	big, small := randMat(r, 16, 30), randMat(r, 5, 30)
	// A smaller batch after a bigger one gives the same rows as computing
	// those rows alone.
	want := append([]float32{}, m.Forward(big.Slice(0, 5)).Data...)
	m.Forward(big)
	if got := m.Forward(big.Slice(0, 5)); len(got.Data) != len(want) {
		t.Fatalf("output has %d values, want %d", len(got.Data), len(want))
	} else {
		for i := range want {
			if got.Data[i] != want[i] {
				t.Fatalf("output %d = %v after resizing, want %v", i, got.Data[i], want[i])
			}
		}
	}
	dout := randMat(r, 16, 10)
	dx := NewMat(16, 30)
	step := func() {
		m.Forward(big)
		m.Backward(big, dout, dx)
		m.Forward(small)
		m.Backward(small, dout.Slice(0, 5), dx.Slice(0, 5))
	}
	step()
	if a := testing.AllocsPerRun(20, step); a != 0 {
		t.Fatalf("MLP Forward/Backward allocates %v times per step, want 0", a)
	}
}
