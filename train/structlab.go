package train

import (
	"context"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"runtime"
	"sync"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/argmaxvae/argmaxvae/nn"
)

// The structured gradient laboratory (cmd/structlab) measures, at fixed
// parameters of a VAE with n ≤ 16 binary latents (independent or
// pairwise), the bias and spread of encoder-gradient estimators against the
// true gradient of the expected reconstruction loss
//
//	∇_α E_γ[L(x, z*(γ))],  z*(γ) = argmax_z h(x,z) + Σᵢ γ_{i,zᵢ},  L = −log p(x|z),
//
// with respect to each bit's logit αᵢ = h_{i1} − h_{i0}, the unary
// coordinate every estimator below provides. The decoder's input does not
// depend on x, so all 2ⁿ codes are decoded once: f(x_b, z) and h(x_b, z)
// are tables, and every arg max is a scan of them. Only γ's differences
// ℓᵢ = γ_{i1} − γ_{i0} (logistic) matter.
//
// The reference gradient. For independent latents it is the closed form
// Σ_z q(z)·L(z)·(zᵢ − θᵢ). For pairwise encoders the sampler's distribution
// has no closed form; the lab estimates the gradient by conditional Monte
// Carlo: given ℓ₋ᵢ, bit i of z*(γ) is 1 exactly when ℓᵢ + aᵢ > 0, where
// aᵢ = max_{zᵢ=1}(h + ℓ·z − ℓᵢ) − max_{zᵢ=0}(h + ℓ·z), and the two clamped
// arg maxes z^{i,1}, z^{i,0} do not depend on ℓᵢ, so
//
//	∂/∂αᵢ E[L] = E_{ℓ₋ᵢ}[σ(aᵢ)σ(−aᵢ)·(L(z^{i,1}) − L(z^{i,0}))]
//
// exactly (ℓᵢ integrated out). Each sample is unbiased and bounded (a
// quarter of an L difference), without the 1/δ variance of finite
// differences or the need to estimate 2ⁿ probabilities; its Monte-Carlo
// error is reported. Estimators are compared with it on common random
// numbers: the bias of an estimator is the mean of its per-sample
// difference from the reference's sample at the same noise, with the
// paired standard error.
//
// Estimators on the tables, at each ε: direct with f̃ (the [Direct]
// estimator, KL ignored: z*(ε) = argmax h + γ + ε·f̃), direct with the exact
// perturbed arg max ([DirectExact], f instead of f̃), REINFORCE on the noise
// (L − c)·tanh(ℓᵢ/2) (the score of ℓᵢ's logistic density; c a running
// mean of earlier samples' L for the example), and ARM on the noise,
// (L(z*(ℓ)) − L(z*(−ℓ)))·(σ(ℓᵢ) − ½), ARM's antithetic augmentation
// applied to the logistic noise, which is what ARM is for independent bits
// and stays unbiased for any function of ℓ. DisARM, REBAR and RELAX need
// the per-bit structure of independent latents (DisARM integrates over
// each bit's indicator pair, REBAR and RELAX sample the noise conditioned
// on the bits and need ∇ log q(b)); the lab runs them, and the training
// estimators ARM and REINFORCE, through their Step on independent
// encoders only.

// LabConfig sets the laboratory's sampling.
type LabConfig struct {
	Eps  []float64 // temperatures for the direct estimators
	Reps int       // noise draws per example
	Seed uint64
	// PairScale, if not 0 or 1, multiplies the encoder's pair weights
	// (not its unary scores) before everything: a sensitivity check of
	// how the estimators behave under stronger or weaker coupling at the
	// same unaries. The training estimators ignore it (they apply to
	// independent encoders only).
	PairScale float64
}

