package decoder

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/argmaxvae/argmaxvae/nn"
)

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 5)) }

func binMat(r *rand.Rand, rows, cols int) nn.Mat {
	m := nn.NewMat(rows, cols)
	for i := range m.Data {
		if r.IntN(3) == 0 {
			m.Data[i] = 1
		}
	}
	return m
}

func randStates(r *rand.Rand, b, n, k int) []int {
	z := make([]int, b*n)
	for i := range z {
		z[i] = r.IntN(k)
	}
	return z
}

// logLik64 is Σ_rows log p(x|logits) in float64.
func logLik64(x, l nn.Mat) float64 {
	s := 0.0
	for b := 0; b < x.Rows; b++ {
		s += nn.BernoulliLogLikRow(x.Row(b), l.Row(b), nil)
	}
	return s
}

// naiveVariants evaluates every variant with OneHot, Forward and the
// log-likelihood, one decoder pass per (example, latent, state).
func naiveVariants(d *Decoder, x nn.Mat, z []int) []float64 {
	N, K := d.N, d.K
	out := make([]float64, x.Rows*N*K)
	code := make([]int, N)
	oh := nn.NewMat(1, N*K)
	for b := 0; b < x.Rows; b++ {
		for i := 0; i < N; i++ {
			for s := 0; s < K; s++ {
				copy(code, z[b*N:(b+1)*N])
				code[i] = s
				noErr(OneHot(code, N, K, oh))
				l := mustMat(d.Forward(oh))
				out[b*N*K+i*K+s] = nn.BernoulliLogLikRow(x.Row(b), l.Row(0), nil)
			}
		}
	}
	return out
}

func TestVariantsMatchesNaive(t *testing.T) {
	defer func(c int) { chunkRows = c }(chunkRows)
	for _, c := range []struct{ n, k, chunk int }{
		{1, 2, 1024}, {1, 7, 1024}, {3, 2, 1024}, {4, 3, 1024}, {5, 2, 13}, {3, 4, 1},
		{33, 4, 4096}, // 66 bits per code: no deduplication
	} {
		t.Run(fmt.Sprintf("N%d_K%d_chunk%d", c.n, c.k, c.chunk), func(t *testing.T) {
			chunkRows = c.chunk
			r := newRand(uint64(c.n*100 + c.k))
			d := must(New(c.n, c.k, 16, 30, r))
			for i := range d.Net.L2.W { // spread the logits
				d.Net.L2.W[i] *= 8
			}
			B := 9
			x := binMat(r, B, 30)
			z := randStates(r, B, c.n, c.k)
			F := nn.NewMat(B, c.n*c.k)
			noErr(d.Variants(x, z, F))
			want := naiveVariants(d, x, z)
			for i, w := range want {
				if math.Abs(float64(F.Data[i])-w) > 1e-5*(1+math.Abs(w)) {
					t.Fatalf("F[%d,%d] = %v, want %v", i/(c.n*c.k), i%(c.n*c.k), F.Data[i], w)
				}
			}
			// Entries with s = z_bi all equal f(x_b, z_b).
			for b := 0; b < B; b++ {
				for i := 0; i < c.n; i++ {
					if F.At(b, i*c.k+z[b*c.n+i]) != F.At(b, z[b*c.n]) {
						t.Fatalf("example %d: base entries differ", b)
					}
				}
			}
		})
	}
}

// Variants decodes a code shared by several rows once: with many repeated
// codes (an example's code equal to another's, or one flip away) every
// entry still matches the naive evaluation, at several worker counts.
func TestVariantsSharedCodes(t *testing.T) {
	defer nn.SetThreads(nn.Threads())
	for _, threads := range []int{1, 2, 3} {
		nn.SetThreads(threads)
		r := newRand(uint64(40 + threads))
		d := must(New(6, 2, 16, 30, r))
		B := 40
		x := binMat(r, B, 30)
		z := make([]int, B*6)
		for b := 0; b < B; b++ { // codes within two flips of 0…0 or 1…1
			base := r.IntN(2)
			for i := 0; i < 6; i++ {
				z[b*6+i] = base
			}
			for range r.IntN(3) {
				z[b*6+r.IntN(6)] ^= 1
			}
		}
		F := nn.NewMat(B, 12)
		noErr(d.Variants(x, z, F))
		// Every row is within three flips of 0…0 or 1…1: at most 64
		// distinct codes among the 280 rows.
		if u := d.v.h.Rows; u > 64 {
			t.Errorf("threads %d: %d distinct rows decoded, want ≤ 64", threads, u)
		}
		want := naiveVariants(d, x, z)
		for i, w := range want {
			if math.Abs(float64(F.Data[i])-w) > 1e-5*(1+math.Abs(w)) {
				t.Fatalf("threads %d: F[%d,%d] = %v, want %v", threads, i/12, i%12, F.Data[i], w)
			}
		}
	}
}

