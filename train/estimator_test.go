package train

import (
	"bytes"
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/argmaxvae/argmaxvae/nn"
	"strings"
)

// encoderGradRows runs steps Steps of est on a batch of B copies of one
// example and returns, for each copy, B·(gradient w.r.t. the scores): one
// independent sample of the per-example gradient each.
func encoderGradRows(t *testing.T, v *VAE, est Estimator, x nn.Mat, B, steps int, temp float64, seed uint64) [][]float64 {
	t.Helper()
	xb := repeatRow(x, 0, B)
	r := rand.New(rand.NewPCG(seed, 3))
	var rows [][]float64
	for s := 0; s < steps; s++ {
		nn.ZeroGrad(v.Params())
		if _, err := est.Step(context.Background(), v, xb, r, temp); err != nil {
			t.Fatal(err)
		}
		for b := 0; b < B; b++ {
			row := make([]float64, v.NK())
			for j := range row {
				row[j] = float64(B) * float64(v.dscores.At(b, j))
			}
			rows = append(rows, row)
		}
	}
	return rows
}

// The direct estimator is biased for ε > 0 and unbiased as ε → 0: its
// average over many Gumbel samples must approach the exact gradient of
// Eq. (2) as ε shrinks (fixed seed, so the test is deterministic).
func TestDirectApproachesExactGradient(t *testing.T) {
	const k = 6
	v := tinyVAE(t, 1, 12, 1, k, false, false, "")
	// Sharpen the decoder so that the states' log-likelihoods differ by
	// several nats: then a large ε visibly biases the estimate.
	for i := range v.Dec.Net.L2.W {
		v.Dec.Net.L2.W[i] *= 6
	}
	x := randomImages(2, 1, 12)
	scores := must(v.Enc.Forward(x))
	h := append([]float32(nil), scores.Row(0)...)
	q, ds := nn.NewMat(1, k), nn.NewMat(1, k)
	v.sizeEncode(1)
	noErr(v.Dec.Variants(x, make([]int, 1), v.vars))
	exactTerms(nn.Mat{Rows: 1, Cols: k, Data: h}, v.vars, q, ds, make([]float32, 1), v.scratch(v.K))
	exact := make([]float64, k)
	norm := 0.0
	for j := range exact {
		exact[j] = float64(ds.Data[j])
		norm += exact[j] * exact[j]
	}
	norm = math.Sqrt(norm)
	errAt := func(eps float64) (float64, float64) {
		rows := encoderGradRows(t, v, &Direct{KL: KLNone}, x, 2000, 150, eps, 9)
		mean, se := meanAndSE(rows)
		e, s := 0.0, 0.0
		for j := range mean {
			e += (mean[j] - exact[j]) * (mean[j] - exact[j])
			s += se[j] * se[j]
		}
		return math.Sqrt(e), math.Sqrt(s)
	}
	big, bigSE := errAt(3)
	small, smallSE := errAt(0.05)
	t.Logf("‖exact‖ = %.4f; error at ε=3: %.4f (noise %.4f); at ε=0.05: %.4f (noise %.4f)", norm, big, bigSE, small, smallSE)
	if big < 4*bigSE {
		t.Errorf("test too weak: the bias at ε=3 (%.4f) is within noise %.4f", big, bigSE)
	}
	if small > 0.05*norm+4*smallSE {
		t.Errorf("direct at ε=0.05 is %.4f from the exact gradient (‖exact‖ %.4f, noise %.4f)", small, norm, smallSE)
	}
	if small >= big {
		t.Errorf("error did not shrink with ε: %.4f at ε=3, %.4f at ε=0.05", big, small)
	}
}

// Each unbiased estimator's mean must match the enumerated gradient within
// its standard error, coordinate by coordinate.
func TestUnbiasedEstimatorsMatchExact(t *testing.T) {
	for _, est := range []Estimator{&ARM{}, &DisARM{}, &Reinforce{}, &Rebar{}, &Rebar{Eta: 0.5, Lambda: 2}} {
		checkUnbiased(t, est.Name(), est, nil)
	}
}

