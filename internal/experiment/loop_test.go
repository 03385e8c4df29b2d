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
	data, tr, err := Setup(&s)
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
	data, tr, err = Setup(&s)
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