// LabRow is one estimator's comparison with the reference gradient over
// all examples and bits.
type LabRow struct {
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

// LabResult is the laboratory's output.
type LabResult struct {
	Reference  string  // "closed form" or "conditional Monte Carlo"
	RefNorm    float64 // ‖∇‖ over all examples and bits (mean of the reference)
	RefSE      float64 // √Σ se² of the reference (0 for the closed form)
	Examples   int
	Rows       []LabRow
	Interacts  bool
	ClosedDiff float64 // independent encoders: ‖conditional MC mean − closed form‖ (a check of the reference), else NaN
	ClosedSE   float64
	MeanLogit  float64 // mean |αᵢ| over the examples' bits
	MeanPair   float64 // mean |w_ij| over the examples' pairs (after PairScale)
	MaxPairSum float64 // mean over examples of max_i Σ_j |w_ij|: the largest coupling a bit feels
}

// welford accumulates per-coordinate means and variances.
type welford struct {
	n       int
	mean, m []float64
}

func newWelford(d int) *welford { return &welford{mean: make([]float64, d), m: make([]float64, d)} }

func (w *welford) add(x []float64) {
	w.n++
	for j, v := range x {
		d := v - w.mean[j]
		w.mean[j] += d / float64(w.n)
		w.m[j] += d * (v - w.mean[j])
	}
}

// se2 returns Σ_j var_j / n, the squared norm of the mean's standard error.
func (w *welford) se2() float64 {
	s := 0.0
	for _, m := range w.m {
		s += m / float64(w.n-1) / float64(w.n)
	}
	return s
}

func (w *welford) meanVar() float64 {
	s := 0.0
	for _, m := range w.m {
		s += m / float64(w.n-1)
	}
	return s / float64(len(w.m))
}

// labTables holds the per-example code tables.
type labTables struct {
	n, states, low int
	H, F           [][]float64 // [b][code]: h(x_b, z) and f(x_b, z)
	cs             *codeSpace
	pairs          [][2]int  // pairwise structures: the pairs, in feature order
	lastZ          []int     // per example: the code z* of the last sample
	h              []float32 // B×Dim encoder scores (pairs scaled)
	dim            int
}

// couplings returns mean |αᵢ|, mean |w_ij| and the mean over examples of
// max_i Σ_j |w_ij|.
func (t *labTables) couplings() (logit, pair, maxSum float64) {
	B, n := len(t.H), t.n
	sum := make([]float64, n)
	for b := 0; b < B; b++ {
		h := t.h[b*t.dim : (b+1)*t.dim]
		for i := 0; i < n; i++ {
			logit += math.Abs(float64(h[2*i+1]) - float64(h[2*i]))
		}
		clear(sum)
		for p, ij := range t.pairs {
			w := math.Abs(float64(h[2*n+p]))
			pair += w
			sum[ij[0]] += w
			sum[ij[1]] += w
		}
		m := 0.0
		for _, s := range sum {
			m = math.Max(m, s)
		}
		maxSum += m
	}
	logit /= float64(B * n)
	if len(t.pairs) > 0 {
		pair /= float64(B * len(t.pairs))
	}
	return logit, pair, maxSum / float64(B)
}

// newLabTables encodes and decodes everything once.
func newLabTables(v *VAE, x nn.Mat, pairScale float64) (*labTables, error) {
	if v.K != 2 {
		return nil, fmt.Errorf("train: the structured laboratory needs binary latents, got K = %d", v.K)
	}
	if _, ok := v.S.(argmax.Constrained); ok {
		return nil, fmt.Errorf("train: the structured laboratory needs an unconstrained structure, got %s", v.S.Name())
	}
	cs, err := newCodeSpace(v.S)
	if err != nil {
		return nil, err
	}
	B, n, dim := x.Rows, v.N, v.S.Dim()
	scores := v.Scores(x)
	h := append([]float32(nil), scores.Data[:B*dim]...)
	if pairScale != 0 && pairScale != 1 {
		for b := 0; b < B; b++ {
			for j := 2 * n; j < dim; j++ {
				h[b*dim+j] *= float32(pairScale)
			}
		}
	}
	var F nn.Mat
	cs.decodeAll(v.Dec, x, &F)
	t := &labTables{n: n, states: cs.states, low: min(n, 8), cs: cs, lastZ: make([]int, B), h: h, dim: dim}
	t.H, t.F = make([][]float64, B), make([][]float64, B)
	for b := 0; b < B; b++ {
		t.H[b], t.F[b] = make([]float64, cs.states), make([]float64, cs.states)
		for c := range t.F[b] {
			t.F[b][c] = float64(F.At(b, c))
		}
		hb := h[b*dim : (b+1)*dim]
		for j := 0; j < dim; j++ {
			if hb[j] == 0 {
				continue
			}
			row, hj := cs.phiT.Row(j), float64(hb[j])
			for c, p := range row {
				if p != 0 {
					t.H[b][c] += hj * float64(p)
				}
			}
		}
	}
	// Pairs: the feature j ≥ 2n is z_I·z_J; find I, J from the codes with
	// two bits set.
	if dim > 2*n {
		t.pairs = make([][2]int, dim-2*n)
		for j := 2 * n; j < dim; j++ {
			found := false
			for c := 0; c < cs.states && !found; c++ {
				if cs.phiT.At(j, c) != 0 && bits.OnesCount(uint(c)) == 2 {
					i1 := bits.TrailingZeros(uint(c))
					t.pairs[j-2*n] = [2]int{i1, bits.TrailingZeros(uint(c) &^ (1 << i1))}
					found = true
				}
			}
			if !found {
				return nil, fmt.Errorf("train: the structured laboratory needs pairwise features z_i·z_j; feature %d is not one", j)
			}
		}
	}
	return t, nil
}

// noiseTables fills nl (2^low) and nh (2^(n−low)) with Σ ℓᵢ zᵢ over the low
// and high bits of a code, so that ℓ·z(c) = nl[c & mask] + nh[c >> low].
func (t *labTables) noiseTables(l []float64, sign float64, nl, nh []float64) {
	nl[0], nh[0] = 0, 0
	for m := 1; m < len(nl); m++ {
		i := bits.TrailingZeros(uint(m))
		nl[m] = nl[m&(m-1)] + sign*l[i]
	}
	for m := 1; m < len(nh); m++ {
		i := bits.TrailingZeros(uint(m))
		nh[m] = nh[m&(m-1)] + sign*l[t.low+i]
	}
}

// argmaxCode returns argmax_c H[c] + nl + nh + eps·F[c] (lowest code on ties).
func (t *labTables) argmaxCode(H, F, nl, nh []float64, eps float64) int {
	mask, best, arg := len(nl)-1, math.Inf(-1), 0
	for c, hc := range H {
		s := hc + nl[c&mask] + nh[c>>t.low]
		if eps != 0 {
			s += eps * F[c]
		}
		if s > best {
			best, arg = s, c
		}
	}
	return arg
}

// labWork is one worker's scratch.
type labWork struct {
	l, lt, nl, nh, nl2, nh2 []float64
	m1, m0                  []float64
	a1, a0                  []int
	ref, g, gp, gx, diff    []float64
}

// StructuredLab runs the laboratory on the examples x (rows) at v's
// parameters, which it leaves unchanged. Independent encoders also get the
// training estimators ARM, DisARM, REINFORCE, REBAR and RELAX through their
// Step (fresh instances, cfg.Reps steps on the batch x), against the closed
// form. O(2ⁿ·(hidden·D + B·(D + Dim)) + Reps·B·2ⁿ·(n + |Eps|)).
func StructuredLab(v *VAE, x nn.Mat, cfg LabConfig) (*LabResult, error) {
	if cfg.Reps < 2 {
		return nil, fmt.Errorf("train: StructuredLab needs at least 2 repetitions, got %d", cfg.Reps)
	}
	for _, e := range cfg.Eps {
		if !(e > 0) || math.IsInf(e, 0) {
			return nil, fmt.Errorf("train: StructuredLab: ε = %v, want finite > 0", e)
		}
	}
	t, err := newLabTables(v, x, cfg.PairScale)
	if err != nil {
		return nil, err
	}
	B, n := x.Rows, v.N
	D := B * n
	interacts := v.Interactions() > 0
	res := &LabResult{Examples: B, Interacts: interacts, ClosedDiff: math.NaN(), ClosedSE: math.NaN()}
	res.MeanLogit, res.MeanPair, res.MaxPairSum = t.couplings()

	var closed []float64
	if !interacts {
		closed = t.closedForm(v, x)
	}
	// Accumulators: the reference's samples; per estimator the paired
	// differences from the reference and the samples themselves.
	type acc struct {
		name       string
		eps        float64
		diff, samp *welford
		pair       *welford // direct f̃ − exact on pairs
		unary      *welford // direct f̃ − exact on the logits
	}
	names := []acc{}
	for _, e := range cfg.Eps {
		names = append(names, acc{name: "direct, f̃", eps: e}, acc{name: "direct, exact z*(ε)", eps: e})
	}
	names = append(names, acc{name: "REINFORCE on the noise (running-mean baseline)"}, acc{name: "ARM on the noise (antithetic ℓ ↔ −ℓ)"})
	P := len(t.pairs)
	for i := range names {
		names[i].diff, names[i].samp = newWelford(D), newWelford(D)
		if names[i].name == "direct, f̃" {
			names[i].unary = newWelford(D)
			if P > 0 {
				names[i].pair = newWelford(B * P)
			}
		}
	}
	refW := newWelford(D)
	baseline := make([]float64, B)
	started := make([]bool, B)

	nk := 2 * n
	noise := make([]float64, B*nk)
	r := rand.New(rand.NewPCG(cfg.Seed, 0x1ab))
	workers := max(1, min(runtime.GOMAXPROCS(0), B))
	works := make([]*labWork, workers)
	for w := range works {
		works[w] = &labWork{l: make([]float64, n), lt: make([]float64, n), nl: make([]float64, 1<<t.low), nh: make([]float64, 1<<(n-t.low)),
			nl2: make([]float64, 1<<t.low), nh2: make([]float64, 1<<(n-t.low)),
			m1: make([]float64, n), m0: make([]float64, n), a1: make([]int, n), a0: make([]int, n)}
	}
	// Per rep, per example: the reference sample and each estimator's
	// sample, written to rows of these buffers by the workers.
	ne := len(names)
	refRow := make([]float64, D)
	estRows := make([][]float64, ne)
	pairRows := make([][]float64, ne)
	for i := range estRows {
		estRows[i] = make([]float64, D)
		pairRows[i] = make([]float64, B*P)
	}
	for rep := 0; rep < cfg.Reps; rep++ {
		argmax.GumbelFill(noise, r)
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func(wk *labWork, lo, hi int) {
				defer wg.Done()
				for b := lo; b < hi; b++ {
					t.sample(b, noise[b*nk:(b+1)*nk], wk, cfg.Eps, baseline[b], started[b], refRow[b*n:(b+1)*n], estRows, pairRows, P)
				}
			}(works[w], w*B/workers, (w+1)*B/workers)
		}
		wg.Wait()
		refW.add(refRow)
		d := make([]float64, D)
		for i := range names {
			for j := range d {
				ref := refRow[j]
				if closed != nil {
					ref = closed[j]
				}
				d[j] = estRows[i][j] - ref
			}
			names[i].diff.add(d)
			names[i].samp.add(estRows[i])
			if names[i].pair != nil {
				names[i].pair.add(pairRows[i])
			}
			if names[i].unary != nil { // the exact row follows
				for j := range d {
					d[j] = estRows[i][j] - estRows[i+1][j]
				}
				names[i].unary.add(d)
			}
		}
		// Update the REINFORCE baselines after use: L(z*) of this rep.
		for b := 0; b < B; b++ {
			L := -t.F[b][t.lastZ[b]]
			if !started[b] {
				baseline[b], started[b] = L, true
			} else {
				baseline[b] += (L - baseline[b]) / float64(min(rep+1, 100))
			}
		}
	}
	ref := refW.mean
	res.Reference, res.RefSE = "conditional Monte Carlo", math.Sqrt(refW.se2())
	if closed != nil {
		ref = closed
		res.Reference, res.RefSE = "closed form", 0
		dd := 0.0
		for j := range closed {
			dd += (refW.mean[j] - closed[j]) * (refW.mean[j] - closed[j])
		}
		res.ClosedDiff, res.ClosedSE = math.Sqrt(dd), math.Sqrt(refW.se2())
	}
	res.RefNorm = labNorm(ref)
	for _, a := range names {
		row := labSummarize(a.name, a.eps, a.diff, a.samp, ref, closed == nil)
		row.PairDiff, row.PairFloor = math.NaN(), math.NaN()
		row.UnaryDiff, row.UnaryFloor = math.NaN(), math.NaN()
		if a.unary != nil {
			row.UnaryDiff, row.UnaryFloor = labNorm(a.unary.mean), math.Sqrt(a.unary.se2())
		}
		if a.pair != nil {
			row.PairDiff, row.PairFloor = labNorm(a.pair.mean), math.Sqrt(a.pair.se2())
		}
		res.Rows = append(res.Rows, row)
	}
	if !interacts {
		rows, err := labTrainingEstimators(v, x, cfg, closed)
		if err != nil {
			return nil, err
		}
		res.Rows = append(res.Rows, rows...)
	}
	return res, nil
}

