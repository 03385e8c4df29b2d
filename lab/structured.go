package lab

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/argmaxvae/argmaxvae/internal/kernels"
	"github.com/argmaxvae/argmaxvae/nn"
	"github.com/argmaxvae/argmaxvae/train"
)

// Config sets the structured laboratory's sampling.
type Config struct {
	Eps  []float64 // temperatures for the direct estimators
	Reps int       // noise draws per example, at least 2
	Seed uint64
	// PairScale, if not 0 or 1, multiplies the encoder's pair weights
	// (not its unary scores) before everything: a sensitivity check of
	// how the estimators behave under stronger or weaker coupling at the
	// same unaries. The training estimators ignore it (they apply to
	// independent encoders only).
	PairScale float64
}

// Row is one estimator's comparison with the reference gradient over all
// examples and bits.
type Row struct {
	Estimator  string
	Eps        float64 // 0 when it has none
	Bias       float64 // ‖E ĝ − ∇‖, the mean difference's norm with its noise removed: √max(0, ‖d̄‖² − Σ se²)
	Raw        float64 // ‖d̄‖, the mean difference's norm as measured
	Floor      float64 // √Σ se²: the norm Raw would have for an unbiased estimator
	Std        float64 // root mean per-coordinate standard deviation of one sample
	Cos        float64 // cosine of the estimator's mean with the reference
	UnaryDiff  float64 // direct with f̃ only: ‖mean(ĝ_f̃ − ĝ_exact)‖ on the bit logits at the same noise and ε, else NaN
	UnaryFloor float64 // its paired noise floor
	PairDiff   float64 // direct with f̃ only, pairwise encoders: the same on the pair weights, else NaN
	PairFloor  float64 // its paired noise floor
}

// Result is the structured laboratory's output.
type Result struct {
	Reference  string  // "closed form" or "conditional Monte Carlo"
	RefNorm    float64 // ‖∇‖ over all examples and bits (mean of the reference)
	RefSE      float64 // √Σ se² of the reference (0 for the closed form)
	Examples   int
	Rows       []Row
	Interacts  bool
	ClosedDiff float64 // independent encoders: ‖conditional MC mean − closed form‖ (a check of the reference), else NaN
	ClosedSE   float64
	MeanLogit  float64 // mean |αᵢ| over the examples' bits
	MeanPair   float64 // mean |w_ij| over the examples' pairs (after PairScale)
	MaxPairSum float64 // mean over examples of max_i Σ_j |w_ij|: the largest coupling a bit feels
}

// Structured runs the structured laboratory (see the package doc) on the
// examples x (rows) at v's parameters, which it leaves unchanged.
// Independent encoders also get the training estimators ARM, DisARM,
// REINFORCE, REBAR and RELAX through their Step (fresh instances,
// cfg.Reps steps on the batch x), against the closed form. It runs on
// v's threads (setting nn's count, as the VAE's own passes do), with
// results that do not depend on them, and checks ctx between noise draws. O(2ⁿ·(hidden·D + B·(D + Dim)) + Reps·B·2ⁿ·(n + |Eps|)).
func Structured(ctx context.Context, v *train.VAE, x nn.Mat, cfg Config) (*Result, error) {
	if ctx == nil {
		return nil, errors.New("lab: Structured: nil context")
	}
	if err := checkImages("Structured", v, x); err != nil {
		return nil, err
	}
	if cfg.Reps < 2 {
		return nil, fmt.Errorf("lab: Structured needs at least 2 repetitions, got %d", cfg.Reps)
	}
	for _, e := range cfg.Eps {
		if !(e > 0) || math.IsInf(e, 0) {
			return nil, fmt.Errorf("lab: Structured: ε = %v, want finite > 0", e)
		}
	}
	nn.SetThreads(v.Threads())
	t, err := newTables(v, x, cfg.PairScale)
	if err != nil {
		return nil, err
	}
	interacts := v.S.Dim() > v.NK()
	res := &Result{Examples: x.Rows, Interacts: interacts, ClosedDiff: math.NaN(), ClosedSE: math.NaN()}
	res.MeanLogit, res.MeanPair, res.MaxPairSum = t.couplings()
	var closed []float64
	if !interacts {
		closed = t.closedForm()
	}
	m := newMeasurement(t, cfg.Eps)
	r := rand.New(rand.NewPCG(cfg.Seed, 0x1ab))
	for rep := 0; rep < cfg.Reps; rep++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := m.draw(r, closed, rep); err != nil {
			return nil, err
		}
	}
	m.summarize(res, closed)
	if !interacts {
		rows, err := trainingEstimators(ctx, v, x, cfg, closed)
		if err != nil {
			return nil, err
		}
		res.Rows = append(res.Rows, rows...)
	}
	return res, nil
}

