package train

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/argmaxvae/argmaxvae/nn"
)

// Trainer runs minibatch epochs of one estimator with Adam. All randomness
// (shuffling and noise) comes from one PCG generator seeded by
// Options.Seed, so the same seed and thread count give the same run. Its
// settings are fixed by NewTrainer (Options reports them); Save and Load
// carry its progress (Epoch, Iter), parameters, Adam's moments and the
// estimator's state. A Trainer is not safe for concurrent use.
type Trainer struct {
	vae   *VAE
	est   Estimator
	opt   *nn.Adam
	sched Schedule
	batch int
	seed  uint64

	epoch int // epochs completed
	iter  int // minibatch steps completed

	pcg    *rand.PCG
	rng    *rand.Rand
	params []nn.Param
	perm   []int
	xb     nn.Mat
}

// Options configure [NewTrainer]; the zero value is the default.
type Options struct {
	LR       float32  // Adam's learning rate; 0 means 1e-3
	Batch    int      // examples per minibatch; 0 means 100
	Schedule Schedule // the temperature; the zero Schedule means DefaultSchedule(est.Needs())
	Seed     uint64   // shuffling and noise
}

// NewTrainer returns a trainer of v by est with Adam, after checking
// everything a first step would trip on: est's [Needs] against v's
// structure, the learning rate (finite, > 0), the batch size and, for an
// estimator that reads a temperature, the schedule (see
// [Schedule.Check]). The data's width is checked by TrainEpoch.
func NewTrainer(v *VAE, est Estimator, opt Options) (*Trainer, error) {
	if v == nil || est == nil {
		return nil, fmt.Errorf("train: NewTrainer needs a VAE and an estimator (got nil)")
	}
	if err := v.usable(); err != nil {
		return nil, err
	}
	if c, ok := est.(settingsChecker); ok {
		if err := c.check(); err != nil {
			return nil, err
		}
	}
	needs := est.Needs()
	if err := needs.Check(est.Name(), v.S); err != nil {
		return nil, err
	}
	lr, batch, sched := opt.LR, opt.Batch, opt.Schedule
	if lr == 0 {
		lr = 1e-3
	}
	if batch == 0 {
		batch = 100
	}
	if sched == (Schedule{}) {
		sched = DefaultSchedule(needs)
	}
	if batch < 1 {
		return nil, fmt.Errorf("train: batch size %d, want ≥ 1 (0 means 100)", batch)
	}
	if !(lr > 0) || math.IsInf(float64(lr), 0) {
		return nil, fmt.Errorf("train: learning rate %v, want a finite number > 0", lr)
	}
	if needs.Temperature != "" {
		if err := sched.Check(needs); err != nil {
			return nil, fmt.Errorf("train: estimator %s: %w", est.Name(), err)
		}
	}
	pcg := rand.NewPCG(opt.Seed, 0x5eed)
	ps := v.Params()
	adam, err := nn.NewAdam(ps, lr)
	if err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	return &Trainer{vae: v, est: est, opt: adam, sched: sched, batch: batch, seed: opt.Seed,
		pcg: pcg, rng: rand.New(pcg), params: ps}, nil
}

// VAE returns the model the trainer trains.
func (t *Trainer) VAE() *VAE { return t.vae }

// Estimator returns the trainer's estimator.
func (t *Trainer) Estimator() Estimator { return t.est }

// Options returns the options in effect: NewTrainer's, with the defaults
// of its zero fields filled in.
func (t *Trainer) Options() Options {
	o := Options{Batch: t.batch, Schedule: t.sched, Seed: t.seed}
	if t.opt != nil {
		o.LR = t.opt.LR
	}
	return o
}

// Epoch returns the number of epochs completed (restored by Load).
func (t *Trainer) Epoch() int { return t.epoch }

// Iter returns the number of minibatch steps completed (restored by Load).
func (t *Trainer) Iter() int { return t.iter }

// Temperature returns the schedule's value at the current iteration.
func (t *Trainer) Temperature() float64 { return t.sched.At(t.iter) }

