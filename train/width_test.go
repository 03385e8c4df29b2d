package train

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/argmaxvae/argmaxvae/nn"
)

// Every public entry that takes images refuses data of another width with
// an error naming the widths, before any work and without a panic (the
// class of fault issue 17 found in TrainEpoch, which panicked inside
// nn.Linear).
func TestEveryDataEntryRefusesTheWrongWidth(t *testing.T) {
	v := tinyVAE(t, 3, 12, 3, 2, false, false, "")
	tr, err := NewTrainer(v, &Direct{}, Options{Batch: 4})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	r := func() *rand.Rand { return rand.New(rand.NewPCG(1, 2)) }
	for _, cols := range []int{11, 13} {
		X := randomImages(1, 6, cols)
		for name, call := range map[string]func() error{
			"TrainEpoch":           func() error { _, err := tr.TrainEpoch(ctx, X); return err },
			"Trainer.Evaluate":     func() error { _, err := tr.Evaluate(ctx, X, 1, EvalOptions{}); return err },
			"Evaluate":             func() error { _, err := Evaluate(ctx, v, X, r(), EvalOptions{}); return err },
			"ExactLikelihood":      func() error { _, err := ExactLikelihood(ctx, v, X); return err },
			"ImportanceLikelihood": func() error { _, err := ImportanceLikelihood(ctx, v, X, 3, r()); return err },
			"Encode":               func() error { _, err := v.Encode(ctx, X); return err },
			"Sample":               func() error { _, err := v.Sample(ctx, X, r()); return err },
			"Fit": func() error {
				_, err := Fit(ctx, tr, Data{Train: X}, Settings{Epochs: 1})
				return err
			},
		} {
			err := call()
			if err == nil || !strings.Contains(err.Error(), "12") {
				t.Errorf("%s on %d columns for 12 pixels: error %v, want one naming the widths", name, cols, err)
			}
		}
	}
	if tr.Iter() != 0 || tr.Epoch() != 0 {
		t.Errorf("trainer at epoch %d, step %d after refused data", tr.Epoch(), tr.Iter())
	}
	// Codes of the wrong length or with a state out of range.
	for _, z := range [][]int{{0, 1}, {0, 1, 2}, {0, -1, 1}} {
		if _, err := v.Decode(z); err == nil {
			t.Errorf("Decode(%v) of a 3-variable binary VAE: no error", z)
		}
	}
	if _, _, err := v.Generate(ctx, -1, r()); err == nil {
		t.Error("Generate(-1): no error")
	}
	v.Decode(nil) // no codes: an empty result or an error, but no panic
}

// Every registered estimator's Step, called directly (outside a Trainer),
// refuses a batch of another width or an empty one with an error instead
// of panicking inside the encoder, and so does SampleArgmax, the step API's
// first call for an outside estimator.
func TestStepRefusesABatchOfAnotherWidth(t *testing.T) {
	v := tinyVAE(t, 3, 12, 3, 2, false, false, "")
	for _, e := range Estimators() {
		est := e.New(EstimatorOptions{})
		for _, x := range []nn.Mat{randomImages(1, 4, 11), nn.NewMat(0, 12)} {
			_, err := est.Step(context.Background(), v, x, rand.New(rand.NewPCG(1, 1)), 0.5)
			if err == nil || !strings.Contains(err.Error(), "width 12") {
				t.Errorf("%s step on %d×%d: error %v, want one naming width 12", e.Name, x.Rows, x.Cols, err)
			}
		}
	}
	if _, _, err := v.SampleArgmax(context.Background(), randomImages(1, 4, 13), rand.New(rand.NewPCG(1, 1))); err == nil || !strings.Contains(err.Error(), "width 12") {
		t.Errorf("SampleArgmax on width 13: %v", err)
	}
}