// estimate accumulates one estimator's samples and their paired
// differences from the reference.
type estimate struct {
	name       string
	eps        float64
	diff, samp *Running
	pair       *Running // direct f̃ − exact on pairs
	unary      *Running // direct f̃ − exact on the logits
}

// measurement is the laboratory's state across noise draws: the
// estimators' accumulators, the reference's, the noise-level REINFORCE
// baselines and the workers' scratch.
type measurement struct {
	t        *tables
	eps      []float64
	est      []estimate
	ref      *Running
	baseline []float64
	started  []bool
	noise    []float64
	works    sync.Pool // of *work: scratch for one range of examples
	// Per draw, per example: the reference sample and each estimator's
	// sample, written to rows of these buffers by the workers.
	refRow, d         []float64
	estRows, pairRows [][]float64
}

// work is one worker's scratch.
type work struct {
	l, lt, nl, nh, nl2, nh2 []float64
	m1, m0                  []float64
	a1, a0                  []int
}

func newWork(t *tables) *work {
	n := t.n
	return &work{l: make([]float64, n), lt: make([]float64, n), nl: make([]float64, 1<<t.low), nh: make([]float64, 1<<(n-t.low)),
		nl2: make([]float64, 1<<t.low), nh2: make([]float64, 1<<(n-t.low)),
		m1: make([]float64, n), m0: make([]float64, n), a1: make([]int, n), a0: make([]int, n)}
}

func newMeasurement(t *tables, epss []float64) *measurement {
	B, n, P := len(t.H), t.n, len(t.pairs)
	D := B * n
	m := &measurement{t: t, eps: epss, ref: NewRunning(D), baseline: make([]float64, B), started: make([]bool, B),
		noise: make([]float64, B*2*n), refRow: make([]float64, D), d: make([]float64, D)}
	for _, e := range epss {
		m.est = append(m.est, estimate{name: "direct, f̃", eps: e}, estimate{name: "direct, exact z*(ε)", eps: e})
	}
	m.est = append(m.est, estimate{name: "REINFORCE on the noise (running-mean baseline)"}, estimate{name: "ARM on the noise (antithetic ℓ ↔ −ℓ)"})
	for i := range m.est {
		e := &m.est[i]
		e.diff, e.samp = NewRunning(D), NewRunning(D)
		if e.name == "direct, f̃" {
			e.unary = NewRunning(D)
			if P > 0 {
				e.pair = NewRunning(B * P)
			}
		}
		m.estRows = append(m.estRows, make([]float64, D))
		m.pairRows = append(m.pairRows, make([]float64, B*P))
	}
	m.works.New = func() any { return newWork(t) }
	return m
}

