package train

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/argmaxvae/argmaxvae/decoder"
	"github.com/argmaxvae/argmaxvae/nn"
)

// iwRows bounds the decoder rows (example × sample pairs) that
// [ImportanceLikelihood] evaluates at once; tests shrink it.
var iwRows = 4096

// iwAcc holds the streaming sums of one example's importance weights
// w_s = exp(lw_s): m is the largest log weight so far, s1 = Σ exp(lw − m)
// and s2 = Σ exp(2(lw − m)).
type iwAcc struct {
	m, s1, s2 float64
}

// add includes the log weight lw.
func (a *iwAcc) add(lw float64) {
	if lw > a.m {
		if a.s1 > 0 {
			c := math.Exp(a.m - lw)
			a.s1 *= c
			a.s2 *= c * c
		}
		a.m = lw
	}
	e := math.Exp(lw - a.m)
	a.s1 += e
	a.s2 += e * e
}

// ImportanceLikelihood estimates −log p(x), averaged over the rows of X,
// with samples ≥ 1 importance samples per example from the product of the
// encoder's unary softmaxes (a constrained [argmax.UnaryFamily] uses its own
// exponential family over feasible codes; other constrained structures are
// refused). The estimate errs high for few samples (Jensen); NLLStdErr is a
// delta-method standard error (NaN for one sample). Codes come from rng
// alone, so a seed fixes the estimate. Time O(B·S·hidden·(N·K + D)). It uses
// v's buffers, so it must not run concurrently with training on v; it runs
// on v's threads and returns ctx's error within a fraction of a second of a
// cancel. Details: docs/estimators.md#importancelikelihood.
func ImportanceLikelihood(ctx context.Context, v *VAE, X nn.Mat, samples int, rng *rand.Rand) (Likelihood, error) {
	start := time.Now()
	if err := checkCtx(ctx); err != nil {
		return Likelihood{}, err
	}
	if samples < 1 {
		return Likelihood{}, fmt.Errorf("train: ImportanceLikelihood needs at least one sample per example, got %d", samples)
	}
	if rng == nil {
		return Likelihood{}, fmt.Errorf("train: ImportanceLikelihood needs a random source, got nil")
	}
	if err := checkData(v, X, "ImportanceLikelihood"); err != nil {
		return Likelihood{}, err
	}
	v.useThreads()
	W, err := encodeAll(v, X, "ImportanceLikelihood")
	if err != nil {
		return Likelihood{}, err
	}
	B, D, n, nk := X.Rows, v.Dec.D, v.N, v.NK()
	q, logPrior, err := newIWProposal(v, W)
	if err != nil {
		return Likelihood{}, err
	}
	total := B * samples
	batch := max(1, min(iwRows, total))
	acc := make([]iwAcc, B)
	for i := range acc {
		acc[i].m = math.Inf(-1)
	}
	z := make([]int, batch*n) // codes of the batch
	logr := make([]float64, batch)
	fs := make([]float32, batch)
	onehot := nn.NewMat(batch, nk)
	xs := nn.NewMat(batch, D)
	var sumLW, sumKL float64
	for t0 := 0; t0 < total; t0 += batch {
		if err := ctx.Err(); err != nil {
			return Likelihood{}, err
		}
		rows := min(batch, total-t0)
		nn.Resize(&onehot, rows, nk)
		nn.Resize(&xs, rows, D)
		for r := 0; r < rows; r++ {
			b := (t0 + r) / samples
			if logr[r], err = q.sample(b, rng, z[r*n:(r+1)*n]); err != nil {
				return Likelihood{}, err
			}
			copy(xs.Row(r), X.Row(b))
		}
		if err := decoder.OneHot(z[:rows*n], n, v.K, onehot); err != nil {
			return Likelihood{}, err
		}
		logits, err := v.Dec.Forward(onehot)
		if err != nil {
			return Likelihood{}, err
		}
		nn.BernoulliLogLik(xs, logits, fs[:rows])
		for r := 0; r < rows; r++ {
			lw := logPrior + float64(fs[r]) - logr[r]
			if math.IsNaN(lw) || math.IsInf(lw, 0) {
				t := t0 + r
				return Likelihood{}, fmt.Errorf("train: ImportanceLikelihood: log weight of sample %d of example %d is %v (log p(x|z) = %v, log r(z|x) = %v)",
					t%samples, t/samples, lw, fs[r], logr[r])
			}
			acc[(t0+r)/samples].add(lw)
			sumLW += lw
			sumKL += logr[r] - logPrior
		}
	}
	lik := iwSummary(acc, samples)
	if q.fam != nil && v.Interactions() == 0 {
		// The proposal is q_G itself: the mean log weight estimates its ELBO.
		lik.GibbsNELBO, lik.GibbsKL = -sumLW/float64(total), sumKL/float64(total)
	}
	lik.Seconds = time.Since(start).Seconds()
	return lik, nil
}

