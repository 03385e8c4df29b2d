package semisup

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
)

// countdown is a context whose Err is nil for its first n calls and
// context.Canceled from then on: a cancel that lands at an exact point of
// the work, whatever the machine's speed.
type countdown struct {
	context.Context
	n, calls atomic.Int64
}

func cancelAfter(n int64) *countdown {
	c := &countdown{Context: context.Background()}
	c.n.Store(n)
	return c
}

func (c *countdown) Err() error {
	if c.calls.Add(1) > c.n.Load() {
		return context.Canceled
	}
	return nil
}

// Issue 18 item 2: the evaluation looks at the context between batches;
// a cancel in the middle of it returns the context's error before the
// next batch.
func TestEvaluateHonoursCancel(t *testing.T) {
	data := synthData(t)
	m := synthModel(t)
	for _, bound := range []bool{false, true} {
		ctx := cancelAfter(3) // batches 1–3 run, the 4th is refused
		_, err := m.Evaluate(ctx, data.Test, data.TestLabels, 1, 10, bound)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("bound %v: err %v, want context.Canceled", bound, err)
		}
		if got := ctx.calls.Load(); got != 4 {
			t.Errorf("bound %v: %d context checks, want 4 (stop at the 4th of 10 batches)", bound, got)
		}
	}
}

// A cancel that lands in the evaluation after an epoch drops that epoch:
// Run returns the context's error with no epoch, and the folder resumes
// to the run an uninterrupted one gives.
func TestRunCancelDuringEvaluation(t *testing.T) {
	data := synthData(t)
	set := Settings{Epochs: 2, Batch: 20, Seed: 5}
	want, err := Run(context.Background(), synthModel(t), Direct{}, data, set)
	if err != nil {
		t.Fatal(err)
	}
	set.Dir = t.TempDir()
	// One check per step (400/20 = 20 steps), then the evaluation's first
	// batch; its second check is the cancel.
	ctx := cancelAfter(20 + 1)
	h, err := Run(ctx, synthModel(t), Direct{}, data, set)
	if !errors.Is(err, context.Canceled) || len(h) != 0 {
		t.Fatalf("cancelled in the evaluation: %d epochs, %v", len(h), err)
	}
	set.Resume = true
	got, err := Run(context.Background(), synthModel(t), Direct{}, data, set)
	if err != nil {
		t.Fatal(err)
	}
	if !equalRows(strip(got), strip(want)) {
		t.Fatalf("resumed run differs:\n%v\n%v", got, want)
	}
}