// labSummarize turns the accumulated differences and samples into a row;
// paired says the differences share noise with a Monte-Carlo reference.
func labSummarize(name string, eps float64, diff, samp *welford, ref []float64, paired bool) LabRow {
	raw, floor2 := labNorm(diff.mean), diff.se2()
	row := LabRow{Estimator: name, Eps: eps, Raw: raw, Floor: math.Sqrt(floor2), Std: math.Sqrt(samp.meanVar())}
	row.Bias = math.Sqrt(math.Max(0, raw*raw-floor2))
	dot, nm := 0.0, 0.0
	for j, m := range samp.mean {
		dot += m * ref[j]
		nm += m * m
	}
	row.Cos = dot / math.Sqrt(nm) / labNorm(ref)
	return row
}

func labNorm(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v * v
	}
	return math.Sqrt(s)
}

// sample draws one noise sample's reference and estimator rows for example
// b (γ: its 2n Gumbel values).
func (t *labTables) sample(b int, gamma []float64, wk *labWork, epss []float64, base float64, started bool,
	refRow []float64, est, pairEst [][]float64, P int) {
	n := t.n
	H, F := t.H[b], t.F[b]
	l := wk.l
	for i := range l {
		l[i] = gamma[2*i+1] - gamma[2*i]
	}
	t.noiseTables(l, 1, wk.nl, wk.nh)
	// One scan: z* and, per bit, the clamped maxima.
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
	zs := wk.a0[0]
	if wk.m1[0] > wk.m0[0] {
		zs = wk.a1[0]
	}
	t.lastZ[b] = zs
	Lz := -F[zs]
	for i := 0; i < n; i++ {
		a := wk.m1[i] - l[i] - wk.m0[i]
		refRow[i] = sigmoid(a) * sigmoid(-a) * (-F[wk.a1[i]] + F[wk.a0[i]])
	}
	k := 0
	row := func() []float64 { r := est[k][b*n : (b+1)*n]; return r }
	for _, eps := range epss {
		// f̃: unary shifts ε·(f(z* with bit i = 1) − f(z* with bit i = 0)).
		lt := wk.lt
		for i := 0; i < n; i++ {
			lt[i] = l[i] + eps*(F[zs|1<<i]-F[zs&^(1<<i)])
		}
		t.noiseTables(lt, 1, wk.nl2, wk.nh2)
		zt := t.argmaxCode(H, F, wk.nl2, wk.nh2, 0)
		ze := t.argmaxCode(H, F, wk.nl, wk.nh, eps)
		gt, ge := row(), est[k+1][b*n:(b+1)*n]
		for i := 0; i < n; i++ {
			gt[i] = -float64(zt>>i&1-zs>>i&1) / eps
			ge[i] = -float64(ze>>i&1-zs>>i&1) / eps
		}
		if P > 0 {
			pr := pairEst[k][b*P : (b+1)*P]
			for p, ij := range t.pairs {
				on := func(c int) float64 { return float64(c >> ij[0] & 1 * (c >> ij[1] & 1)) }
				pr[p] = -(on(zt) - on(ze)) / eps
			}
		}
		k += 2
	}
	// REINFORCE on the noise.
	c := 0.0
	if started {
		c = base
	}
	g := row()
	for i := 0; i < n; i++ {
		g[i] = (Lz - c) * math.Tanh(l[i]/2)
	}
	k++
	// ARM on the noise: the antithetic ℓ → −ℓ.
	t.noiseTables(l, -1, wk.nl2, wk.nh2)
	za := t.argmaxCode(H, F, wk.nl2, wk.nh2, 0)
	g = row()
	for i := 0; i < n; i++ {
		g[i] = (Lz + F[za]) * (sigmoid(l[i]) - 0.5)
	}
}

