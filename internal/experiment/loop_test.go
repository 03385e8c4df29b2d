package experiment

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/argmaxvae/argmaxvae/train"
)

// An interrupt (a cancelled context) stops training after the current
// minibatch and still leaves the checkpoint, metrics, summary and plots,
// from which -resume continues.
func TestInterruptSavesEverything(t *testing.T) {
	if testing.Short() {
		t.Skip("loads MNIST")
	}
	s := validSpec()
	s.Command, s.Limit, s.Threads, s.Epochs, s.Out = "test", 300, 2, 3, t.TempDir()
	data, tr, err := setup(&s)
	if err != nil {
		t.Fatal(err)
	}
	run := CategoricalRun(&s, data, tr, io.Discard, true)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	sum, err := run.Execute(ctx, false)
	if !errors.Is(err, context.Canceled) || !sum.Interrupted {
		t.Fatalf("Execute = %+v, %v; want an interrupted run", sum, err)
	}
	for _, f := range []string{CheckpointFile, MetricsFile, SummaryFile, ConfigFile, "prototypes.png"} {
		if _, err := os.Stat(filepath.Join(s.Out, f)); err != nil {
			t.Errorf("after interrupt: %v", err)
		}
	}
	// Resume and finish.
	data, tr, err = setup(&s)
	if err != nil {
		t.Fatal(err)
	}
	sum, err = CategoricalRun(&s, data, tr, io.Discard, false).Execute(context.Background(), true)
	if err != nil || sum.Epochs != 3 || sum.Interrupted {
		t.Fatalf("resumed run: %+v, %v", sum, err)
	}
}

func TestSummaryJSONRoundTrip(t *testing.T) {
	in := Summary{Epochs: 2, BestEpoch: 1, BestValid: 3.5, TestAtBest: math.NaN(), FinalTest: 4, WallSeconds: 1.5, Interrupted: true}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"test_loss_at_best_valid":null`) {
		t.Errorf("NaN not written as null: %s", b)
	}
	var out Summary
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(out.TestAtBest) || out.BestValid != 3.5 || out.Epochs != 2 || !out.Interrupted || out.WallSeconds != 1.5 {
		t.Errorf("round trip: %+v", out)
	}
}

// The summary reports the likelihood at the best-validation epoch even
// when that epoch was not evaluated: the run keeps its parameters in
// best.bin. Here the score is negated so that the first epoch is "best";
// its exact −log p(x) must equal a separate one-epoch run's.
func TestLikelihoodAtBestValidationEpoch(t *testing.T) {
	if testing.Short() {
		t.Skip("loads MNIST")
	}
	s := Spec{Command: "test", Data: "mnist", N: 4, K: 2, Hidden: 8, Structure: "complete", Signs: "supermodular", Solver: "maxflow", Estimator: "direct",
		Epochs: 2, Batch: 20, LR: 1e-2, Eps0: 1, EpsMin: 0.1, Anneal: 1e-5, Limit: 200, Threads: 1}
	run := func(epochs int, score func(train.Eval) float64) Summary {
		s := s
		s.Epochs, s.Out = epochs, t.TempDir()
		data, tr, err := setup(&s)
		if err != nil {
			t.Fatal(err)
		}
		data.Test = data.Test.Slice(0, 300)
		r := StructuredRun(&s, data, tr, io.Discard, false)
		r.Score = score
		sum, err := r.Execute(context.Background(), false)
		if err != nil {
			t.Fatal(err)
		}
		return sum
	}
	neg := func(e train.Eval) float64 { return -e.Sampled }
	two := run(2, neg)
	one := run(1, StructuredScore)
	if two.BestEpoch != 1 || two.NLLKind != "exact" {
		t.Fatalf("best epoch %d, kind %q; want 1, exact", two.BestEpoch, two.NLLKind)
	}
	if math.Abs(two.TestNLLAtBest-one.TestNLLAtBest) > 1e-9 || math.Abs(two.TestGibbsNELBOAtBest-one.TestGibbsNELBOAtBest) > 1e-9 {
		t.Errorf("at best epoch 1: nll %v, nelbo %v; a one-epoch run gives %v, %v",
			two.TestNLLAtBest, two.TestGibbsNELBOAtBest, one.TestNLLAtBest, one.TestGibbsNELBOAtBest)
	}
	if !(one.TestNLLAtBest <= one.TestGibbsNELBOAtBest) {
		t.Errorf("−log p(x) %v above its bound %v", one.TestNLLAtBest, one.TestGibbsNELBOAtBest)
	}
	last := run(2, StructuredScore)
	if last.TestNLLAtBest == one.TestNLLAtBest {
		t.Errorf("the second epoch did not change −log p(x) (%v): the test cannot tell the epochs apart", last.TestNLLAtBest)
	}
}

// setup is Check and Setup, with the spec's thread count applied, for
// tests.
func setup(s *Spec) (*Data, *train.Trainer, error) {
	b, err := Check(s, nil)
	if err != nil {
		return nil, nil, err
	}
	UseThreads(s.Threads)
	return b.Setup(io.Discard)
}