// ForwardVariants gives Forward's logits (to rounding) and the same
// gradients for the codes of the last Variants, once; for other codes, a
// relaxed code or a second call it is Forward itself.
func TestForwardVariants(t *testing.T) {
	r := newRand(77)
	d := must(New(4, 3, 16, 30, r))
	B := 7
	x := binMat(r, B, 30)
	z := randStates(r, B, 4, 3)
	F := nn.NewMat(B, 12)
	code := nn.NewMat(B, 12)
	noErr(OneHot(z, 4, 3, code))
	want := mustMat(d.Forward(code))
	wantL := append([]float32(nil), want.Data[:B*30]...)
	dl := nn.NewMat(B, 30)
	for i := range dl.Data {
		dl.Data[i] = float32(r.NormFloat64())
	}
	grads := func() [][]float32 {
		nn.ZeroGrad(d.Params())
		noErr(d.Backward(code, dl, nn.Mat{}))
		var g [][]float32
		for _, p := range d.Params() {
			g = append(g, append([]float32(nil), p.G...))
		}
		return g
	}
	wantG := grads()

	noErr(d.Variants(x, z, F))
	got := mustMat(d.ForwardVariants(code))
	for i, w := range wantL {
		if math.Abs(float64(got.Data[i]-w)) > 1e-5*(1+math.Abs(float64(w))) {
			t.Fatalf("logit %d: %v, Forward's %v", i, got.Data[i], w)
		}
	}
	if d.v.zRows != 0 {
		t.Fatal("ForwardVariants kept its rows for a second use")
	}
	noErr(d.Variants(x, randStates(r, B, 4, 3), F)) // overwrites Variants' buffers, not the adopted activations
	sameGrads := func(after string) {
		t.Helper()
		for i, g := range grads() {
			for j := range g {
				if math.Abs(float64(g[j]-wantG[i][j])) > 1e-4*(1+math.Abs(float64(wantG[i][j]))) {
					t.Fatalf("param %d[%d]: gradient %v after %s, %v after Forward", i, j, g[j], after, wantG[i][j])
				}
			}
		}
	}
	sameGrads("ForwardVariants")
	mustMat(d.Forward(code)) // Backward follows the network's own activations again
	sameGrads("ForwardVariants, then Forward")
	// Other codes: Forward. Poison the kept logits to see which path ran.
	fallback := func(name string, c nn.Mat) {
		noErr(d.Variants(x, z, F))
		d.v.zl.Data[0] = 1e6
		l := mustMat(d.ForwardVariants(c))
		if l.Data[0] == 1e6 {
			t.Errorf("%s: used the kept logits", name)
		}
	}
	other := append([]int(nil), z...)
	other[5] = (other[5] + 1) % 3
	oc := nn.NewMat(B, 12)
	noErr(OneHot(other, 4, 3, oc))
	fallback("another code", oc)
	relaxed := nn.NewMat(B, 12)
	copy(relaxed.Data, code.Data)
	relaxed.Data[0] = 0.5
	fallback("a relaxed code", relaxed)
	fallback("fewer rows", code.Slice(0, B-1))
	noErr(d.Variants(x, z, F))
	mustMat(d.ForwardVariants(code))
	d.v.zl.Data[0] = 1e6
	if l := mustMat(d.ForwardVariants(code)); l.Data[0] == 1e6 {
		t.Error("second call used the kept logits")
	}
}

