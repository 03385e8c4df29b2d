package main

import (
	"context"
	"errors"
	"github.com/argmaxvae/argmaxvae/internal/cli"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/argmaxvae/argmaxvae/internal/experiment"
	"github.com/argmaxvae/argmaxvae/report"
)

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-k", "1"},
		{"-estimator", "cplex"},
		{"-estimator", "exact", "-n", "2"},
		{"-estimator", "arm", "-k", "10"},
		{"-batch", "0"},
		{"-lr", "-1"},
		{"-data", "cifar"},
		{"stray"},
		{"-epochs", "x"},
		{"-epochs", "0"},
		{"-limit", "-1"},
		{"-anneal", "NaN"},
		{"-eps0", "Inf"},
		{"-batch", "100000"},
	} {
		err := run(context.Background(), append(args, "-out", t.TempDir()), io.Discard, io.Discard)
		if err == nil {
			t.Errorf("%q: no error", args)
			continue
		}
		var u cli.UsageError
		if !errors.As(err, &u) {
			t.Errorf("%q: %v is not a usage error", args, err)
		}
	}
}

// metricsWithoutWall returns metrics.csv with the wall-clock column blanked.
func metricsWithoutWall(t *testing.T, dir string) [][]string {
	header, rows, err := report.ReadCSV(filepath.Join(dir, experiment.MetricsFile))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(header, ",") != strings.Join(experiment.CategoricalHeader, ",") {
		t.Fatalf("header %v, want %v", header, experiment.CategoricalHeader)
	}
	for _, r := range rows {
		r[2], r[len(r)-1] = "", "" // wall_seconds, eval_seconds
	}
	return rows
}

// A short run writes every output; the same seed gives the same metrics;
// and stopping after one epoch then resuming gives the same metrics as an
// uninterrupted run.
func TestRunReproducibleAndResumable(t *testing.T) {
	if testing.Short() {
		t.Skip("trains on MNIST")
	}
	args := func(dir string, epochs string) []string {
		return []string{"-data", "mnist", "-k", "6", "-limit", "400", "-epochs", epochs, "-threads", "0", "-seed", "3", "-out", dir}
	}
	a, b, c := t.TempDir(), t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b} {
		if err := run(context.Background(), args(dir, "2"), io.Discard, io.Discard); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"metrics.csv", "config.json", "checkpoint.bin", "summary.json", "loss.png", "prototypes.png"} {
		if st, err := os.Stat(filepath.Join(a, f)); err != nil || st.Size() == 0 {
			t.Errorf("output %s missing or empty: %v", f, err)
		}
	}
	if err := run(context.Background(), args(c, "1"), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), append(args(c, "2"), "-resume"), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	ra, rb, rc := metricsWithoutWall(t, a), metricsWithoutWall(t, b), metricsWithoutWall(t, c)
	if len(ra) != 2 {
		t.Fatalf("%d metric rows, want 2", len(ra))
	}
	for i := range ra {
		if strings.Join(ra[i], ",") != strings.Join(rb[i], ",") {
			t.Errorf("same seed, row %d differs:\n%v\n%v", i, ra[i], rb[i])
		}
		if strings.Join(ra[i], ",") != strings.Join(rc[i], ",") {
			t.Errorf("resumed run, row %d differs:\n%v\n%v", i, ra[i], rc[i])
		}
	}
	var out strings.Builder
	if err := run(context.Background(), append(args(a, "2"), "-eval"), &out, io.Discard); err != nil || !strings.Contains(out.String(), `"epoch": 2`) {
		t.Errorf("-eval: %v, output %q", err, out.String())
	}
}

// -resume with another estimator, data set or seed is refused, naming the
// field, and leaves the folder as it was; a longer -epochs is allowed.
func TestResumeRefusesAnotherRun(t *testing.T) {
	if testing.Short() {
		t.Skip("trains on MNIST")
	}
	dir := t.TempDir()
	base := []string{"-data", "mnist", "-k", "4", "-limit", "200", "-threads", "1", "-out", dir}
	if err := run(context.Background(), append(base, "-epochs", "1"), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(dir, "metrics.csv"))
	for _, extra := range [][]string{{"-estimator", "gsm"}, {"-seed", "9"}, {"-k", "5"}} {
		err := run(context.Background(), append(append(append([]string{}, base...), extra...), "-epochs", "2", "-resume"), io.Discard, io.Discard)
		var u cli.UsageError
		if !errors.As(err, &u) || !strings.Contains(err.Error(), "different run") {
			t.Errorf("%q: err = %v, want a usage error about a different run", extra, err)
		}
	}
	if after, _ := os.ReadFile(filepath.Join(dir, "metrics.csv")); string(after) != string(before) {
		t.Error("a refused resume changed metrics.csv")
	}
	if err := run(context.Background(), append(base, "-epochs", "2", "-resume"), io.Discard, io.Discard); err != nil {
		t.Errorf("resuming the same run for more epochs: %v", err)
	}
}
