package main

import (
	"context"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	gradlab "github.com/argmaxvae/argmaxvae/lab"
	"github.com/argmaxvae/argmaxvae/nn"
	"github.com/argmaxvae/argmaxvae/report"
	"github.com/argmaxvae/argmaxvae/train"
)

// setting is one estimator at one temperature.
type setting struct {
	name   string  // the estimator's name in figure1.csv
	symbol string  // "ε" or "τ"
	temp   float64 // ε or τ
	elbo   bool    // compared with the whole negative ELBO's gradient (else the reconstruction part's)
	direct bool    // a direct form, whose mean has a closed form
	kl     train.KLMode
	hard   bool // gsm: straight-through
}

// estimator returns a fresh estimator of the setting.
func (s setting) estimator() train.Estimator {
	if s.direct {
		return &train.Direct{KL: s.kl}
	}
	return &train.GumbelSoftmax{Relaxed: !s.hard}
}

// stream is the second word of the setting's PCG seed: a hash of its name
// and temperature, so its noise does not depend on the other settings.
func (s setting) stream() uint64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s/%s", s.name, strconv.FormatFloat(s.temp, 'g', -1, 64))
	return h.Sum64()
}

// Estimator names, in the order they run and appear.
const (
	directNone   = "direct-none"
	directFolded = "direct-folded"
	gsmHard      = "gsm"
	gsmRelaxed   = "gsm-relaxed"
)

// settings lists every estimator and temperature to measure: direct with
// the KL ignored at every ε, folded at ε ≤ 1, both Gumbel-Softmax forms at
// every τ.
func settings(o *options) []setting {
	var out []setting
	for _, e := range o.eps {
		out = append(out, setting{name: directNone, symbol: "ε", temp: e, direct: true, kl: train.KLNone})
	}
	for _, e := range o.eps {
		if e <= train.KLFolded.MaxEps() {
			out = append(out, setting{name: directFolded, symbol: "ε", temp: e, elbo: true, direct: true, kl: train.KLFolded})
		}
	}
	for _, hard := range []bool{true, false} {
		name := gsmRelaxed
		if hard {
			name = gsmHard
		}
		for _, tau := range o.tau {
			out = append(out, setting{name: name, symbol: "τ", temp: tau, hard: hard})
		}
	}
	return out
}

// result is what one setting measured.
type result struct {
	setting
	bias     float64 // ‖mean − g‖/‖g‖
	expected float64 // ‖E ĝ − g‖/‖g‖ from the closed form (direct), else NaN
	floor    float64 // √(Σ var/reps)/‖g‖: the measured bias of an unbiased estimator
	std      float64 // mean over parameters of the standard deviation
	cos      float64 // cosine(mean, g)
	reps     int
	seconds  float64
}

// flatten writes the gradients of ps, flattened, minus sub (if not nil)
// into dst (resized) and returns it.
func flatten(ps []nn.Param, sub, dst []float64) []float64 {
	dst = dst[:0]
	for _, p := range ps {
		for _, g := range p.G {
			dst = append(dst, float64(g))
		}
	}
	for i := range sub {
		dst[i] -= sub[i]
	}
	return dst
}

// lab is the frozen model, the minibatch and the exact gradients.
type lab struct {
	v               *train.VAE
	x               nn.Mat
	recon, kl, elbo []float64 // encoder gradients of the mean loss's parts
	nelbo           float64   // the minibatch's exact mean negative ELBO
	entropy         float64   // mean entropy of q over the minibatch (nats)
	gap             float64   // median gap between each example's two largest scores
}

func newLab(v *train.VAE, x nn.Mat) (*lab, error) {
	rs, ks, err := gradlab.ExactScoreGradients(v, x)
	if err != nil {
		return nil, err
	}
	l := &lab{v: v, x: x}
	if l.recon, err = gradlab.EncoderGradientOf(v, x, rs); err != nil {
		return nil, err
	}
	if l.kl, err = gradlab.EncoderGradientOf(v, x, ks); err != nil {
		return nil, err
	}
	l.elbo = make([]float64, len(l.recon))
	for i := range l.elbo {
		l.elbo[i] = l.recon[i] + l.kl[i]
	}
	nn.ZeroGrad(v.Params())
	st, err := (&train.Exact{}).Step(context.Background(), v, x, nil, 0)
	if err != nil {
		return nil, err
	}
	nn.ZeroGrad(v.Params())
	l.nelbo = st.Loss
	l.entropy = math.Log(float64(v.K)) - st.KL
	scores, err := v.Enc.Forward(x)
	if err != nil {
		return nil, err
	}
	gaps := make([]float64, x.Rows)
	for b := range gaps {
		row := slices.Clone(scores.Row(b)[:v.K])
		slices.Sort(row)
		gaps[b] = float64(row[v.K-1]) - float64(row[v.K-2])
	}
	slices.Sort(gaps)
	l.gap = gaps[len(gaps)/2]
	return l, nil
}

