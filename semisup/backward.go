package semisup

import (
	"math/rand/v2"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/argmaxvae/argmaxvae/nn"
)

// work holds the buffers of one training step, reused across steps.
type work struct {
	in, din        nn.Mat    // decoder input and its gradient
	gumbel         []float64 // B×K Gumbel draws
	ll             []float32 // per-row log-likelihoods
	f              []float64 // B×K component losses
	logq           []float64 // K
	dh             nn.Mat    // B×K gradient of the mean loss with respect to h
	dzc, dmu, dlv  nn.Mat    // (B·K)×C
	klScale        []float32 // (B·K) weights of the Gaussian KL terms
	dg, dcin       nn.Mat    // (B·K)×2C and B×(K·ContHidden)
	dbase1, dbase2 nn.Mat    // B×Base
	scale          []float32 // per-row decoder loss scale
	zstar          []int     // B sampled codes
}

// reset sizes the buffers for a batch of B examples and zeroes the
// gradients that steps accumulate into.
func (w *work) reset(s Sizes, B int) {
	nn.Resize(&w.dh, B, s.K)
	w.dh.Zero()
	for _, p := range []*nn.Mat{&w.dzc, &w.dmu, &w.dlv} {
		nn.Resize(p, B*s.K, s.C)
		p.Zero()
	}
	w.klScale = grow(w.klScale, B*s.K)
	clear(w.klScale)
	w.gumbel = grow(w.gumbel, B*s.K)
	w.ll = grow(w.ll, B*s.K)
	w.f = grow(w.f, B*s.K)
	w.logq = grow(w.logq, s.K)
	w.scale = grow(w.scale, B)
	w.zstar = grow(w.zstar, B)
}

// begin starts a training step on x: it sizes and zeroes the step's
// buffers, runs the encoder (Gaussian noise from r) and then draws the
// B×K Gumbel noise from r, in that order.
func (m *Model) begin(x nn.Mat, r *rand.Rand) (*work, *encoded) {
	w := m.work()
	w.reset(m.S, x.Rows)
	e := m.encode(x, r)
	argmax.GumbelFill(w.gumbel, r)
	return w, e
}

// decodeBackward runs the decoder on in (B×K·C) and accumulates its
// parameter gradients for the loss Σ_b scale[b]·log p(x_b | in_b); it sets
// ll[b] to the log-likelihoods and din to the gradient with respect to in.
// O(B·DecHidden·(K·C + D)).
func (m *Model) decodeBackward(x, in nn.Mat, scale []float32, ll []float32, din *nn.Mat) {
	logits := m.Dec.Forward(in)
	nn.BernoulliLogLikAndGrad(x, logits, scale, ll, logits)
	nn.Resize(din, in.Rows, in.Cols)
	m.Dec.Backward(in, logits, *din)
}

// backward accumulates the encoder's parameter gradients from the
// gradients of the loss with respect to the scores h (w.dh) and the
// Gaussian samples (w.dzc), with the Gaussian KL of row i weighted by
// w.klScale[i]. It must follow the encode of the same batch.
// O(B·(D·Hidden + K·(ContHidden·(Base + ContMid) + ContMid·C))).
func (m *Model) backward(e *encoded, w *work) {
	s := m.S
	B := e.x.Rows
	nn.GaussianBackward(e.mu, e.lv, e.noise, w.dzc, w.klScale, w.dmu, w.dlv)
	nn.Resize(&w.dg, B*s.K, 2*s.C)
	for i := 0; i < B*s.K; i++ {
		row := w.dg.Row(i)
		copy(row[:s.C], w.dmu.Row(i))
		copy(row[s.C:], w.dlv.Row(i))
	}
	nn.Resize(&w.dcin, B, s.K*s.ContHidden)
	m.Cont.Backward(nn.Mat{Rows: B * s.K, Cols: s.ContHidden, Data: e.cin.Data}, w.dg,
		nn.Mat{Rows: B * s.K, Cols: s.ContHidden, Data: w.dcin.Data})
	for i, v := range e.cin.Data {
		if v <= 0 {
			w.dcin.Data[i] = 0
		}
	}
	nn.Resize(&w.dbase1, B, s.Base)
	nn.Resize(&w.dbase2, B, s.Base)
	m.ContIn.Backward(e.base, w.dcin, w.dbase1)
	m.Disc.Backward(e.base, w.dh, w.dbase2)
	for i, v := range w.dbase2.Data {
		w.dbase1.Data[i] += v
	}
	m.Base.Backward(e.x, w.dbase1, nn.Mat{})
}
