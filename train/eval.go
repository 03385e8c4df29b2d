package train

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/argmaxvae/argmaxvae/internal/kernels"
	"github.com/argmaxvae/argmaxvae/nn"
)

// Eval holds per-example means on a data set, in nats.
type Eval struct {
	// Exact is −Σ_z q(z|x) log p(x|z) + KL, summed over all states; NaN
	// unless the model has one categorical latent and no edges.
	Exact float64
	// NLL is the exact −log p(x) = −log Σ_z p(z) p(x|z) with the uniform
	// prior, from the same K decoded codes; NaN unless the model has one
	// categorical latent (use [ExactLikelihood] for more latents).
	NLL float64
	// Sampled is Recon + KL: the negative ELBO estimated at Gumbel-Max
	// samples (one per example: the paper's protocol).
	Sampled float64
	// Recon is −log p(x|z*) averaged over the samples.
	Recon float64
	// KL is KL(q‖uniform) of the unary factors.
	KL float64
	// KLExact is the KL of the Gibbs distribution exp(h)/Z, by enumeration
	// (2ⁿ states, n ≤ 24 binary latents), over the first EvalOptions.ExactKL
	// examples of a pairwise model; NaN when not computed.
	KLExact float64
}

// EvalOptions configures [Evaluate].
type EvalOptions struct {
	Chunk   int // rows per forward pass; ≤ 0 means 1000
	Samples int // Gumbel-Max samples per example; ≤ 0 means 1
	ExactKL int // examples for the exact Gibbs KL of a pairwise model (0: none)
}

// Evaluate scores the rows of X, which must be finite data of the
// decoder's width (no rows gives NaN everywhere). The samples come from r,
// so a fixed seed gives a fixed evaluation. When ctx is cancelled it
// returns ctx's error within about a second (checks between chunks, rounds
// of solves and exact KLs).
func Evaluate(ctx context.Context, v *VAE, X nn.Mat, r *rand.Rand, opt EvalOptions) (Eval, error) {
	if err := checkCtx(ctx); err != nil {
		return Eval{}, err
	}
	if X.Rows == 0 {
		nan := math.NaN()
		return Eval{Exact: nan, NLL: nan, Sampled: nan, Recon: nan, KL: nan, KLExact: nan}, nil
	}
	if r == nil {
		return Eval{}, errors.New("train: Evaluate: nil random generator (the evaluation's noise is drawn from it)")
	}
	if err := checkData(v, X, "Evaluate"); err != nil {
		return Eval{}, err
	}
	v.useThreads()
	chunk, samples := opt.Chunk, opt.Samples
	if chunk <= 0 {
		chunk = 1000
	}
	if samples <= 0 {
		samples = 1
	}
	exactOK := v.oneLatent()
	var sumExact, sumNLL, sumRecon, sumKL, sumGibbs float64
	gibbsCount := 0
	var q, ds nn.Mat
	for lo := 0; lo < X.Rows; lo += chunk {
		if err := ctx.Err(); err != nil {
			return Eval{}, err
		}
		x := X.Slice(lo, min(lo+chunk, X.Rows))
		B := x.Rows
		for s := 0; s < samples; s++ {
			scores, err := v.sample(ctx, x, r)
			if err != nil {
				return Eval{}, err
			}
			if s == 0 {
				klUnary(v, scores, v.N, v.K, v.kl, nn.Mat{}, 0)
				for b := 0; b < B; b++ {
					sumKL += v.kl[b]
				}
				if exactOK {
					nn.Resize(&q, B, v.K)
					nn.Resize(&ds, B, v.K)
					clear(v.zeps[:B]) // any code: with one latent Variants covers every state
					v.sizeDecode(B)
					nn.Resize(&v.vars, B, v.NK())
					if err := v.Dec.Variants(x, v.zeps[:B], v.vars); err != nil {
						return Eval{}, err
					}
					exactTerms(scores, v.vars, q, ds, v.f, v.scratch(v.K))
					logK := math.Log(float64(v.K))
					for b := 0; b < B; b++ {
						sumExact += -float64(v.f[b]) + v.kl[b]
						sumNLL += logK - nn.LogSumExp(v.vars.Row(b))
					}
				}
				if v.Interactions() > 0 && gibbsCount < opt.ExactKL {
					kls, err := gibbsKLs(ctx, v, scores, min(B, opt.ExactKL-gibbsCount))
					if err != nil {
						return Eval{}, err
					}
					for _, kl := range kls {
						sumGibbs += kl
					}
					gibbsCount += len(kls)
				}
			}
			if exactOK { // F already holds f(x_b, s) for every state
				for b := 0; b < B; b++ {
					sumRecon -= float64(v.vars.At(b, v.zstar[b]))
				}
				continue
			}
			if _, err := v.decode(x, v.zstar[:B*v.N]); err != nil {
				return Eval{}, err
			}
			for b := 0; b < B; b++ {
				sumRecon -= float64(v.f[b])
			}
		}
	}
	n := float64(X.Rows)
	e := Eval{Exact: math.NaN(), NLL: math.NaN(), Recon: sumRecon / (n * float64(samples)), KL: sumKL / n, KLExact: math.NaN()}
	e.Sampled = e.Recon + e.KL
	if exactOK {
		e.Exact = sumExact / n
		e.NLL = sumNLL / n
	}
	if gibbsCount > 0 {
		e.KLExact = sumGibbs / float64(gibbsCount)
	}
	return e, nil
}

// modeler is a structure whose weights load into a pairwise [argmax.Model]
// ([argmax.Pairwise]); [gibbsKLOf] enumerates those.
type modeler interface {
	Model(w []float64) *argmax.Model
}

// gibbsKLs returns gibbsKLOf of the unperturbed models of the first count
// rows of scores (none when the structure is not pairwise binary), in row
// order, computed on v's threads (kernels.ParallelRows: Evaluate has set
// the count to v's), each row independently, so the values do not depend on
// the threads. O(count·2ⁿ·(1 + E/n)).
func gibbsKLs(ctx context.Context, v *VAE, scores nn.Mat, count int) ([]float64, error) {
	if count <= 0 || unperturbed(v, scores, 0) == nil {
		return nil, nil
	}
	kls, errs := make([]float64, count), make([]error, count)
	kernels.ParallelRows(count, 1, count<<min(v.N, 30), func(lo, hi int) {
		for b := lo; b < hi; b++ {
			if err := ctx.Err(); err != nil {
				errs[b] = err
				return
			}
			kls[b], errs[b] = gibbsKLOf(unperturbed(v, scores, b))
			if errs[b] != nil {
				return
			}
		}
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, err := range errs { // the lowest row's error
		if err != nil {
			return nil, err
		}
	}
	return kls, nil
}

// unperturbed returns the pairwise model of scores row b without Gumbel
// noise, or nil when the structure is not pairwise binary.
func unperturbed(v *VAE, scores nn.Mat, b int) *argmax.Model {
	p, ok := v.S.(modeler)
	if !ok || v.K != 2 {
		return nil
	}
	row := scores.Row(b)
	w := make([]float64, len(row))
	for j, x := range row {
		w[j] = float64(x)
	}
	return p.Model(w)
}