// iwProposal draws codes from ImportanceLikelihood's proposal for one
// example at a time: the structure's unary family at θ = the example's
// unary scores when it has one, else the product of per-latent softmaxes
// (sampled by inverse CDF, one rng.Float64 per latent).
type iwProposal struct {
	W       nn.Mat // the encoder's scores of every example
	n, k    int
	fam     argmax.UnarySampler
	theta   []float64 // fam's θ
	lq, p   []float64 // log r and r of each (latent, state): the softmax proposal
	lastPos []int     // last state of each latent with r > 0
	cur     int       // example whose proposal is loaded
}

// newIWProposal returns the proposal for v's structure and log p(z) of
// the uniform prior over its feasible codes; a constrained structure
// without a unary family is refused.
func newIWProposal(v *VAE, W nn.Mat) (*iwProposal, float64, error) {
	n, k, nk := v.N, v.K, v.NK()
	q := &iwProposal{W: W, n: n, k: k, cur: -1, fam: argmax.SamplerOf(v.S)}
	if q.fam == nil {
		if _, ok := v.S.(argmax.Constrained); ok {
			return nil, 0, fmt.Errorf("train: ImportanceLikelihood: %s is constrained and has no tractable proposal (argmax.UnaryFamily)", v.S.Name())
		}
		q.lq, q.p, q.lastPos = make([]float64, nk), make([]float64, nk), make([]int, n)
		return q, -float64(n) * math.Log(float64(k)), nil
	}
	q.theta = make([]float64, nk)
	lz0, err := q.fam.Set(q.theta)
	if err != nil {
		return nil, 0, fmt.Errorf("train: ImportanceLikelihood: %w", err)
	}
	return q, -lz0, nil
}

// sample draws a code of example b into z and returns its log r(z|x_b).
func (q *iwProposal) sample(b int, rng *rand.Rand, z []int) (float64, error) {
	n, k := q.n, q.k
	if b != q.cur {
		q.cur = b
		row := q.W.Row(b)
		if q.fam != nil {
			for j := range q.theta {
				q.theta[j] = float64(row[j])
			}
			if _, err := q.fam.Set(q.theta); err != nil {
				return 0, fmt.Errorf("train: ImportanceLikelihood: example %d: %w", b, err)
			}
		} else {
			for i := 0; i < n; i++ {
				nn.LogSoftmax(row[i*k:(i+1)*k], q.lq[i*k:(i+1)*k])
				q.lastPos[i] = 0
				for s := 0; s < k; s++ {
					q.p[i*k+s] = math.Exp(q.lq[i*k+s])
					if q.p[i*k+s] > 0 {
						q.lastPos[i] = s
					}
				}
			}
		}
	}
	if q.fam != nil {
		return q.fam.Sample(rng.Float64, z)
	}
	lr := 0.0
	for i := 0; i < n; i++ {
		u := rng.Float64()
		pi := q.p[i*k : (i+1)*k]
		s, cum := 0, pi[0]
		for s < q.lastPos[i] && u >= cum {
			s++
			cum += pi[s]
		}
		z[i] = s
		lr += q.lq[i*k+s]
	}
	return lr, nil
}

// iwSummary turns the per-example accumulators of S = samples log weights
// into the estimate: NLL = −mean_b log p̂(x_b) and its delta-method
// standard error (NaN for one sample); the Gibbs fields are NaN.
func iwSummary(acc []iwAcc, samples int) Likelihood {
	S := float64(samples)
	var sumNLL, sumVar float64
	for _, a := range acc {
		sumNLL -= a.m + math.Log(a.s1/S)
		if samples > 1 {
			// Sample variance of w/e^m over the squared mean, over S.
			mean := a.s1 / S
			variance := max(0, (a.s2-a.s1*mean)/(S-1))
			sumVar += variance / (S * mean * mean)
		}
	}
	nb := float64(len(acc))
	se := math.Sqrt(sumVar) / nb
	if samples == 1 {
		se = math.NaN()
	}
	return Likelihood{NLL: sumNLL / nb, NLLStdErr: se, Samples: samples, GibbsNELBO: math.NaN(), GibbsKL: math.NaN()}
}