// checkUnbiased trains nothing: on a 4-bit VAE with a sharpened decoder
// (so that a biased estimator is visibly off) it compares est's mean
// encoder gradient over 30,000 samples with the enumerated gradient,
// coordinate by coordinate within 4.5 standard errors. prepare, if set, is
// called on the VAE before sampling (to set up an estimator's own state).
func checkUnbiased(t *testing.T, name string, est Estimator, prepare func(v *VAE)) {
	t.Helper()
	const n = 4
	v := tinyVAE(t, 4, 10, n, 2, false, false, "")
	for i := range v.Dec.Net.L2.W {
		v.Dec.Net.L2.W[i] *= 6
	}
	x := randomImages(5, 1, 10)
	h := append([]float32(nil), must(v.Enc.Forward(x)).Row(0)...)
	exact := exactBinaryGrad(v, x, h)
	if prepare != nil {
		prepare(v)
	}
	rows := encoderGradRows(t, v, est, x, 1000, 30, 0, 11)
	// Remove the KL gradient the estimators add: it is exact and
	// deterministic, so compute it once and subtract.
	klg := nn.NewMat(1, 2*n)
	klUnary(v, nn.Mat{Rows: 1, Cols: 2 * n, Data: h}, n, 2, make([]float64, 1), klg, 1)
	for _, r := range rows {
		for j := range r {
			r[j] -= float64(klg.Data[j])
		}
	}
	mean, se := meanAndSE(rows)
	for j := range mean {
		if math.Abs(mean[j]-exact[j]) > 4.5*se[j]+1e-6 {
			t.Errorf("%s coordinate %d: mean %.4f ± %.4f, exact %.4f", name, j, mean[j], se[j], exact[j])
		}
	}
	t.Logf("%s: exact %.3f, mean %.3f, se %.3f", name, exact[:2], mean[:2], se[:2])
}

// The low-dimensional approximation: z*(ε) from the solver, with ε·f̃ added
// to the unaries, must equal the arg max over all 2ⁿ states of
// h(z) + γ(z) + ε·Σᵢ f(x, z* with bit i set to zᵢ) computed by enumeration
// with the decoder, for structured (pairwise) encoders.
func TestStructuredPerturbedArgmaxMatchesEnumeration(t *testing.T) {
	const n, d = 6, 10
	for _, c := range []struct {
		name  string
		super bool
		solve string
	}{{"maxflow", true, "maxflow"}, {"bnb", false, "bnb"}} {
		v := tinyVAE(t, 6, d, n, 2, true, c.super, c.solve)
		const B = 40
		x := randomImages(7, B, d)
		for _, c2 := range []struct {
			mode KLMode
			eps  float64
		}{{KLNone, 2}, {KLFolded, 0.7}} {
			checkPerturbedArgmax(t, c.name, v, x, c2.mode, c2.eps)
		}
	}
}

// checkPerturbedArgmax runs one direct step and checks the solver's z*(ε)
// against enumeration of the perturbed models it left, the models against
// (1−ε)h + γ + εF for the folded KL (h + γ + εF otherwise), and f̃ against
// the decoder.
func checkPerturbedArgmax(t *testing.T, name string, v *VAE, x nn.Mat, mode KLMode, eps float64) {
	const n = 6
	B := x.Rows
	r := rand.New(rand.NewPCG(8, 8))
	scores := must(v.Enc.Forward(x))
	h := append([]float32(nil), scores.Data[:scores.Rows*scores.Cols]...)
	cols := scores.Cols
	noise := make([]float64, B*v.NK())
	argmax.GumbelFill(noise, rand.New(rand.NewPCG(8, 8)))
	if _, err := (&Direct{KL: mode}).Step(context.Background(), v, x, r, eps); err != nil {
		t.Fatal(err)
	}
	shrink := 1.0
	if mode == KLFolded {
		shrink = 1 - eps
	}
	for b := 0; b < B; b++ {
		w := v.w[b]
		for j, u := range w[:v.NK()] {
			want := shrink*float64(h[b*cols+j]) + noise[b*v.NK()+j] + eps*float64(v.vars.At(b, j))
			if math.Abs(u-want) > 1e-4*math.Max(1, math.Abs(want)) {
				t.Fatalf("%s %s example %d unary %d: %v, want %v", name, mode, b, j, u, want)
			}
		}
		for e, we := range w[v.NK():] {
			if want := shrink * float64(h[b*cols+v.NK()+e]); math.Abs(we-want) > 1e-6*math.Max(1, math.Abs(want)) {
				t.Fatalf("%s %s example %d edge %d: %v, want %v", name, mode, b, e, we, want)
			}
		}
	}
	for b := 0; b < B; b++ {
		w := v.w[b]
		best, arg := math.Inf(-1), -1
		z := make([]int, n)
		for code := 0; code < 1<<n; code++ {
			for i := range z {
				z[i] = code >> i & 1
			}
			if s := scoreOf(t, v.S, w, z); s > best {
				best, arg = s, code
			}
		}
		got := 0
		for i := 0; i < n; i++ {
			got |= v.zeps[b*n+i] << i
		}
		for i := range z {
			z[i] = got >> i & 1
		}
		if math.Abs(scoreOf(t, v.S, w, z)-best) > 1e-9*math.Max(1, math.Abs(best)) {
			t.Fatalf("%s %s example %d: solver z*(ε) = %b scores %v, enumeration %b scores %v", name, mode, b, got, scoreOf(t, v.S, w, z), arg, best)
		}
	}
	// And f̃ is the decoder on explicit flipped codes.
	checkFlips(t, v, x, eps)
}

