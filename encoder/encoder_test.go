package encoder

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/argmaxvae/argmaxvae/nn"
)

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 77)) }

// newPairwise is an encoder for n latents of k states plus pairs pairwise
// weights, nonnegative (softplus) when super.
func newPairwise(d, hidden, n, k, pairs int, super bool, r *rand.Rand) *Encoder {
	nonneg := make([]bool, n*k+pairs)
	for j := n * k; j < len(nonneg); j++ {
		nonneg[j] = super
	}
	e, err := New(d, hidden, n*k+pairs, nonneg, r)
	if err != nil {
		panic(err)
	}
	return e
}

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
		e := newPairwise(6, 7, 3, 2, 4, super, r)
		// Larger output-layer weights make the pairwise raw scores spread
		// over the softplus's curved region.
		for i := range e.Net.L2.W {
			e.Net.L2.W[i] *= 4
		}
		x := randMat(r, 5, 6, 1)
		coef := randMat(r, 5, e.Width, 1)
		loss := func() float64 {
			s := mustMat(e.Forward(x))
			acc := 0.0
			for i := range coef.Data {
				acc += float64(coef.Data[i]) * float64(s.Data[i])
			}
			return acc
		}
		ps := e.Params()
		nn.ZeroGrad(ps)
		mustMat(e.Forward(x))
		noErr(e.Backward(x, coef))
		if err := nn.GradCheck(loss, ps, 3e-3, 1e-2, r, 200); err != nil {
			t.Fatalf("supermodular=%v: %v", super, err)
		}
	}
}