// target is the exact gradient a setting is compared with.
func (l *lab) target(s setting) []float64 {
	if s.elbo {
		return l.elbo
	}
	return l.recon
}

// run measures one setting with reps steps of fresh noise from r.
func (l *lab) run(ctx context.Context, s setting, reps int, seed uint64, acc *gradlab.Running) (result, error) {
	v, x := l.v, l.x
	g := l.target(s)
	res := result{setting: s, reps: reps, expected: math.NaN()}
	if s.direct {
		dm, err := gradlab.DirectMean(v, x, s.kl, s.temp)
		if err != nil {
			return res, err
		}
		ge, err := gradlab.EncoderGradientOf(v, x, dm)
		if err != nil {
			return res, err
		}
		res.expected = relDist(ge, g)
	}
	var sub []float64 // GSM adds the exact KL gradient: take it out
	if !s.direct {
		sub = l.kl
	}
	est := s.estimator()
	r := rand.New(rand.NewPCG(seed, s.stream()))
	all, enc := v.Params(), v.Enc.Params()
	acc.Reset(len(g))
	buf := make([]float64, 0, len(g))
	start := time.Now()
	for i := 0; i < reps; i++ {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		nn.ZeroGrad(all)
		if _, err := est.Step(ctx, v, x, r, s.temp); err != nil {
			return res, fmt.Errorf("%s %s=%g: %w", s.name, s.symbol, s.temp, err)
		}
		buf = flatten(enc, sub, buf)
		if err := acc.Add(buf); err != nil {
			return res, err
		}
	}
	nn.ZeroGrad(all)
	res.seconds = time.Since(start).Seconds()
	sumVar, sumStd := 0.0, 0.0
	for j := range g {
		vr := acc.Var(j)
		sumVar += vr
		sumStd += math.Sqrt(vr)
	}
	gn := norm(g)
	res.bias = relDist(acc.Mean(), g)
	res.floor = math.Sqrt(sumVar/float64(acc.N())) / gn
	res.std = sumStd / float64(len(g))
	res.cos = dot(acc.Mean(), g) / (norm(acc.Mean()) * gn)
	return res, nil
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func norm(a []float64) float64 { return math.Sqrt(dot(a, a)) }

// relDist is ‖a − b‖/‖b‖.
func relDist(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		d := a[i] - b[i]
		s += d * d
	}
	return math.Sqrt(s) / norm(b)
}

// measure is the whole command after the flags: prepare the parameters,
// measure every setting, write the files.
func measure(ctx context.Context, o *options, stdout, stderr io.Writer) error {
	t, data, from, err := prepare(ctx, o, stderr)
	if err != nil {
		return err
	}
	x := nn.NewMat(o.examples, data.Test.Cols)
	copy(x.Data, data.Test.Data[:o.examples*data.Test.Cols])
	l, err := newLab(t.VAE(), x)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "figure1: parameters of epoch %d from %s; %d test images, exact NELBO %.2f, entropy of q %.3g nats, median top-two score gap %.3g; ‖g_recon‖ %.4g, ‖g_KL‖ %.4g, ‖g_ELBO‖ %.4g over %d encoder parameters\n",
		t.Epoch(), from, o.examples, l.nelbo, l.entropy, l.gap, norm(l.recon), norm(l.kl), norm(l.elbo), len(l.recon))
	sets := settings(o)
	prog := report.NewProgress(stderr, len(sets), "figure1")
	prog.Unit = "setting"
	var acc gradlab.Running
	var results []result
	start := time.Now()
	for i, s := range sets {
		res, err := l.run(ctx, s, o.reps, o.seed, &acc)
		if err != nil {
			return err
		}
		results = append(results, res)
		prog.Step(i+1, fmt.Sprintf("%s %s=%g  bias %.4g (exact mean %s, noise %.2g)  std %.4g  cos %.4f  %.1fs",
			s.name, s.symbol, s.temp, res.bias, g4(res.expected), res.floor, res.std, res.cos, res.seconds))
	}
	info := runInfo{epoch: t.Epoch(), from: from, nelbo: l.nelbo, entropy: l.entropy, gap: l.gap, recon: norm(l.recon), kl: norm(l.kl), elbo: norm(l.elbo),
		params: len(l.recon), seconds: time.Since(start).Seconds()}
	if err := write(o, results, info); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "figure1: %d settings × %d reps in %s; results in %s\n",
		len(sets), o.reps, report.FormatDuration(time.Since(start)), o.out)
	return nil
}