// usable returns an error for a nil Trainer or one NewTrainer did not
// make (a zero Trainer{}). O(1).
func (t *Trainer) usable() error {
	if t == nil || t.vae == nil || t.est == nil || t.opt == nil {
		return errors.New("train: the Trainer is nil or was not made by NewTrainer")
	}
	return nil
}

// TrainEpoch makes one pass over the rows of X in a random order (the last
// minibatch may be smaller) and returns the mean of the step statistics,
// weighted by minibatch size. X must be finite data of the decoder's width
// (checked first). A non-finite loss stops it with an error. When ctx is
// cancelled it returns ctx's error within about a second (between
// minibatches, and between rounds of solves within one); the epoch counter
// then does not advance (a resume restarts that epoch with fresh
// shuffling).
func (t *Trainer) TrainEpoch(ctx context.Context, X nn.Mat) (Stats, error) {
	if err := checkCtx(ctx); err != nil {
		return Stats{}, err
	}
	if err := t.usable(); err != nil {
		return Stats{}, err
	}
	if err := checkData(t.vae, X, "TrainEpoch"); err != nil {
		return Stats{}, err
	}
	t.vae.useThreads()
	if cap(t.perm) < X.Rows {
		t.perm = make([]int, X.Rows)
	}
	t.perm = t.perm[:X.Rows]
	for i := range t.perm {
		t.perm[i] = i
	}
	t.rng.Shuffle(len(t.perm), func(i, j int) { t.perm[i], t.perm[j] = t.perm[j], t.perm[i] })
	var sum Stats
	for lo := 0; lo < X.Rows; lo += t.batch {
		if err := ctx.Err(); err != nil {
			return Stats{}, err
		}
		hi := min(lo+t.batch, X.Rows)
		nn.Resize(&t.xb, hi-lo, X.Cols)
		for i, p := range t.perm[lo:hi] {
			copy(t.xb.Row(i), X.Row(p))
		}
		nn.ZeroGrad(t.params)
		t.vae.grad = nn.Mat{}
		s, err := t.est.Step(ctx, t.vae, t.xb, t.rng, t.Temperature())
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			return Stats{}, err
		}
		if err != nil {
			return Stats{}, fmt.Errorf("epoch %d step %d: %w", t.epoch+1, t.iter, err)
		}
		if g := t.vae.grad; g.Rows != hi-lo || g.Cols != t.vae.S.Dim() {
			return Stats{}, fmt.Errorf("train: epoch %d step %d: estimator %s did not end its step with EncoderBackward of a %d×%d gradient (got %d×%d)",
				t.epoch+1, t.iter, t.est.Name(), hi-lo, t.vae.S.Dim(), g.Rows, g.Cols)
		}
		if math.IsNaN(s.Loss) || math.IsInf(s.Loss, 0) {
			return Stats{}, fmt.Errorf("train: epoch %d step %d: loss is %v", t.epoch+1, t.iter, s.Loss)
		}
		t.opt.Step()
		t.iter++
		w := float64(hi - lo)
		sum.Loss += w * s.Loss
		sum.Recon += w * s.Recon
		sum.KL += w * s.KL
	}
	t.epoch++
	n := float64(X.Rows)
	return Stats{Loss: sum.Loss / n, Recon: sum.Recon / n, KL: sum.KL / n}, nil
}

// Evaluate scores X with noise from a generator seeded by seed, so every
// evaluation of the same parameters gives the same numbers and evaluating
// does not disturb the training stream. See [Evaluate].
func (t *Trainer) Evaluate(ctx context.Context, X nn.Mat, seed uint64, opt EvalOptions) (Eval, error) {
	if err := checkCtx(ctx); err != nil {
		return Eval{}, err
	}
	if err := t.usable(); err != nil {
		return Eval{}, err
	}
	return Evaluate(ctx, t.vae, X, rand.New(rand.NewPCG(seed, 0xe7a1)), opt)
}
