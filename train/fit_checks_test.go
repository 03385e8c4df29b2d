package train

import (
	"context"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/argmaxvae/argmaxvae/nn"
)

// Data that an epoch would trip on (a validation or test set of the wrong
// width, a training set with a NaN pixel, no training data) is refused by
// Fit before the first step, naming the set, and nothing is written to the
// run folder.
func TestFitChecksTheDataFirst(t *testing.T) {
	nanTrain := randomImages(72, 40, 10)
	nanTrain.Data[17] = float32(math.NaN())
	for _, c := range []struct {
		name string
		edit func(*Data)
		want string
	}{
		{"validation width", func(d *Data) { d.Valid = randomImages(1, 5, 11) }, "validation data"},
		{"test width", func(d *Data) { d.Test = randomImages(1, 5, 9) }, "test data"},
		{"training NaN", func(d *Data) { d.Train = nanTrain }, "pixel 7 of example 1"},
		{"no training data", func(d *Data) { d.Train = nn.Mat{} }, "training data"},
	} {
		tr, data := fitFixture(t)
		c.edit(&data)
		dir := t.TempDir()
		_, err := Fit(context.Background(), tr, data, Settings{Epochs: 2, Dir: dir})
		if err == nil || !strings.Contains(err.Error(), c.want) || tr.iter != 0 {
			t.Errorf("%s: error %v after %d steps; want one naming %q before the first", c.name, err, tr.iter, c.want)
		}
		if ents, _ := os.ReadDir(dir); len(ents) != 0 {
			t.Errorf("%s: the run folder holds %d files", c.name, len(ents))
		}
	}
	if _, err := Fit(context.Background(), nil, Data{}, Settings{}); err == nil {
		t.Error("nil trainer accepted")
	}
}

// Without validation data no epoch is best: BestEpoch 0 and NaN scores at
// it (before, the first epoch was reported best with a NaN score), while
// the run trains, evaluates the test set and computes its likelihood.
func TestFitWithoutValidationHasNoBestEpoch(t *testing.T) {
	tr, data := fitFixture(t)
	data.Valid = nn.Mat{}
	sum, err := Fit(context.Background(), tr, data, Settings{Epochs: 2, Likelihood: ExactLikelihood, LikelihoodKind: "exact"})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Epochs != 2 || sum.BestEpoch != 0 || !math.IsNaN(sum.BestValid) || !math.IsNaN(sum.TestAtBest) || !math.IsNaN(sum.TestNLLAtBest) {
		t.Errorf("summary %+v: want 2 epochs, best epoch 0 and NaN scores at it", sum)
	}
	if math.IsNaN(sum.FinalTest) {
		t.Errorf("final test score NaN: the test set was not evaluated")
	}
	// With validation data the best epoch is one of the epochs.
	tr, data = fitFixture(t)
	if sum, err = Fit(context.Background(), tr, data, Settings{Epochs: 2}); err != nil || sum.BestEpoch < 1 || sum.BestEpoch > 2 || math.IsNaN(sum.BestValid) {
		t.Errorf("with validation data: best epoch %d (%v), error %v", sum.BestEpoch, sum.BestValid, err)
	}
}
