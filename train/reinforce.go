package train

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/argmaxvae/argmaxvae/nn"
)

// Reinforce is the score-function estimator with a learned constant
// baseline, for independent binary latents: with z ~ q (the Gumbel-Max
// sample) and L = −log p(x|z),
//
//	∇_α E[L] = E[(L − c)·(z − σ(α))],
//
// unbiased for any c that does not depend on z. The baseline c is learned
// by stochastic gradient descent on ½(L − c)² with rate BaselineRate,
// updated after it is used, so the gradient stays unbiased; it starts at
// the first batch's mean loss and is kept in checkpoints ([Stateful]).
type Reinforce struct {
	BaselineRate float64 // the baseline's learning rate; 0 means 0.1

	baseline float64 // c
	started  bool
}

// Name implements [Estimator].
func (*Reinforce) Name() string { return "reinforce" }

// Needs implements [Estimator]: independent binary latents.
func (*Reinforce) Needs() Needs { return Needs{Binary: true, Independent: true} }

// StateKeys implements [Stateful]: the baseline survives checkpoints.
func (*Reinforce) StateKeys() []string { return []string{"trainer.baseline"} }

// SaveState implements [Stateful].
func (e *Reinforce) SaveState() map[string][]float32 {
	bits := math.Float64bits(e.baseline)
	return map[string][]float32{"trainer.baseline": append(splitInt(int(bits>>32)), splitInt(int(bits&0xffffffff))...)}
}

// LoadState implements [Stateful].
func (e *Reinforce) LoadState(st map[string][]float32) error {
	b := st["trainer.baseline"]
	if len(b) != 4 {
		return fmt.Errorf("train: checkpoint baseline has the wrong length")
	}
	e.baseline = math.Float64frombits(uint64(joinInt(b[:2]))<<32 | uint64(joinInt(b[2:])))
	e.started = true
	return nil
}

// check refuses a rate outside [0, 1], where the baseline would not settle.
func (e *Reinforce) check() error {
	if !(e.BaselineRate >= 0 && e.BaselineRate <= 1) {
		return fmt.Errorf("train: reinforce needs a baseline rate in (0, 1] (0 means 0.1), got %v", e.BaselineRate)
	}
	return nil
}

// Step implements [Estimator]; temp is ignored.
func (e *Reinforce) Step(ctx context.Context, v *VAE, x nn.Mat, r *rand.Rand, temp float64) (Stats, error) {
	if err := checkStep(e.Name(), v, x, r); err != nil {
		return Stats{}, err
	}
	if err := e.check(); err != nil {
		return Stats{}, err
	}
	if err := e.Needs().Check(e.Name(), v.S); err != nil {
		return Stats{}, err
	}
	scores, zstar, err := v.SampleArgmax(ctx, x, r)
	if err != nil {
		return Stats{}, err
	}
	B, n := x.Rows, v.N
	f, err := v.DecodeBackward(x, zstar, nn.Mat{})
	if err != nil {
		return Stats{}, err
	}
	meanL := 0.0
	for b := 0; b < B; b++ {
		meanL -= float64(f[b])
	}
	meanL /= float64(B)
	dw := v.GradBuffer()
	for b := 0; b < B; b++ {
		adv := (-float64(f[b]) - e.baseline) / float64(B)
		row, ds := scores.Row(b), dw.Row(b)
		for i := 0; i < n; i++ {
			p := sigmoid(float64(row[2*i+1]) - float64(row[2*i]))
			addBitGrad(ds, i, adv*(float64(zstar[b*n+i])-p))
		}
	}
	rate := e.BaselineRate
	if rate == 0 {
		rate = 0.1
	}
	if !e.started { // the first step used c = 0; start c at that batch's mean
		e.baseline, e.started = meanL, true
	} else {
		e.baseline += rate * (meanL - e.baseline)
	}
	kl, err := v.UnaryKL(scores, dw, 1/float64(B))
	if err != nil {
		return Stats{}, err
	}
	if err := v.EncoderBackward(x, dw); err != nil {
		return Stats{}, err
	}
	return MeanStats(f, kl), nil
}
