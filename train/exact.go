package train

import (
	"context"
	"math"
	"math/rand/v2"

	"github.com/argmaxvae/argmaxvae/nn"
)

// Exact is the unbiased gradient of Eq. (2) for one categorical latent:
// the expectation over q = softmax(h) is summed over all K states, so the
// loss −Σ_s q_s f(x,s) + KL is differentiated exactly. The decoder output
// depends only on s, so the K codes are decoded once per batch, and both
// f(x_b, s) for every b and the decoder gradient
// −(1/B)·Σ_b q_bs (x_b − σ(L_s)) are single matrix products.
type Exact struct {
	c       allCodes
	q, fAll nn.Mat // q and f(x_b, s) for every state
	f       []float32
	lq      []float64
}

// Name implements [Estimator].
func (*Exact) Name() string { return "exact" }

// Needs implements [Estimator]: one categorical latent, no temperature.
func (*Exact) Needs() Needs { return Needs{OneLatent: true, Independent: true} }

// Step implements [Estimator]; temp is ignored and r is not used.
func (e *Exact) Step(ctx context.Context, v *VAE, x nn.Mat, r *rand.Rand, temp float64) (Stats, error) {
	if err := checkBatch(e.Name(), v, x); err != nil {
		return Stats{}, err
	}
	if err := e.Needs().Check(e.Name(), v.S); err != nil {
		return Stats{}, err
	}
	B, k := x.Rows, v.K
	scores, err := v.Scores(x)
	if err != nil {
		return Stats{}, err
	}
	nn.Resize(&e.q, B, k)
	nn.Resize(&e.fAll, B, k)
	e.f, e.lq = grow(e.f, B), grow(e.lq, k)
	logits, err := e.c.forward(v, x, e.fAll)
	if err != nil {
		return Stats{}, err
	}
	dw := v.GradBuffer()
	exactTerms(scores, e.fAll, e.q, dw, e.f, e.lq)
	kl, err := v.UnaryKL(scores, dw, 1/float64(B))
	if err != nil {
		return Stats{}, err
	}
	if err := e.c.backward(v, x, e.q, logits); err != nil {
		return Stats{}, err
	}
	if err := v.EncoderBackward(x, dw); err != nil {
		return Stats{}, err
	}
	return MeanStats(e.f, kl), nil
}

// exactTerms computes, for one categorical latent with F[b,s] = f(x_b, s),
// q = softmax(h), f[b] = Σ_s q_bs F_bs (the expected log-likelihood), and
// overwrites ds with the gradient of −(1/B)·Σ_b f[b] with respect to h:
// −q_bs (F_bs − f[b])/B. lq is K-long scratch. O(B·K).
func exactTerms(scores, F, q, ds nn.Mat, f []float32, lq []float64) {
	B, k := scores.Rows, F.Cols
	for b := 0; b < B; b++ {
		nn.LogSoftmax(scores.Row(b)[:k], lq)
		qb, Fb, db := q.Row(b), F.Row(b), ds.Row(b)
		mean := 0.0
		for s := 0; s < k; s++ {
			qb[s] = float32(math.Exp(lq[s]))
			mean += float64(qb[s]) * float64(Fb[s])
		}
		f[b] = float32(mean)
		for s := range db {
			db[s] = 0
		}
		for s := 0; s < k; s++ {
			db[s] = float32(-float64(qb[s]) * (float64(Fb[s]) - mean) / float64(B))
		}
	}
}
