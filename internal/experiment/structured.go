package experiment

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"path/filepath"

	"github.com/argmaxvae/argmaxvae/nn"
	"github.com/argmaxvae/argmaxvae/train"
)

// StructuredHeader is the metrics.csv layout of structured runs.
// test_loss is the one-sample NELBO estimate with the unary-factor KL (an
// estimate, not a bound, for pairwise encoders); test_nelbo_gibbs the
// NELBO of the Gibbs distribution exp(h)/Z, enumerated (a valid bound);
// test_nll −log p(x), exact when enumerable and importance-weighted
// otherwise (config.json's test_nll_kind says which); empty cells where an
// epoch was not evaluated.
var StructuredHeader = []string{"epoch", "iter", "wall_seconds", "solver_seconds", "temperature", "train_loss", "valid_loss", "test_loss", "test_kl_unary", "test_kl_exact",
	"test_nelbo_gibbs", "test_nll", "eval_seconds"}

// StructuredScore is the reported loss of a structured run: the negative
// ELBO at Gumbel-Max samples with the unary-factor KL.
func StructuredScore(e train.Eval) float64 { return e.Sampled }

// StructuredRun returns the run of cmd/structured and cmd/figure3: the
// structured metrics layout and, when pictures is set, samples.png.
func StructuredRun(s *Spec, data *Data, t *train.Trainer, log io.Writer, pictures bool) *Run {
	r := &Run{
		Spec: s, Data: data, Trainer: t, Header: StructuredHeader, Log: log,
		Row: func(e Epoch) []any {
			return []any{e.Epoch, e.Iter, e.Wall, e.SolverSeconds, e.Temp, e.Train.Loss, e.Valid.Sampled, e.Test.Sampled, e.Test.KL, e.Test.KLExact,
				e.TestLik.GibbsNELBO, e.TestLik.NLL, e.EvalSeconds}
		},
		Score:   StructuredScore,
		EvalOpt: train.EvalOptions{Samples: s.Samples, ExactKL: s.ExactKL},
	}
	seed := s.Seed
	r.Likelihood, r.LikKind = LikelihoodOf(t.VAE(), s.IWSamples, func() *rand.Rand { return rand.New(rand.NewPCG(seed, 0x1a7e)) })
	if r.LikKind == "exact" {
		r.LikEvery = s.NLLEvery // importance weighting: the last epoch only
	}
	s.NLLKind = r.LikKind
	if pictures {
		r.Pictures = func(ctx context.Context, v *train.VAE) error {
			return Samples(ctx, v, data.Test, filepath.Join(s.Out, "samples.png"), s.Seed)
		}
	}
	return r
}

// LikelihoodOf returns how a run of v measures −log p(x), and the kind
// that summary.json names: exact when v's codes are enumerable
// ([train.Enumerable]), importance-weighted with samples samples per image
// otherwise, each evaluation drawing from a fresh generator of rng (so
// every evaluation of a state gives the same number), and nil, "" when
// the codes are too many and samples is 0.
func LikelihoodOf(v *train.VAE, samples int, rng func() *rand.Rand) (func(context.Context, *train.VAE, nn.Mat) (train.Likelihood, error), string) {
	switch {
	case train.Enumerable(v):
		return train.ExactLikelihood, "exact"
	case samples > 0:
		return func(ctx context.Context, v *train.VAE, X nn.Mat) (train.Likelihood, error) {
			return train.ImportanceLikelihood(ctx, v, X, samples, rng())
		}, fmt.Sprintf("importance-weighted (%d samples)", samples)
	}
	return nil, ""
}
