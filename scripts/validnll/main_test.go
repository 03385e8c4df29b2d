package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/argmaxvae/argmaxvae/internal/experiment"
	"github.com/argmaxvae/argmaxvae/report"
)

// A trained run's test −log p(x) evaluated by validnll -split test equals
// the one the run recorded at its last epoch (same state, same images);
// the validation number differs; a folder that is not a run is reported
// and the others still evaluated.
func TestReproducesTheRunsOwnNumber(t *testing.T) {
	if testing.Short() {
		t.Skip("loads MNIST and trains")
	}
	dir := filepath.Join(t.TempDir(), "run")
	s := &experiment.Spec{Command: "structured", Data: "mnist", N: 4, K: 2, Hidden: 8, Structure: "independent", Estimator: "direct",
		Epochs: 2, Batch: 20, LR: 1e-2, Eps0: 1, EpsMin: 0.1, Anneal: 1e-5, Limit: 200, Threads: 1, Seed: 5, Out: dir}
	b, err := experiment.Check(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	experiment.UseThreads(1)
	data, tr, err := b.Setup(io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := experiment.StructuredRun(s, data, tr, io.Discard, false).Execute(context.Background(), false); err != nil {
		t.Fatal(err)
	}
	_, rows, err := report.ReadCSV(filepath.Join(dir, "metrics.csv"))
	if err != nil {
		t.Fatal(err)
	}
	recorded, err := strconv.ParseFloat(rows[len(rows)-1][11], 64) // test_nll of the last epoch
	if err != nil {
		t.Fatal(err)
	}
	eval := func(split string, dirs ...string) ([][]string, error) {
		var out bytes.Buffer
		err := runFrom(context.Background(), []string{"-split", split, "-threads", "1"}, strings.NewReader(strings.Join(dirs, "\n")+"\n"), &out, io.Discard)
		recs, perr := csv.NewReader(&out).ReadAll()
		if perr != nil {
			t.Fatal(perr)
		}
		return recs, err
	}
	recs, err := eval("test", dir)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := strconv.ParseFloat(recs[1][3], 64)
	if recs[1][1] != "2" || recs[1][2] != "exact" || math.Abs(got-recorded) > 1e-3 {
		t.Fatalf("validnll -split test: %v; the run recorded −log p(x) %v at epoch 2", recs[1], recorded)
	}
	notRun := t.TempDir()
	if err := os.WriteFile(filepath.Join(notRun, "x"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	recs, err = eval("valid", notRun, dir)
	if err == nil || len(recs) != 2 || recs[1][0] != dir {
		t.Fatalf("a folder that is not a run first: err %v, rows %v; want an error and the run's row", err, recs)
	}
	if valid, _ := strconv.ParseFloat(recs[1][3], 64); valid == got || !(valid > 0) {
		t.Errorf("validation −log p(x) %v, test %v: want a different positive number", valid, got)
	}
}