// checkFlips recomputes f(x_b, z*_b with bit i set to s) with OneHot and a
// plain decoder pass for every example, bit and state, and compares with
// the Variants values the step added to the unaries.
func checkFlips(t *testing.T, v *VAE, x nn.Mat, eps float64) {
	n := v.N
	for b := 0; b < x.Rows; b++ {
		z := append([]int(nil), v.zstar[b*n:(b+1)*n]...)
		xb := repeatRow(x, b, 1)
		for i := 0; i < n; i++ {
			for s := 0; s < 2; s++ {
				zz := append([]int(nil), z...)
				zz[i] = s
				oh := nn.NewMat(1, 2*n)
				for j, zj := range zz {
					oh.Data[2*j+zj] = 1
				}
				f := make([]float32, 1)
				nn.BernoulliLogLik(xb, must(v.Dec.Forward(oh)), f)
				if got := v.vars.At(b, 2*i+s); math.Abs(float64(got-f[0])) > 1e-3*math.Max(1, math.Abs(float64(f[0]))) {
					t.Fatalf("example %d: f̃ for bit %d = %d: Variants %v, decoder %v", b, i, s, got, f[0])
				}
			}
		}
	}
}

// The exact estimator's gradient is the true gradient of its loss: check it
// with finite differences on every parameter group.
func TestExactGradientCheck(t *testing.T) {
	// Seed 10 put a decoder ReLU pre-activation at −7e-4, within the
	// finite-difference step of its kink, where the check is meaningless.
	v := tinyVAE(t, 20, 8, 1, 5, false, false, "")
	x := randomImages(11, 7, 8)
	loss := func() float64 {
		v.sizeEncode(x.Rows)
		scores := must(v.Enc.Forward(x))
		q, ds := nn.NewMat(x.Rows, 5), nn.NewMat(x.Rows, 5)
		f := make([]float32, x.Rows)
		noErr(v.Dec.Variants(x, make([]int, x.Rows), v.vars))
		exactTerms(scores, v.vars, q, ds, f, v.scratch(v.K))
		klUnary(v, scores, 1, 5, v.kl, nn.Mat{}, 0)
		s := 0.0
		for b := range f {
			s += -float64(f[b]) + v.kl[b]
		}
		return s / float64(x.Rows)
	}
	ps := v.Params()
	nn.ZeroGrad(ps)
	if _, err := (&Exact{}).Step(context.Background(), v, x, nil, 0); err != nil {
		t.Fatal(err)
	}
	if err := nn.GradCheck(loss, ps, 3e-3, 5e-2, rand.New(rand.NewPCG(12, 12)), 200); err != nil {
		t.Error(err)
	}
}

// Gumbel-Softmax with a relaxed decoder input is a differentiable function
// of the parameters for fixed noise: check its gradient by finite
// differences with the noise replayed from the same seed.
func TestRelaxedGumbelSoftmaxGradientCheck(t *testing.T) {
	v := tinyVAE(t, 13, 8, 2, 3, false, false, "")
	x := randomImages(14, 5, 8)
	est := &GumbelSoftmax{Relaxed: true}
	const tau = 0.7
	loss := func() float64 {
		s, err := (&GumbelSoftmax{Relaxed: true}).Step(context.Background(), v, x, rand.New(rand.NewPCG(15, 15)), tau)
		if err != nil {
			t.Fatal(err)
		}
		return s.Loss
	}
	ps := v.Params()
	nn.ZeroGrad(ps)
	if _, err := est.Step(context.Background(), v, x, rand.New(rand.NewPCG(15, 15)), tau); err != nil {
		t.Fatal(err)
	}
	grads := make([][]float32, len(ps))
	for i, p := range ps {
		grads[i] = append([]float32(nil), p.G...)
	}
	// loss() accumulates into G as a side effect; restore the analytic
	// gradient before each comparison by wrapping.
	wrapped := func() float64 {
		l := loss()
		for i, p := range ps {
			copy(p.G, grads[i])
		}
		return l
	}
	if err := nn.GradCheck(wrapped, ps, 3e-3, 5e-2, rand.New(rand.NewPCG(16, 16)), 200); err != nil {
		t.Error(err)
	}
}

func TestGibbsKLMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 17))
	for trial := 0; trial < 50; trial++ {
		n := 1 + r.IntN(8)
		m := &argmax.Model{N: n, K: 2, Unary: make([]float64, 2*n), Edges: argmax.CompleteEdges(n)}
		for i := range m.Unary {
			m.Unary[i] = 3 * r.NormFloat64()
		}
		for e := range m.Edges {
			m.Edges[e].W = 2 * r.NormFloat64()
		}
		got, err := gibbsKLOf(m)
		if err != nil {
			t.Fatal(err)
		}
		z := make([]int, n)
		hs := make([]float64, 1<<n)
		mx := math.Inf(-1)
		for c := range hs {
			for i := range z {
				z[i] = c >> i & 1
			}
			hs[c] = m.Score(z)
			mx = math.Max(mx, hs[c])
		}
		Z := 0.0
		for _, h := range hs {
			Z += math.Exp(h - mx)
		}
		want := 0.0
		for _, h := range hs {
			p := math.Exp(h-mx) / Z
			if p > 0 {
				want += p * math.Log(p*float64(len(hs)))
			}
		}
		if math.Abs(got-want) > 1e-9*math.Max(1, want) {
			t.Fatalf("n=%d: GibbsKL %v, brute force %v", n, got, want)
		}
	}
	big := &argmax.Model{N: maxGibbsN + 1, K: 2, Unary: make([]float64, 2*(maxGibbsN+1))}
	if _, err := gibbsKLOf(big); err == nil {
		t.Error("no error above maxGibbsN")
	}
}

func TestSchedule(t *testing.T) {
	s := Schedule{Start: 1, Min: 0.1, Rate: 1e-3, Every: 500}
	if s.At(0) != 1 || s.At(499) != 1 {
		t.Errorf("before the first update: %v, %v", s.At(0), s.At(499))
	}
	if got, want := s.At(500), math.Exp(-0.5); math.Abs(got-want) > 1e-12 || s.At(999) != got {
		t.Errorf("At(500) = %v, want %v held until 999", got, want)
	}
	if s.At(1_000_000) != 0.1 {
		t.Errorf("floor: %v", s.At(1_000_000))
	}
	// a floor above the start would ignore the start: refused
	if err := (Schedule{Start: 0.05, Min: 0.1, Rate: 1e-5}).Check(Needs{Temperature: "ε"}); err == nil || !strings.Contains(err.Error(), "floor 0.1 above the start 0.05") {
		t.Errorf("floor above start: %v", err)
	}
}

// Training is reproducible: the same seed gives the same losses, and a
// trainer saved after one epoch and loaded into a fresh one continues
// exactly as the uninterrupted run.
func TestTrainerReproducibleAndResumable(t *testing.T) {
	x := randomImages(30, 120, 10)
	run := func(est func() Estimator, epochs int, resumeAt int) []float64 {
		v := tinyVAE(t, 31, 10, 3, 2, false, false, "")
		tr, err := NewTrainer(v, est(), Options{LR: 1e-2, Batch: 16, Schedule: Schedule{Start: 1, Min: 0.1, Rate: 1e-2, Every: 3}, Seed: 77})
		if err != nil {
			t.Fatal(err)
		}
		var losses []float64
		for e := 0; e < epochs; e++ {
			if e == resumeAt {
				var buf bytes.Buffer
				if err := tr.Save(&buf); err != nil {
					t.Fatal(err)
				}
				v2 := tinyVAE(t, 99, 10, 3, 2, false, false, "") // different init, overwritten
				tr, err = NewTrainer(v2, est(), Options{LR: 1e-2, Batch: 16, Schedule: tr.sched, Seed: 12345})
				if err != nil {
					t.Fatal(err)
				}
				if err := tr.Load(&buf); err != nil {
					t.Fatal(err)
				}
			}
			s, err := tr.TrainEpoch(context.Background(), x)
			if err != nil {
				t.Fatal(err)
			}
			losses = append(losses, s.Loss)
		}
		return losses
	}
	for _, est := range []func() Estimator{func() Estimator { return &Direct{KL: KLAnalytic} }, func() Estimator { return &Reinforce{} }} {
		a := run(est, 3, -1)
		b := run(est, 3, -1)
		c := run(est, 3, 1)
		for i := range a {
			if a[i] != b[i] || a[i] != c[i] {
				t.Fatalf("%s: losses %v, rerun %v, resumed %v", est().Name(), a, b, c)
			}
		}
		if a[2] >= a[0] {
			t.Errorf("%s: loss did not decrease over 3 epochs: %v", est().Name(), a)
		}
	}
}