// Every entry point refuses bad shapes, states and order of calls with an
// error naming the problem, and never panics.
func TestBadInputIsAnError(t *testing.T) {
	d := must(New(2, 3, 4, 5, newRand(1)))
	x := nn.NewMat(2, 5)
	code := nn.NewMat(2, 6)
	noErr(OneHot([]int{0, 1, 2, 0}, 2, 3, code))
	for _, c := range []struct {
		name, want string
		call       func() error
	}{
		{"Variants: state out of range", "state 3 of latent 0 in example 1", func() error { return d.Variants(x, []int{0, 1, 3, 0}, nn.NewMat(2, 6)) }},
		{"Variants: negative state", "state -1", func() error { return d.Variants(x, []int{0, -1, 0, 0}, nn.NewMat(2, 6)) }},
		{"Variants: short z", "3 states", func() error { return d.Variants(x, []int{0, 1, 2}, nn.NewMat(2, 6)) }},
		{"Variants: long z", "5 states", func() error { return d.Variants(x, []int{0, 1, 2, 0, 0}, nn.NewMat(2, 6)) }},
		{"Variants: wrong F", "F is 2×5", func() error { return d.Variants(x, []int{0, 1, 2, 0}, nn.NewMat(2, 5)) }},
		{"Variants: wrong x", "x is 2×4", func() error { return d.Variants(nn.NewMat(2, 4), []int{0, 1, 2, 0}, nn.NewMat(2, 6)) }},
		{"Variants: short x data", "x is 2×5 with 3 values", func() error {
			return d.Variants(nn.Mat{Rows: 2, Cols: 5, Data: make([]float32, 3)}, []int{0, 1, 2, 0}, nn.NewMat(2, 6))
		}},
		{"Backward before Forward", "before any Forward", func() error { return d.Backward(code, nn.NewMat(2, 5), nn.Mat{}) }},
		{"Forward: wrong width", "codes z is 2×5", func() error { _, err := d.Forward(nn.NewMat(2, 5)); return err }},
		{"Forward: negative rows", "codes z is -1×6", func() error { _, err := d.Forward(nn.Mat{Rows: -1, Cols: 6}); return err }},
		{"Forward: rows·cols overflows", "with 12 values", func() error {
			_, err := d.Forward(nn.Mat{Rows: 3074457345618258603, Cols: 6, Data: make([]float32, 12)})
			return err
		}},
		{"OneHot: rows·cols overflows", "into a 3074457345618258603×6", func() error {
			return OneHot(make([]int, 0), 2, 3, nn.Mat{Rows: 3074457345618258603, Cols: 6, Data: make([]float32, 12)})
		}},
		{"ForwardVariants: wrong width", "codes z is 2×7", func() error { _, err := d.ForwardVariants(nn.NewMat(2, 7)); return err }},
		{"OneHot: state out of range", "state 3 of latent 1 in example 0", func() error { return OneHot([]int{0, 3}, 2, 3, nn.NewMat(1, 6)) }},
		{"OneHot: negative state", "state -2", func() error { return OneHot([]int{-2, 0}, 2, 3, nn.NewMat(1, 6)) }},
		{"OneHot: short idx", "1 states", func() error { return OneHot([]int{0}, 2, 3, nn.NewMat(1, 6)) }},
		{"OneHot: wrong dst", "into a 1×5", func() error { return OneHot([]int{0, 0}, 2, 3, nn.NewMat(1, 5)) }},
		{"OneHot: k = 0", "k = 0", func() error { return OneHot(nil, 2, 0, nn.NewMat(0, 0)) }},
		{"zero Decoder", "not made by decoder.New", func() error { _, err := (&Decoder{}).Forward(nn.Mat{}); return err }},
		{"zero Decoder Backward", "before any Forward", func() error { return (&Decoder{}).Backward(nn.Mat{}, nn.Mat{}, nn.Mat{}) }},
		{"zero Decoder Params", "none", func() error {
			if ps := (&Decoder{}).Params(); ps != nil {
				return nil
			}
			return errors.New("none")
		}},
	} {
		var err error
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Errorf("%s: panic %v", c.name, p)
				}
			}()
			err = c.call()
		}()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
	// After a Forward, Backward refuses operands of other shapes.
	if _, err := d.Forward(code); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, want string
		z, dl, dz  nn.Mat
	}{
		{"z rows", "codes z is 1×6", nn.NewMat(1, 6), nn.NewMat(2, 5), nn.Mat{}},
		{"dlogits", "dlogits is 2×4", code, nn.NewMat(2, 4), nn.Mat{}},
		{"dz", "dz is 2×5", code, nn.NewMat(2, 5), nn.NewMat(2, 5)},
	} {
		if err := d.Backward(c.z, c.dl, c.dz); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Backward with bad %s: %v, want an error containing %q", c.name, err, c.want)
		}
	}
	if err := d.Backward(code, nn.NewMat(2, 5), nn.NewMat(2, 6)); err != nil {
		t.Errorf("Backward with good operands: %v", err)
	}
}

