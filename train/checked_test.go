package train

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// A Trainer scans a data matrix once: a matrix it has checked and meets
// again is not rescanned (a NaN written into it in place is found when
// the step that reads it fails, and named, before any parameter moves),
// while a new matrix, a copy holding the same NaN, is scanned and refused
// by the pixel's name before any step;
// Trainer.Evaluate remembers the matrices it checks the same way.
func TestTrainerChecksEachMatrixOnce(t *testing.T) {
	v := tinyVAE(t, 3, 12, 3, 2, false, false, "")
	tr, err := NewTrainer(v, &Direct{}, Options{Batch: 8})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	X := randomImages(1, 16, 12)
	if _, err := tr.TrainEpoch(ctx, X); err != nil {
		t.Fatal(err)
	}
	X.Data[5*12+3] = float32(math.NaN()) // in place: the same matrix
	before := slices.Clone(v.Params()[0].W)
	iter := tr.Iter()
	_, err = tr.TrainEpoch(ctx, X)
	if err == nil || !strings.Contains(err.Error(), "pixel 3 of example 5 is NaN (changed since the data were checked)") {
		t.Errorf("second epoch on the same matrix, NaN written in place: %v, want the failed step's pixel (no rescan before)", err)
	}
	if tr.Iter() != iter || !slices.Equal(before, v.Params()[0].W) {
		t.Errorf("the NaN step moved the trainer: iter %d → %d, parameters changed %v", iter, tr.Iter(), !slices.Equal(before, v.Params()[0].W))
	}
	Y := randomImages(1, 16, 12) // a new matrix with the same NaN
	Y.Data[5*12+3] = float32(math.NaN())
	if _, err := tr.TrainEpoch(ctx, Y); err == nil || !strings.Contains(err.Error(), "TrainEpoch: pixel 3 of example 5 is NaN") {
		t.Errorf("a new matrix with a NaN: %v, want the pixel named", err)
	}
	// A reslice sharing X's first value but shorter is a new matrix too.
	Z := X.Slice(0, 4)
	if _, err := tr.TrainEpoch(ctx, Z); err != nil {
		t.Errorf("4 clean rows of X: %v", err)
	}

	V := randomImages(2, 6, 12)
	if _, err := tr.Evaluate(ctx, V, 1, EvalOptions{}); err != nil {
		t.Fatal(err)
	}
	V.Data[0] = float32(math.Inf(1))
	if _, err := tr.Evaluate(ctx, V, 1, EvalOptions{}); err != nil && strings.Contains(err.Error(), "pixel") {
		t.Errorf("Evaluate rescanned a matrix it had checked: %v", err)
	}
	W := randomImages(2, 6, 12)
	W.Data[0] = float32(math.Inf(1))
	if _, err := tr.Evaluate(ctx, W, 1, EvalOptions{}); err == nil || !strings.Contains(err.Error(), "pixel 0 of example 0 is +Inf") {
		t.Errorf("Evaluate of a new matrix with +Inf: %v, want the pixel named", err)
	}
	// The package-level Evaluate always scans.
	if _, err := Evaluate(ctx, v, V, rand.New(rand.NewPCG(3, 3)), EvalOptions{}); err == nil || !strings.Contains(err.Error(), "pixel 0 of example 0") {
		t.Errorf("package Evaluate of a matrix with +Inf: %v", err)
	}
}