// draw takes one noise draw for every example (γ from r), computes the
// reference's and the estimators' samples, examples split across the
// threads (kernels.ParallelRows; each example's rows are its own, so the
// values do not depend on the split), and accumulates them; closed, if not
// nil, replaces the reference in the differences.
func (m *measurement) draw(r *rand.Rand, closed []float64, rep int) error {
	t, B := m.t, len(m.t.H)
	argmax.GumbelFill(m.noise, r)
	kernels.ParallelRows(B, 1, B<<t.n*(t.n+len(m.eps)), func(lo, hi int) {
		wk := m.works.Get().(*work)
		defer m.works.Put(wk)
		for b := lo; b < hi; b++ {
			m.sample(b, wk)
		}
	})
	var err error // the first error of an Add (none: every length is fixed by newMeasurement)
	add := func(acc *Running, x []float64) {
		if e := acc.Add(x); err == nil {
			err = e
		}
	}
	add(m.ref, m.refRow)
	d := m.d
	for i := range m.est {
		e := &m.est[i]
		for j := range d {
			ref := m.refRow[j]
			if closed != nil {
				ref = closed[j]
			}
			d[j] = m.estRows[i][j] - ref
		}
		add(e.diff, d)
		add(e.samp, m.estRows[i])
		if e.pair != nil {
			add(e.pair, m.pairRows[i])
		}
		if e.unary != nil { // the exact row follows
			for j := range d {
				d[j] = m.estRows[i][j] - m.estRows[i+1][j]
			}
			add(e.unary, d)
		}
	}
	// Update the REINFORCE baselines after use: L(z*) of this draw.
	for b := 0; b < B; b++ {
		L := -t.F[b][t.lastZ[b]]
		if !m.started[b] {
			m.baseline[b], m.started[b] = L, true
		} else {
			m.baseline[b] += (L - m.baseline[b]) / float64(min(rep+1, 100))
		}
	}
	return err
}

// sample computes example b's reference and estimator samples for the
// current draw's noise.
func (m *measurement) sample(b int, wk *work) {
	t, n, P := m.t, m.t.n, len(m.t.pairs)
	gamma := m.noise[b*2*n : (b+1)*2*n]
	H, F, l := t.H[b], t.F[b], wk.l
	for i := range l {
		l[i] = gamma[2*i+1] - gamma[2*i]
	}
	zs := t.clampedMaxima(H, l, wk)
	t.lastZ[b] = zs
	Lz := -F[zs]
	for i := 0; i < n; i++ {
		a := wk.m1[i] - l[i] - wk.m0[i]
		m.refRow[b*n+i] = sigmoid(a) * sigmoid(-a) * (-F[wk.a1[i]] + F[wk.a0[i]])
	}
	k := 0
	for _, eps := range m.eps {
		gt, ge := m.estRows[k][b*n:(b+1)*n], m.estRows[k+1][b*n:(b+1)*n]
		var pr []float64
		if P > 0 {
			pr = m.pairRows[k][b*P : (b+1)*P]
		}
		t.direct(b, zs, eps, wk, gt, ge, pr)
		k += 2
	}
	// REINFORCE on the noise: the score of ℓᵢ's logistic density.
	c := 0.0
	if m.started[b] {
		c = m.baseline[b]
	}
	g := m.estRows[k][b*n : (b+1)*n]
	for i := 0; i < n; i++ {
		g[i] = (Lz - c) * math.Tanh(l[i]/2)
	}
	k++
	// ARM on the noise: the antithetic ℓ → −ℓ.
	t.noiseTables(l, -1, wk.nl2, wk.nh2)
	za := t.argmaxCode(H, F, wk.nl2, wk.nh2, 0)
	g = m.estRows[k][b*n : (b+1)*n]
	for i := 0; i < n; i++ {
		g[i] = (Lz + F[za]) * (sigmoid(l[i]) - 0.5)
	}
}

// clampedMaxima scans the codes once under the noise ℓ (loading wk.nl,
// wk.nh): it sets, per bit i, the best score and code with zᵢ = 1 (m1, a1)
// and with zᵢ = 0 (m0, a0), and returns z*.
func (t *tables) clampedMaxima(H, l []float64, wk *work) int {
	n := t.n
	t.noiseTables(l, 1, wk.nl, wk.nh)
	mask := len(wk.nl) - 1
	for i := 0; i < n; i++ {
		wk.m1[i], wk.m0[i] = math.Inf(-1), math.Inf(-1)
	}
	for c, hc := range H {
		s := hc + wk.nl[c&mask] + wk.nh[c>>t.low]
		for i := 0; i < n; i++ {
			if c>>i&1 == 1 {
				if s > wk.m1[i] {
					wk.m1[i], wk.a1[i] = s, c
				}
			} else if s > wk.m0[i] {
				wk.m0[i], wk.a0[i] = s, c
			}
		}
	}
	if wk.m1[0] > wk.m0[0] {
		return wk.a1[0]
	}
	return wk.a0[0]
}

