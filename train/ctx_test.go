package train

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/argmaxvae/argmaxvae/nn"
)

// slowStructure is independent bits whose solver takes 2 ms a solve (an
// exhaustive solve of a large model, in miniature) and cancels a context
// at solve number cancelAt, counting the solves after it.
type slowStructure struct {
	argmax.Structure
	solves, after atomic.Int64
	cancelAt      int64
	cancel        context.CancelFunc
}

type slowSolver struct {
	m argmax.Maximizer
	s *slowStructure
}

func (s *slowStructure) NewSolver(name string) (argmax.Maximizer, error) {
	m, err := s.Structure.NewSolver(name)
	return slowSolver{m, s}, err
}

func (x slowSolver) Maximize(w []float64, z []int) (float64, error) {
	time.Sleep(2 * time.Millisecond)
	switch k := x.s.solves.Add(1); {
	case k == x.s.cancelAt:
		x.s.cancel()
	case k > x.s.cancelAt:
		x.s.after.Add(1)
	}
	return x.m.Maximize(w, z)
}

// slowVAE returns a VAE on a slowStructure of 6 bits, 2 threads, and a
// context its solver cancels at solve cancelAt.
func slowVAE(t *testing.T, cancelAt int64) (*VAE, *slowStructure, context.Context) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	s := &slowStructure{Structure: must(argmax.Independent(6, 2)), cancelAt: cancelAt, cancel: cancel}
	enc, dec, err := NewNetworks(s, 12, 16, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewVAE(enc, dec, s, "", 2)
	if err != nil {
		t.Fatal(err)
	}
	return v, s, ctx
}

// maxAfterCancel bounds the solves that may follow a cancel: the round in
// flight, which aims at solveRound of work per worker (50 solves of 2 ms),
// on each of 2 workers, plus slack for a machine so loaded that a measured
// solve looks shorter than it is (it cannot: sleeps only lengthen).
const maxAfterCancel = 2 * (int64(solveRound/(2*time.Millisecond)) + 2)

// A cancel in the middle of a long minibatch (2,000 examples, 2 ms a
// solve: 2 s of solves) stops TrainEpoch within one round of solves, with
// ctx's error, and the trainer does not count the step.
func TestTrainEpochHonoursCancelWithinAMinibatch(t *testing.T) {
	v, s, ctx := slowVAE(t, 30)
	tr, err := NewTrainer(v, &Direct{}, Options{Batch: 2000})
	if err != nil {
		t.Fatal(err)
	}
	_, err = tr.TrainEpoch(ctx, randomImages(2, 2000, 12))
	if !errors.Is(err, context.Canceled) || tr.iter != 0 || tr.epoch != 0 {
		t.Fatalf("error %v at iteration %d, epoch %d; want context.Canceled in the first step", err, tr.iter, tr.epoch)
	}
	if a := s.after.Load(); a > maxAfterCancel {
		t.Errorf("%d solves after the cancel, want ≤ %d", a, maxAfterCancel)
	}
}

// The same within one chunk of an evaluation.
func TestEvaluateHonoursCancel(t *testing.T) {
	v, s, ctx := slowVAE(t, 30)
	_, err := Evaluate(ctx, v, randomImages(2, 1500, 12), rand.New(rand.NewPCG(1, 2)), EvalOptions{Chunk: 1500})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if a := s.after.Load(); a > maxAfterCancel {
		t.Errorf("%d solves after the cancel, want ≤ %d", a, maxAfterCancel)
	}
}

// countdown is a context whose Err turns to Canceled after n calls: it
// shows that a loop checks its context inside, not only on entry.
type countdown struct {
	context.Context
	n atomic.Int64
}

func newCountdown(n int64) *countdown {
	c := &countdown{Context: context.Background()}
	c.n.Store(n)
	return c
}

func (c *countdown) Err() error {
	if c.n.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

// ExactLikelihood and ImportanceLikelihood check their context between
// chunks of codes, of images and of decoded rows (bounded work each), so a
// cancel arriving in the middle stops them with ctx's error.
func TestLikelihoodsHonourCancel(t *testing.T) {
	v := tinyVAE(t, 5, 12, 10, 2, true, true, "")
	X := randomImages(6, 300, 12)
	defer func(c, i, r int) { enumCodeChunk, enumImageChunk, iwRows = c, i, r }(enumCodeChunk, enumImageChunk, iwRows)
	enumCodeChunk, enumImageChunk, iwRows = 64, 32, 100
	for _, c := range []struct {
		name string
		run  func(ctx context.Context) error
	}{
		{"ExactLikelihood", func(ctx context.Context) error { _, err := ExactLikelihood(ctx, v, X); return err }},
		{"ImportanceLikelihood", func(ctx context.Context) error {
			_, err := ImportanceLikelihood(ctx, v, X, 10, rand.New(rand.NewPCG(1, 1)))
			return err
		}},
	} {
		if err := c.run(context.Background()); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		for _, n := range []int64{0, 3, 10} {
			if err := c.run(newCountdown(n)); !errors.Is(err, context.Canceled) {
				t.Errorf("%s cancelled after %d checks: error %v, want context.Canceled", c.name, n, err)
			}
		}
	}
}

// Everything that solves runs on the VAE's threads: TrainEpoch sets the nn
// kernels' count to the VAE's own.
func TestTrainEpochUsesTheVAEsThreads(t *testing.T) {
	defer nn.SetThreads(nn.Threads())
	nn.SetThreads(1)
	v := tinyVAE(t, 3, 12, 4, 2, false, false, "") // 2 threads
	tr, err := NewTrainer(v, &Direct{}, Options{Batch: 10})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.TrainEpoch(context.Background(), randomImages(1, 20, 12)); err != nil {
		t.Fatal(err)
	}
	if nn.Threads() != v.Threads() || v.Threads() != 2 {
		t.Errorf("nn runs %d threads, the VAE has %d", nn.Threads(), v.Threads())
	}
}