func TestSupermodularScores(t *testing.T) {
	r := newRand(2)
	e := newPairwise(5, 6, 2, 3, 3, true, r)
	plain := &Encoder{Net: e.Net, Width: 9}
	x := randMat(r, 4, 5, 3)
	raw := append([]float32{}, mustMat(plain.Forward(x)).Data...)
	s := mustMat(e.Forward(x))
	for b := 0; b < 4; b++ {
		for j := 0; j < e.Width; j++ {
			got, pre := float64(s.At(b, j)), float64(raw[b*e.Width+j])
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
	e := newPairwise(20, 10, 4, 2, 6, true, r)
	x := randMat(r, 8, 20, 1)
	d := randMat(r, 8, e.Width, 1)
	xb := binMat(r, 100, 20, 0.1)
	db := randMat(r, 100, e.Width, 1)
	step := func() {
		mustMat(e.Forward(x))
		noErr(e.Backward(x, d))
		mustMat(e.Forward(xb))
		noErr(e.Backward(xb, db))
	}
	step()
	if a := testing.AllocsPerRun(10, step); a != 0 {
		t.Fatalf("Forward/Backward allocate %v times", a)
	}
}

func binMat(r *rand.Rand, rows, cols int, p float64) nn.Mat {
	m := nn.NewMat(rows, cols)
	for i := range m.Data {
		if r.Float64() < p {
			m.Data[i] = 1
		}
	}
	return m
}

// TestSparseMatchesDense runs the same encoder on sparse binary images
// through the sparse first layer and with Dense set, and compares scores
// and every parameter gradient.
func TestSparseMatchesDense(t *testing.T) {
	for _, super := range []bool{false, true} {
		r := newRand(4)
		e := newPairwise(784, 300, 3, 2, 3, super, r)
		x := binMat(r, 100, 784, 0.13)
		d := randMat(r, 100, e.Width, 1)
		run := func(dense bool) ([]float32, [][]float32) {
			e.Dense = dense
			ps := e.Params()
			nn.ZeroGrad(ps)
			s := append([]float32(nil), mustMat(e.Forward(x)).Data...)
			if e.sparse == dense {
				t.Fatalf("Dense=%v but sparse path used = %v", dense, e.sparse)
			}
			noErr(e.Backward(x, d))
			var g [][]float32
			for _, p := range ps {
				g = append(g, append([]float32(nil), p.G...))
			}
			return s, g
		}
		sd, gd := run(true)
		ss, gs := run(false)
		for i := range sd {
			if math.Abs(float64(sd[i]-ss[i])) > 1e-5*(1+math.Abs(float64(sd[i]))) {
				t.Fatalf("supermodular=%v score %d: sparse %v, dense %v", super, i, ss[i], sd[i])
			}
		}
		for p := range gd {
			for i := range gd[p] {
				if math.Abs(float64(gd[p][i]-gs[p][i])) > 1e-4*(1+math.Abs(float64(gd[p][i]))) {
					t.Fatalf("supermodular=%v param %s[%d]: sparse %v, dense %v", super, e.Params()[p].Name, i, gs[p][i], gd[p][i])
				}
			}
		}
	}
}

// TestSparseGradCheck checks the parameter gradients of the sparse path
// against finite differences.
func TestSparseGradCheck(t *testing.T) {
	r := newRand(5)
	e := newPairwise(64, 7, 3, 2, 3, true, r)
	for i := range e.Net.L2.W {
		e.Net.L2.W[i] *= 4
	}
	x := binMat(r, 40, 64, 0.1)
	coef := randMat(r, 40, e.Width, 1)
	loss := func() float64 {
		s := mustMat(e.Forward(x))
		acc := 0.0
		for i := range coef.Data {
			acc += float64(coef.Data[i]) * float64(s.Data[i])
		}
		return acc
	}
	ps := e.Params()
	nn.ZeroGrad(ps)
	mustMat(e.Forward(x))
	if !e.sparse {
		t.Fatal("sparse path not chosen for 10% ones in a batch of 40")
	}
	noErr(e.Backward(x, coef))
	if err := nn.GradCheck(loss, ps, 1e-3, 1e-2, r, 200); err != nil {
		t.Fatal(err)
	}
}

// TestPathChoice: dense or non-binary inputs and tiny batches multiply;
// Backward given a copy of x (not the matrix Forward saw) still gets the
// same gradients.
func TestPathChoice(t *testing.T) {
	r := newRand(6)
	e := newPairwise(784, 50, 1, 10, 0, false, r)
	cases := []struct {
		name   string
		x      nn.Mat
		sparse int // 1: sparse, 0: dense, -1: as the cost model says
	}{
		{"mnist-like", binMat(r, 100, 784, 0.13), 1},
		{"fashion-like", binMat(r, 100, 784, 0.45), -1},
		{"mostly ones", binMat(r, 100, 784, 0.8), 0},
		{"gray", randMat(r, 100, 784, 1), 0},
		{"one image", binMat(r, 1, 784, 0.13), 0},
	}
	for _, c := range cases {
		mustMat(e.Forward(c.x))
		want := c.sparse == 1
		if c.sparse < 0 {
			var xs nn.BinaryRows
			want = xs.Set(c.x) == nil && e.Net.L1.PreferBinary(&xs)
		}
		if e.sparse != want {
			t.Errorf("%s: sparse path %v, want %v", c.name, e.sparse, want)
		}
	}
	x := binMat(r, 100, 784, 0.13)
	d := randMat(r, 100, e.Width, 1)
	ps := e.Params()
	nn.ZeroGrad(ps)
	mustMat(e.Forward(x))
	noErr(e.Backward(x, d))
	want := append([]float32(nil), ps[0].G...)
	nn.ZeroGrad(ps)
	mustMat(e.Forward(x))
	xc := nn.Mat{Rows: x.Rows, Cols: x.Cols, Data: append([]float32(nil), x.Data...)}
	noErr(e.Backward(xc, d))
	for i := range want {
		if ps[0].G[i] != want[i] {
			t.Fatalf("gradient %d with a copy of x: %v, want %v", i, ps[0].G[i], want[i])
		}
	}
}

// New refuses each bad size (and a nil generator) with an error that
// names it, instead of panicking.
func TestNewRefusesBadSizes(t *testing.T) {
	r := newRand(1)
	for _, c := range []struct {
		d, hidden, width int
		nonneg           []bool
		r                *rand.Rand
		want             string
	}{
		{0, 4, 3, nil, r, "input width"},
		{5, 0, 3, nil, r, "hidden width"},
		{5, 4, 0, nil, r, "output width"},
		{5, 4, 3, []bool{true}, r, "1 sign flags for 3 outputs"},
		{5, 4, 3, nil, nil, "nil random generator"},
		{1 << 30, 1 << 20, 3, nil, r, "more than 2^40 weights"},
		{5, 1 << 40, 3, nil, r, "more than 2^40 weights"},
	} {
		e, err := New(c.d, c.hidden, c.width, c.nonneg, c.r)
		if err == nil || e != nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("New(%d, %d, %d, %d signs): %v, %v; want an error naming %q", c.d, c.hidden, c.width, len(c.nonneg), e, err, c.want)
		}
	}
	e, err := New(5, 4, 3, []bool{false, true, false}, r)
	if err != nil || e.Width != 3 || !e.NonNegative(1) || e.NonNegative(0) {
		t.Errorf("New(5, 4, 3, signs) = %+v, %v", e, err)
	}
}

// noErr fails the test binary on an error the test did not expect.
func noErr(err error) {
	if err != nil {
		panic(err)
	}
}

// mustMat returns m, failing the test binary on an error.
func mustMat(m nn.Mat, err error) nn.Mat {
	noErr(err)
	return m
}

// Forward and Backward refuse bad shapes and a Backward without a Forward
// with an error naming the problem, and never panic, for an encoder with
// and without softplus outputs.
func TestBadInputIsAnError(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, nonneg := range [][]bool{nil, {false, true, true}} {
		e, err := New(5, 4, 3, nonneg, r)
		if err != nil {
			t.Fatal(err)
		}
		x, ds := nn.NewMat(2, 5), nn.NewMat(2, 3)
		cases := []struct {
			name, want string
			call       func() error
		}{
			{"Backward before Forward", "before any Forward", func() error { return e.Backward(x, ds) }},
			{"Forward: wrong width", "x is 2×4", func() error { _, err := e.Forward(nn.NewMat(2, 4)); return err }},
			{"Forward: short data", "x is 2×5 with 9 values", func() error {
				_, err := e.Forward(nn.Mat{Rows: 2, Cols: 5, Data: make([]float32, 9)})
				return err
			}},
			{"Forward: negative rows", "x is -1×5", func() error { _, err := e.Forward(nn.Mat{Rows: -1, Cols: 5}); return err }},
			{"Forward: rows·cols overflows", "with 10 values", func() error {
				_, err := e.Forward(nn.Mat{Rows: 3689348814741910323, Cols: 5, Data: make([]float32, 10)})
				return err
			}},
			{"forward then", "", func() error { _, err := e.Forward(x); return err }},
			{"Backward: x rows", "x is 3×5", func() error { return e.Backward(nn.NewMat(3, 5), ds) }},
			{"Backward: x width", "x is 2×6", func() error { return e.Backward(nn.NewMat(2, 6), ds) }},
			{"Backward: dscores rows", "dscores is 1×3", func() error { return e.Backward(x, nn.NewMat(1, 3)) }},
			{"Backward: dscores width", "dscores is 2×4", func() error { return e.Backward(x, nn.NewMat(2, 4)) }},
			{"Backward: good", "", func() error { return e.Backward(x, ds) }},
			{"zero Encoder", "not made by encoder.New", func() error { _, err := (&Encoder{}).Forward(x); return err }},
			{"zero Encoder Params", "none", func() error {
				if ps := (&Encoder{}).Params(); ps != nil {
					return nil
				}
				return errors.New("none")
			}},
			{"zero Encoder Backward", "before any Forward", func() error { return (&Encoder{}).Backward(x, ds) }},
		}
		for _, c := range cases {
			var err error
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Errorf("nonneg %v, %s: panic %v", nonneg, c.name, p)
					}
				}()
				err = c.call()
			}()
			if c.want == "" {
				if err != nil {
					t.Errorf("nonneg %v, %s: %v", nonneg, c.name, err)
				}
			} else if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("nonneg %v, %s: error %v, want one containing %q", nonneg, c.name, err, c.want)
			}
		}
	}
}
