package main

import (
	"context"
	"errors"
	"github.com/argmaxvae/argmaxvae/internal/cli"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/argmaxvae/argmaxvae/internal/experiment"
	"github.com/argmaxvae/argmaxvae/report"
)

func TestBadFlags(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big")
	if err := os.MkdirAll(big, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(big, experiment.ConfigFile), []byte(`{"latents": 20, "states": 2}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{},
		{"-run", dir, "-reps", "1"},
		{"-run", dir, "-eps", "0.1,-1"},
		{"-run", filepath.Join(dir, "missing")},
		{"-run", big},
	} {
		err := run(context.Background(), args, io.Discard, io.Discard)
		var u cli.UsageError
		if !errors.As(err, &u) {
			t.Errorf("%q: err = %v, want a usage error", args, err)
		}
	}
}

// A tiny pairwise run (n = 5, one epoch on 300 images), then the
// laboratory on it: every estimator gets a row, and the unbiased ARM on the
// noise is within its noise floor of the reference.
func TestLabOnARun(t *testing.T) {
	if testing.Short() {
		t.Skip("trains on Fashion-MNIST")
	}
	runDir := t.TempDir()
	s := &experiment.Spec{Command: "structured", Data: "fashion", Estimator: "direct", Epochs: 1, EpsMin: 0.1, Eps0: 1, Anneal: 1e-5,
		N: 5, K: 2, Structure: "complete", Signs: "general", Solver: "bnb", Batch: 100, LR: 1e-3, Seed: 1, Limit: 300, Hidden: 20, Threads: 2, Out: runDir}
	b, err := experiment.Check(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	data, tr, err := b.Setup(io.Discard)
	if err != nil {
		if strings.Contains(err.Error(), "fashion") {
			t.Skip(err)
		}
		t.Fatal(err)
	}
	if _, err := experiment.StructuredRun(s, data, tr, io.Discard, false).Execute(t.Context(), false); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if err := run(context.Background(), []string{"-run", runDir, "-examples", "3", "-reps", "400", "-eps", "0.5,0.1", "-threads", "0", "-out", out}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	_, rows, err := report.ReadCSV(filepath.Join(out, "lab.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 6 {
		t.Fatalf("%d rows, want 6 (2 direct × 2 ε, REINFORCE and ARM on the noise)", len(rows))
	}
	for _, r := range rows {
		if strings.HasPrefix(r[0], "ARM") {
			raw, err1 := strconv.ParseFloat(r[3], 64)
			floor, err2 := strconv.ParseFloat(r[4], 64)
			if err1 != nil || err2 != nil || raw > 1.6*floor {
				t.Errorf("ARM on the noise: raw %s, floor %s: want raw ≤ 1.6·floor", r[3], r[4])
			}
		}
	}
}

// The run of a command whose config.json is not a training Spec (semisup,
// or one naming no command) is refused saying so, not as "n = 0 latents".
func TestOtherCommandsRun(t *testing.T) {
	for _, cfg := range []string{`{"command": "semisup", "data": "mnist", "labels": 100}`, `{"data": "mnist", "labels": 100}`} {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, experiment.ConfigFile), []byte(cfg), 0o644)
		err := run(context.Background(), []string{"-run", dir}, io.Discard, io.Discard)
		if !cli.IsUsage(err) || !strings.Contains(err.Error(), "structlab reads the runs of") || strings.Contains(err.Error(), "n = 0") {
			t.Errorf("%s: %v", cfg, err)
		}
	}
}