// With one latent, Direct decodes the K codes once and forms the decoder
// gradient from them; it must agree with the general path (decoder
// variants, then backpropagation at z*) on losses and every gradient.
func TestDirectSingleLatentPathMatchesGeneral(t *testing.T) {
	for _, mode := range []KLMode{KLFolded, KLNone, KLAnalytic} {
		t.Run(mode.String(), func(t *testing.T) { testSingleMatchesGeneral(t, mode) })
	}
}

func testSingleMatchesGeneral(t *testing.T, mode KLMode) {
	x := randomImages(40, 64, 12)
	grads := func(general bool) ([][]float32, Stats) {
		v := tinyVAE(t, 41, 12, 1, 7, false, false, "")
		ps := v.Params()
		nn.ZeroGrad(ps)
		s, err := (&Direct{KL: mode, general: general}).Step(context.Background(), v, x, rand.New(rand.NewPCG(42, 42)), 0.5)
		if err != nil {
			t.Fatal(err)
		}
		var g [][]float32
		for _, p := range ps {
			g = append(g, append([]float32(nil), p.G...))
		}
		return g, s
	}
	fast, sf := grads(false)
	slow, ss := grads(true)
	if math.Abs(sf.Loss-ss.Loss) > 1e-4*math.Abs(ss.Loss) {
		t.Errorf("loss %v (codes) vs %v (general)", sf.Loss, ss.Loss)
	}
	for i := range fast {
		for j := range fast[i] {
			a, b := float64(fast[i][j]), float64(slow[i][j])
			if math.Abs(a-b) > 1e-4*math.Max(1, math.Abs(b)) {
				t.Fatalf("param %d index %d: gradient %v (codes) vs %v (general)", i, j, a, b)
			}
		}
	}
}

// Saturated posteriors (|α| of 60, θ within 1e-26 of 0 or 1) must not turn
// the REBAR gradient into NaN or Inf.
func TestRebarSaturatedLogitsStayFinite(t *testing.T) {
	v := tinyVAE(t, 50, 10, 4, 2, false, false, "")
	for i := range v.Enc.Net.L2.B {
		v.Enc.Net.L2.B[i] = float32(60 * (1 - 2*(i%2)) * (1 - 2*(i/2%2)))
	}
	x := randomImages(51, 32, 10)
	est := &Rebar{}
	r := rand.New(rand.NewPCG(52, 52))
	for step := 0; step < 20; step++ {
		nn.ZeroGrad(v.Params())
		s, err := est.Step(context.Background(), v, x, r, 0)
		if err != nil {
			t.Fatal(err)
		}
		if math.IsNaN(s.Loss) || math.IsInf(s.Loss, 0) {
			t.Fatalf("step %d: loss %v", step, s.Loss)
		}
		for _, g := range v.dscores.Data[:x.Rows*v.dscores.Cols] {
			if math.IsNaN(float64(g)) || math.IsInf(float64(g), 0) {
				t.Fatalf("step %d: encoder gradient %v", step, g)
			}
		}
	}
}

// With one latent, Evaluate reads the sampled reconstruction from the
// all-states table; it must equal decoding the samples explicitly.
func TestEvaluateSampledReconMatchesDecoding(t *testing.T) {
	v := tinyVAE(t, 60, 12, 1, 5, false, false, "")
	x := randomImages(61, 50, 12)
	e, err := Evaluate(context.Background(), v, x, rand.New(rand.NewPCG(62, 62)), EvalOptions{Chunk: 16, Samples: 3})
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(62, 62))
	want := 0.0
	for lo := 0; lo < x.Rows; lo += 16 {
		xc := x.Slice(lo, min(lo+16, x.Rows))
		for s := 0; s < 3; s++ {
			z, err := v.Sample(t.Context(), xc, r)
			if err != nil {
				t.Fatal(err)
			}
			oh := nn.NewMat(xc.Rows, 5)
			for b, zb := range z {
				oh.Data[b*5+zb] = 1
			}
			f := make([]float32, xc.Rows)
			nn.BernoulliLogLik(xc, must(v.Dec.Forward(oh)), f)
			for _, fb := range f {
				want -= float64(fb)
			}
		}
	}
	want /= float64(x.Rows * 3)
	if math.Abs(e.Recon-want) > 1e-4*math.Abs(want) {
		t.Errorf("Evaluate recon %v, explicit decoding %v", e.Recon, want)
	}
	if math.IsNaN(e.Exact) {
		t.Error("no exact loss for one latent")
	}
}