// TestGradCheck checks the decoder's parameter gradients and dz under the
// Bernoulli log-likelihood, for one-hot and for relaxed (dense) codes.
func TestGradCheck(t *testing.T) {
	r := newRand(7)
	d := must(New(3, 4, 10, 12, r))
	B := 5
	x := binMat(r, B, 12)
	for _, relaxed := range []bool{false, true} {
		z := nn.NewMat(B, 12)
		noErr(OneHot(randStates(r, B, 3, 4), 3, 4, z))
		if relaxed {
			for i := range z.Data {
				z.Data[i] = float32(r.Float64())
			}
		}
		loss := func() float64 { return logLik64(x, mustMat(d.Forward(z))) }
		ps := d.Params()
		nn.ZeroGrad(ps)
		l := mustMat(d.Forward(z))
		dl := nn.NewMat(B, 12)
		nn.BernoulliLogLikGrad(x, l, nil, dl)
		dz := nn.NewMat(B, 12)
		noErr(d.Backward(z, dl, dz))
		ps = append(ps, nn.Param{Name: "z", W: z.Data, G: dz.Data})
		if err := nn.GradCheck(loss, ps, 3e-3, 1e-2, r, 200); err != nil {
			t.Fatalf("relaxed=%v: %v", relaxed, err)
		}
	}
}

func TestOneHot(t *testing.T) {
	dst := nn.NewMat(2, 6)
	for i := range dst.Data {
		dst.Data[i] = 9 // overwritten
	}
	noErr(OneHot([]int{2, 0, 1, 1}, 2, 3, dst))
	want := []float32{0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 1, 0}
	for i, w := range want {
		if dst.Data[i] != w {
			t.Fatalf("OneHot = %v, want %v", dst.Data, want)
		}
	}
}

func TestNoAllocs(t *testing.T) {
	for _, c := range []struct{ n, k int }{{1, 10}, {15, 2}} {
		r := newRand(8)
		d := must(New(c.n, c.k, 30, 40, r))
		B := 20
		x := binMat(r, B, 40)
		z := randStates(r, B, c.n, c.k)
		F := nn.NewMat(B, c.n*c.k)
		oh := nn.NewMat(B, c.n*c.k)
		dl := nn.NewMat(B, 40)
		step := func() {
			noErr(d.Variants(x, z, F))
			noErr(OneHot(z, c.n, c.k, oh))
			l := mustMat(d.Forward(oh))
			nn.BernoulliLogLikGrad(x, l, nil, dl)
			noErr(d.Backward(oh, dl, nn.Mat{}))
		}
		step()
		a := testing.AllocsPerRun(10, step)
		if nn.Backend() == "gonum" {
			// gonum's parallel Gemm allocates internally for larger
			// products; our own code is still checked by the default build.
			t.Logf("gonum backend: %v allocations per step", a)
			continue
		}
		if a != 0 {
			t.Fatalf("N=%d K=%d: Variants+Forward+Backward allocate %v times", c.n, c.k, a)
		}
	}
}

// TestVariantsKeepsForwardState checks that Variants between Forward and
// Backward does not change the gradients Backward computes.
func TestVariantsKeepsForwardState(t *testing.T) {
	for _, n := range []int{1, 4} {
		r := newRand(9)
		d := must(New(n, 3, 12, 20, r))
		x := binMat(r, 6, 20)
		z := randStates(r, 6, n, 3)
		oh := nn.NewMat(6, n*3)
		noErr(OneHot(z, n, 3, oh))
		dl := nn.NewMat(6, 20)
		grads := func(withVariants bool) []float32 {
			ps := d.Params()
			nn.ZeroGrad(ps)
			l := mustMat(d.Forward(oh))
			nn.BernoulliLogLikGrad(x, l, nil, dl)
			if withVariants {
				noErr(d.Variants(x, z, nn.NewMat(6, n*3)))
			}
			noErr(d.Backward(oh, dl, nn.Mat{}))
			var g []float32
			for _, p := range ps {
				g = append(g, p.G...)
			}
			return g
		}
		a, b := grads(false), grads(true)
		for i := range a {
			if a[i] != b[i] {
				t.Fatalf("N=%d: gradient %d is %v after Variants, %v without", n, i, b[i], a[i])
			}
		}
	}
}