// closedForm returns ∂/∂αᵢ E_q[L] for independent bits, by enumeration.
func (t *labTables) closedForm(v *VAE, x nn.Mat) []float64 {
	B, n := x.Rows, t.n
	out := make([]float64, B*n)
	th := make([]float64, n)
	for b := 0; b < B; b++ {
		// H of the code with only bit i set, minus H of 0, is αᵢ.
		for i := 0; i < n; i++ {
			th[i] = sigmoid(t.H[b][1<<i] - t.H[b][0])
		}
		for c := 0; c < t.states; c++ {
			q := 1.0
			for i := 0; i < n; i++ {
				if c>>i&1 == 1 {
					q *= th[i]
				} else {
					q *= 1 - th[i]
				}
			}
			L := -t.F[b][c]
			for i := 0; i < n; i++ {
				out[b*n+i] += q * L * (float64(c>>i&1) - th[i])
			}
		}
	}
	return out
}

// labTrainingEstimators runs the unbiased training estimators' Step on the
// batch x, cfg.Reps times each, and compares their per-example logit
// gradients (the KL's exact gradient removed) with the closed form.
func labTrainingEstimators(v *VAE, x nn.Mat, cfg LabConfig, closed []float64) ([]LabRow, error) {
	B, n := x.Rows, v.N
	scores := v.Enc.Forward(x)
	h := nn.NewMat(B, 2*n)
	copy(h.Data, scores.Data[:B*2*n])
	klg := nn.NewMat(B, 2*n)
	klUnary(v, h, n, 2, make([]float64, B), klg, 1)
	saved := make([][]float32, 0)
	for _, p := range v.Params() {
		saved = append(saved, append([]float32(nil), p.G...))
	}
	defer func() {
		for i, p := range v.Params() {
			copy(p.G, saved[i])
		}
	}()
	var rows []LabRow
	for _, est := range []Estimator{&ARM{}, &DisARM{}, &Reinforce{}, &Rebar{}, &Relax{}} {
		r := rand.New(rand.NewPCG(cfg.Seed, 0x2ab))
		diff, samp := newWelford(B*n), newWelford(B*n)
		g, d := make([]float64, B*n), make([]float64, B*n)
		for rep := 0; rep < cfg.Reps; rep++ {
			nn.ZeroGrad(v.Params())
			if _, err := est.Step(context.Background(), v, x, r, 0); err != nil {
				return nil, err
			}
			for b := 0; b < B; b++ {
				for i := 0; i < n; i++ {
					j := b*n + i
					g[j] = float64(B)*float64(v.ScoreGrad().At(b, 2*i+1)) - float64(klg.At(b, 2*i+1))
					d[j] = g[j] - closed[j]
				}
			}
			diff.add(d)
			samp.add(g)
		}
		row := labSummarize(est.Name()+" (training estimator)", 0, diff, samp, closed, false)
		row.PairDiff, row.PairFloor = math.NaN(), math.NaN()
		row.UnaryDiff, row.UnaryFloor = math.NaN(), math.NaN()
		rows = append(rows, row)
	}
	return rows, nil
}
