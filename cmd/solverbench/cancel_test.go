package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/argmaxvae/argmaxvae/internal/cli"
)

// Issue 18 item 2: a cancelled context (SIGINT, SIGTERM) stops every table
// before its next row: at 6e61429 the command did not look at it and ran
// the table to its end.
func TestCancelStopsTheTables(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	out := t.TempDir()
	var log strings.Builder
	if err := run(ctx, out, true, 1, &log); !errors.Is(err, context.Canceled) {
		t.Errorf("table: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "solvers.csv")); !os.IsNotExist(err) {
		t.Errorf("a cancelled table wrote solvers.csv: %v", err)
	}
	if _, err := runStructures(ctx, 1, &log, "%s %s %s %s %s %s %s\n"); !errors.Is(err, context.Canceled) {
		t.Errorf("structure rows: %v", err)
	}
	if err := runQPBOCrossover(ctx, &log, 1, 1); !errors.Is(err, context.Canceled) {
		t.Errorf("-qpbo-crossover: %v", err)
	}
	if err := runQPBOScaling(ctx, &log, 1, 1, []int{100}, []float64{0.5}, []float64{1}); !errors.Is(err, context.Canceled) {
		t.Errorf("-qpbo-scaling: %v", err)
	}
}

// Issue 18 item 3: -qpbo-scaling sizes whose models cannot fit in memory
// are refused before any is drawn, naming the flags.
func TestScalingSizesThatCannotFit(t *testing.T) {
	var out, errb strings.Builder
	err := command(context.Background(), []string{"-qpbo-scaling", "-sizes", "1000000000000", "-count", "5"}, &out, &errb)
	var u cli.UsageError
	if !errors.As(err, &u) || !strings.Contains(err.Error(), "-sizes, -count") {
		t.Fatalf("-sizes 10^12: %v", err)
	}
}
