package experiment

import (
	"context"
	"io"
	"math"
	"path/filepath"

	"github.com/argmaxvae/argmaxvae/train"
)

// CategoricalHeader is the metrics.csv layout of categorical runs.
// valid_loss and test_loss are the exact NELBO (all K states summed),
// test_nll_exact the exact −log p(x), test_loss_1sample the one-sample
// NELBO estimate.
var CategoricalHeader = []string{"epoch", "iter", "wall_seconds", "temperature", "train_loss", "valid_loss", "test_loss", "test_loss_1sample", "test_nll_exact", "eval_seconds"}

// CategoricalScore is the reported loss of a categorical run: the exact
// negative ELBO when it is available (one latent), else the one-sample
// estimate.
func CategoricalScore(e train.Eval) float64 {
	if !math.IsNaN(e.Exact) {
		return e.Exact
	}
	return e.Sampled
}

// CategoricalRun returns the run of cmd/categorical and cmd/table1: the
// categorical metrics layout, and prototypes.png when pictures is set.
func CategoricalRun(s *Spec, data *Data, t *train.Trainer, log io.Writer, pictures bool) *Run {
	r := &Run{
		Spec: s, Data: data, Trainer: t, Header: CategoricalHeader, Log: log,
		Row: func(e Epoch) []any {
			return []any{e.Epoch, e.Iter, e.Wall, e.Temp, e.Train.Loss, CategoricalScore(e.Valid), CategoricalScore(e.Test), e.Test.Sampled, e.Test.NLL, e.EvalSeconds}
		},
		Score:   CategoricalScore,
		EvalOpt: train.EvalOptions{Samples: 1},
	}
	if pictures {
		r.Pictures = func(_ context.Context, v *train.VAE) error {
			return Prototypes(v, filepath.Join(s.Out, "prototypes.png"))
		}
	}
	return r
}