// TestGroupedMatchesUngrouped trains-steps the same decoder on one-hot
// codes of one latent (K distinct rows in a batch of 100) with and without
// grouping and compares logits, parameter gradients and dz; Backward gets
// a copy of z to check that it regroups.
func TestGroupedMatchesUngrouped(t *testing.T) {
	for _, c := range []struct{ n, k int }{{1, 10}, {1, 50}, {2, 3}} {
		r := newRand(10)
		d := must(New(c.n, c.k, 300, 784, r))
		B := 100
		x := binMat(r, B, 784)
		z := nn.NewMat(B, c.n*c.k)
		noErr(OneHot(randStates(r, B, c.n, c.k), c.n, c.k, z))
		zc := nn.Mat{Rows: B, Cols: z.Cols, Data: append([]float32(nil), z.Data...)}
		run := func(ungrouped bool) (logits, dz []float32, grads [][]float32) {
			d.Ungrouped = ungrouped
			ps := d.Params()
			nn.ZeroGrad(ps)
			l := mustMat(d.Forward(z))
			if d.grouped == ungrouped {
				t.Fatalf("N=%d K=%d: Ungrouped=%v but grouped = %v", c.n, c.k, ungrouped, d.grouped)
			}
			logits = append([]float32(nil), l.Data...)
			dl := nn.NewMat(B, 784)
			nn.BernoulliLogLikGrad(x, l, nil, dl)
			dzm := nn.NewMat(B, z.Cols)
			noErr(d.Backward(zc, dl, dzm))
			for _, p := range ps {
				grads = append(grads, append([]float32(nil), p.G...))
			}
			return logits, dzm.Data, grads
		}
		lu, dzu, gu := run(true)
		lg, dzg, gg := run(false)
		near := func(what string, got, want []float32, tol float64) {
			for i := range want {
				if math.Abs(float64(got[i]-want[i])) > tol*(1+math.Abs(float64(want[i]))) {
					t.Fatalf("N=%d K=%d %s[%d]: grouped %v, ungrouped %v", c.n, c.k, what, i, got[i], want[i])
				}
			}
		}
		near("logits", lg, lu, 1e-5)
		near("dz", dzg, dzu, 1e-4)
		for p := range gu {
			near(d.Params()[p].Name, gg[p], gu[p], 1e-4)
		}
	}
}

// TestGroupedGradCheck checks parameter gradients and dz of a grouped
// batch (12 rows, 3 distinct codes) against finite differences.
func TestGroupedGradCheck(t *testing.T) {
	r := newRand(11)
	d := must(New(1, 3, 10, 12, r))
	B := 12
	x := binMat(r, B, 12)
	z := nn.NewMat(B, 3)
	noErr(OneHot(randStates(r, B, 1, 3), 1, 3, z))
	loss := func() float64 { return logLik64(x, mustMat(d.Forward(z))) }
	ps := d.Params()
	nn.ZeroGrad(ps)
	l := mustMat(d.Forward(z))
	if !d.grouped {
		t.Fatal("12 rows with 3 distinct codes not grouped")
	}
	dl := nn.NewMat(B, 12)
	nn.BernoulliLogLikGrad(x, l, nil, dl)
	dz := nn.NewMat(B, 3)
	noErr(d.Backward(z, dl, dz))
	ps = append(ps, nn.Param{Name: "z", W: z.Data, G: dz.Data})
	if err := nn.GradCheck(loss, ps, 1e-3, 1e-2, r, 200); err != nil {
		t.Fatal(err)
	}
}

// must returns d, failing the test binary when New refused the sizes.
func must(d *Decoder, err error) *Decoder {
	if err != nil {
		panic(err)
	}
	return d
}

// New refuses each bad size (and a nil generator) with an error that
// names it, instead of panicking.
func TestNewRefusesBadSizes(t *testing.T) {
	r := newRand(1)
	for _, c := range []struct {
		n, k, hidden, d int
		r               *rand.Rand
		want            string
	}{
		{0, 2, 4, 5, r, "latent variables"},
		{3, 0, 4, 5, r, "states"},
		{3, 2, 0, 5, r, "hidden width"},
		{3, 2, 4, -1, r, "output width"},
		{1 << 40, 1 << 40, 4, 5, r, "overflows"},
		{3, 2, 4, 5, nil, "nil random generator"},
		{1 << 20, 1 << 10, 1 << 20, 5, r, "more than 2^40 weights"},
		{3, 2, 4, 1 << 60, r, "more than 2^40 weights"},
	} {
		d, err := New(c.n, c.k, c.hidden, c.d, c.r)
		if err == nil || d != nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("New(%d, %d, %d, %d): %v, %v; want an error naming %q", c.n, c.k, c.hidden, c.d, d, err, c.want)
		}
	}
	if d, err := New(3, 2, 4, 5, r); err != nil || d.N != 3 || d.K != 2 || d.D != 5 {
		t.Errorf("New(3, 2, 4, 5) = %+v, %v", d, err)
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
