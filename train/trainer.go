package train

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/argmaxvae/argmaxvae/nn"
)

// Trainer runs minibatch epochs of one estimator with Adam. All randomness
// (shuffling and noise) comes from one PCG generator seeded by Seed, so the
// same seed and thread count give the same run.
type Trainer struct {
	V     *VAE
	Est   Estimator
	Opt   *nn.Adam
	Sched Schedule
	Batch int

	Epoch int // epochs completed
	Iter  int // minibatch steps completed

	pcg    *rand.PCG
	rng    *rand.Rand
	params []nn.Param
	perm   []int
	xb     nn.Mat
	ctx    context.Context // set by TrainEpochContext
}

// NewTrainer returns a trainer with Adam at learning rate lr.
func NewTrainer(v *VAE, est Estimator, lr float64, batch int, sched Schedule, seed uint64) (*Trainer, error) {
	if batch < 1 {
		return nil, fmt.Errorf("train: batch size %d, want ≥ 1", batch)
	}
	if !(lr > 0) || math.IsInf(lr, 0) {
		return nil, fmt.Errorf("train: learning rate %v, want a positive number", lr)
	}
	pcg := rand.NewPCG(seed, 0x5eed)
	ps := v.Params()
	return &Trainer{V: v, Est: est, Opt: nn.NewAdam(ps, float32(lr)), Sched: sched, Batch: batch,
		pcg: pcg, rng: rand.New(pcg), params: ps}, nil
}

// Temperature returns the schedule's value at the current iteration.
func (t *Trainer) Temperature() float64 { return t.Sched.At(t.Iter) }

// TrainEpoch makes one pass over the rows of X in a random order (the last
// minibatch may be smaller) and returns the mean of the step statistics,
// weighted by minibatch size. A non-finite loss stops it with an error.
func (t *Trainer) TrainEpoch(X nn.Mat) (Stats, error) {
	if X.Rows == 0 {
		return Stats{}, fmt.Errorf("train: empty training set")
	}
	if cap(t.perm) < X.Rows {
		t.perm = make([]int, X.Rows)
	}
	t.perm = t.perm[:X.Rows]
	for i := range t.perm {
		t.perm[i] = i
	}
	t.rng.Shuffle(len(t.perm), func(i, j int) { t.perm[i], t.perm[j] = t.perm[j], t.perm[i] })
	var sum Stats
	for lo := 0; lo < X.Rows; lo += t.Batch {
		if t.ctx != nil && t.ctx.Err() != nil {
			return Stats{}, t.ctx.Err()
		}
		hi := min(lo+t.Batch, X.Rows)
		nn.Resize(&t.xb, hi-lo, X.Cols)
		for i, p := range t.perm[lo:hi] {
			copy(t.xb.Row(i), X.Row(p))
		}
		nn.ZeroGrad(t.params)
		t.V.grad = nn.Mat{}
		s, err := t.Est.Step(t.V, t.xb, t.rng, t.Temperature())
		if err != nil {
			return Stats{}, fmt.Errorf("epoch %d step %d: %w", t.Epoch+1, t.Iter, err)
		}
		if g := t.V.grad; g.Rows != hi-lo || g.Cols != t.V.S.Dim() {
			return Stats{}, fmt.Errorf("train: epoch %d step %d: estimator %s did not end its step with EncoderBackward of a %d×%d gradient (got %d×%d)",
				t.Epoch+1, t.Iter, t.Est.Name(), hi-lo, t.V.S.Dim(), g.Rows, g.Cols)
		}
		if math.IsNaN(s.Loss) || math.IsInf(s.Loss, 0) {
			return Stats{}, fmt.Errorf("train: epoch %d step %d: loss is %v", t.Epoch+1, t.Iter, s.Loss)
		}
		t.Opt.Step()
		t.Iter++
		w := float64(hi - lo)
		sum.Loss += w * s.Loss
		sum.Recon += w * s.Recon
		sum.KL += w * s.KL
	}
	t.Epoch++
	n := float64(X.Rows)
	return Stats{Loss: sum.Loss / n, Recon: sum.Recon / n, KL: sum.KL / n}, nil
}

// Evaluate scores X with noise from a generator seeded by seed, so every
// evaluation of the same parameters gives the same numbers and evaluating
// does not disturb the training stream.
func (t *Trainer) Evaluate(X nn.Mat, seed uint64, opt EvalOptions) (Eval, error) {
	return Evaluate(t.V, X, rand.New(rand.NewPCG(seed, 0xe7a1)), opt)
}
