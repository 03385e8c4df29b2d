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
	B, D, n, k, nk := X.Rows, v.Dec.D, v.N, v.K, v.NK()
	logPrior := -float64(n) * math.Log(float64(k))
	fam := argmax.SamplerOf(v.S)
	var theta []float64
	if fam != nil {
		theta = make([]float64, nk)
		lz0, err := fam.Set(theta)
		if err != nil {
			return Likelihood{}, fmt.Errorf("train: ImportanceLikelihood: %w", err)
		}
		logPrior = -lz0
	} else if _, ok := v.S.(argmax.Constrained); ok {
		return Likelihood{}, fmt.Errorf("train: ImportanceLikelihood: %s is constrained and has no tractable proposal (argmax.UnaryFamily)", v.S.Name())
	}
	total := B * samples
	batch := max(1, min(iwRows, total))

	acc := make([]iwAcc, B)
	for i := range acc {
		acc[i].m = math.Inf(-1)
	}
	lq := make([]float64, nk) // log r of each (latent, state) for the current example
	p := make([]float64, nk)  // r of each (latent, state)
	lastPos := make([]int, n) // last state of each latent with r > 0
	z := make([]int, batch*n) // codes of the batch
	logr := make([]float64, batch)
	fs := make([]float32, batch)
	onehot := nn.NewMat(batch, nk)
	xs := nn.NewMat(batch, D)
	cur := -1 // example whose proposal is in lq, p
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
			if b != cur && fam != nil {
				cur = b
				for j, x := range W.Row(b)[:nk] {
					theta[j] = float64(x)
				}
				if _, err := fam.Set(theta); err != nil {
					return Likelihood{}, fmt.Errorf("train: ImportanceLikelihood: example %d: %w", b, err)
				}
			}
			if fam != nil {
				logr[r] = fam.Sample(rng.Float64, z[r*n:(r+1)*n])
				copy(xs.Row(r), X.Row(b))
				continue
			}
			if b != cur {
				cur = b
				row := W.Row(b)
				for i := 0; i < n; i++ {
					nn.LogSoftmax(row[i*k:(i+1)*k], lq[i*k:(i+1)*k])
					lastPos[i] = 0
					for s := 0; s < k; s++ {
						p[i*k+s] = math.Exp(lq[i*k+s])
						if p[i*k+s] > 0 {
							lastPos[i] = s
						}
					}
				}
			}
			lr := 0.0
			for i := 0; i < n; i++ {
				u := rng.Float64()
				pi := p[i*k : (i+1)*k]
				s, cum := 0, pi[0]
				for s < lastPos[i] && u >= cum {
					s++
					cum += pi[s]
				}
				z[r*n+i] = s
				lr += lq[i*k+s]
			}
			logr[r] = lr
			copy(xs.Row(r), X.Row(b))
		}
		decoder.OneHot(z[:rows*n], n, k, onehot)
		logits := v.Dec.Forward(onehot)
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

	S := float64(samples)
	gibbsNELBO, gibbsKL := math.NaN(), math.NaN()
	if fam != nil && v.Interactions() == 0 {
		// The proposal is q_G itself: the mean log weight estimates its ELBO.
		gibbsNELBO, gibbsKL = -sumLW/float64(total), sumKL/float64(total)
	}
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
	nb := float64(B)
	se := math.Sqrt(sumVar) / nb
	if samples == 1 {
		se = math.NaN()
	}
	return Likelihood{
		NLL:        sumNLL / nb,
		NLLStdErr:  se,
		Samples:    samples,
		GibbsNELBO: gibbsNELBO,
		GibbsKL:    gibbsKL,
		Seconds:    time.Since(start).Seconds(),
	}, nil
}
