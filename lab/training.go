package lab

import (
	"context"
	"math/rand/v2"

	"github.com/argmaxvae/argmaxvae/nn"
	"github.com/argmaxvae/argmaxvae/train"
)

// trainingEstimators runs the unbiased training estimators' Step on the
// batch x, cfg.Reps times each, and compares their per-example logit
// gradients (the step's dL/dw, VAE.ScoreGrad, scaled by B, with the KL's
// exact gradient removed) with the closed form. It leaves the parameters'
// gradients as it found them.
func trainingEstimators(ctx context.Context, v *train.VAE, x nn.Mat, cfg Config, closed []float64) ([]Row, error) {
	B, n := x.Rows, v.N
	scores, err := v.Scores(x)
	if err != nil {
		return nil, err
	}
	h := nn.NewMat(B, 2*n)
	copy(h.Data, scores.Data[:B*2*n])
	klg := nn.NewMat(B, 2*n)
	if _, err := v.UnaryKL(h, klg, 1); err != nil {
		return nil, err
	}
	var saved [][]float32
	for _, p := range v.Params() {
		saved = append(saved, append([]float32(nil), p.G...))
	}
	defer func() {
		for i, p := range v.Params() {
			copy(p.G, saved[i])
		}
	}()
	var rows []Row
	for _, est := range []train.Estimator{&train.ARM{}, &train.DisARM{}, &train.Reinforce{}, &train.Rebar{}, &train.Relax{}} {
		r := rand.New(rand.NewPCG(cfg.Seed, 0x2ab))
		diff, samp := NewRunning(B*n), NewRunning(B*n)
		g, d := make([]float64, B*n), make([]float64, B*n)
		for rep := 0; rep < cfg.Reps; rep++ {
			if err := ctx.Err(); err != nil { // steps that do not solve do not check it
				return nil, err
			}
			nn.ZeroGrad(v.Params())
			if _, err := est.Step(ctx, v, x, r, 0); err != nil {
				return nil, err
			}
			dw := v.ScoreGrad()
			for b := 0; b < B; b++ {
				for i := 0; i < n; i++ {
					j := b*n + i
					g[j] = float64(B)*float64(dw.At(b, 2*i+1)) - float64(klg.At(b, 2*i+1))
					d[j] = g[j] - closed[j]
				}
			}
			diff.Add(d)
			samp.Add(g)
		}
		rows = append(rows, summarizeRow(est.Name()+" (training estimator)", 0, diff, samp, closed))
	}
	return rows, nil
}