// direct writes example b's direct samples at ε: with f̃ (unary shifts
// ε·(f(z* with bit i = 1) − f(z* with bit i = 0))) into gt and with the
// exact z*(ε) into ge, and f̃'s pair-weight sample into pr when there are
// pairs; wk.nl, wk.nh hold the draw's noise tables.
func (t *tables) direct(b, zs int, eps float64, wk *work, gt, ge, pr []float64) {
	n, H, F := t.n, t.H[b], t.F[b]
	lt := wk.lt
	for i := 0; i < n; i++ {
		lt[i] = wk.l[i] + eps*(F[zs|1<<i]-F[zs&^(1<<i)])
	}
	t.noiseTables(lt, 1, wk.nl2, wk.nh2)
	zt := t.argmaxCode(H, F, wk.nl2, wk.nh2, 0)
	ze := t.argmaxCode(H, F, wk.nl, wk.nh, eps)
	for i := 0; i < n; i++ {
		gt[i] = -float64(zt>>i&1-zs>>i&1) / eps
		ge[i] = -float64(ze>>i&1-zs>>i&1) / eps
	}
	for p, ij := range t.pairs {
		on := func(c int) float64 { return float64(c >> ij[0] & 1 * (c >> ij[1] & 1)) }
		pr[p] = -(on(zt) - on(ze)) / eps
	}
}

// summarize fills res's reference and rows from the accumulators.
func (m *measurement) summarize(res *Result, closed []float64) {
	ref := m.ref.Mean()
	res.Reference, res.RefSE = "conditional Monte Carlo", math.Sqrt(m.ref.SE2())
	if closed != nil {
		ref = closed
		res.Reference, res.RefSE = "closed form", 0
		dd := 0.0
		for j := range closed {
			dd += (m.ref.Mean()[j] - closed[j]) * (m.ref.Mean()[j] - closed[j])
		}
		res.ClosedDiff, res.ClosedSE = math.Sqrt(dd), math.Sqrt(m.ref.SE2())
	}
	res.RefNorm = norm(ref)
	for _, e := range m.est {
		row := summarizeRow(e.name, e.eps, e.diff, e.samp, ref)
		if e.unary != nil {
			row.UnaryDiff, row.UnaryFloor = norm(e.unary.Mean()), math.Sqrt(e.unary.SE2())
		}
		if e.pair != nil {
			row.PairDiff, row.PairFloor = norm(e.pair.Mean()), math.Sqrt(e.pair.SE2())
		}
		res.Rows = append(res.Rows, row)
	}
}

// summarizeRow turns the accumulated differences from the reference ref
// and the samples into a row (the f̃-only columns NaN).
func summarizeRow(name string, eps float64, diff, samp *Running, ref []float64) Row {
	raw, floor2 := norm(diff.Mean()), diff.SE2()
	row := Row{Estimator: name, Eps: eps, Raw: raw, Floor: math.Sqrt(floor2), Std: math.Sqrt(samp.MeanVar()),
		UnaryDiff: math.NaN(), UnaryFloor: math.NaN(), PairDiff: math.NaN(), PairFloor: math.NaN()}
	row.Bias = math.Sqrt(math.Max(0, raw*raw-floor2))
	dot, nm := 0.0, 0.0
	for j, m := range samp.Mean() {
		dot += m * ref[j]
		nm += m * m
	}
	row.Cos = dot / math.Sqrt(nm) / norm(ref)
	return row
}

func norm(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v * v
	}
	return math.Sqrt(s)
}
