package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/argmaxvae/argmaxvae/report"
)

func TestGridWritesTableAndReusesRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("trains on MNIST")
	}
	out := t.TempDir()
	args := []string{"-datasets", "mnist", "-k", "3,4", "-estimators", "direct,exact", "-epochs", "1", "-limit", "200", "-threads", "0", "-out", out}
	if err := run(context.Background(), args, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	header, rows, err := report.ReadCSV(filepath.Join(out, "table1.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || header[0] != "data" {
		t.Fatalf("table1.csv: header %v, %d rows, want 4", header, len(rows))
	}
	md, err := os.ReadFile(filepath.Join(out, "table1.md"))
	if err != nil || !strings.Contains(string(md), "### mnist") || !strings.Contains(string(md), "| direct ") || !strings.Contains(string(md), "Gap NELBO") {
		t.Fatalf("table1.md = %q, %v", md, err)
	}
	if st, err := os.Stat(filepath.Join(out, "figure2.png")); err != nil || st.Size() == 0 {
		t.Errorf("figure2.png: %v", err)
	}
	// A second invocation reuses the finished runs: their metrics are not
	// rewritten.
	metrics := filepath.Join(out, "mnist-k3-direct", "metrics.csv")
	before, _ := os.Stat(metrics)
	if err := run(context.Background(), args, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(metrics)
	if !after.ModTime().Equal(before.ModTime()) {
		t.Error("finished run was trained again")
	}
	if err := run(context.Background(), []string{"-k", "1", "-out", out}, io.Discard, io.Discard); err == nil {
		t.Error("-k 1 accepted")
	}
	// -only-finished tabulates what is there and trains nothing: the
	// unfinished gsm cells show as —.
	var table strings.Builder
	if err := run(context.Background(), []string{"-datasets", "mnist", "-k", "3,4", "-estimators", "direct,exact,gsm", "-epochs", "1", "-limit", "200", "-only-finished", "-name", "partial", "-out", out}, &table, io.Discard); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, "mnist-k3-gsm")); !os.IsNotExist(err) {
		t.Errorf("-only-finished created a run folder: %v", err)
	}
	if md, _ := os.ReadFile(filepath.Join(out, "partial.md")); !strings.Contains(string(md), "— / —") {
		t.Errorf("partial.md has no empty cell for gsm:\n%s", md)
	}
	for _, bad := range [][]string{{"-datasets", "cifar"}, {"-estimators", "direct,relax"}, {"-estimators", "direct", "-eps0", "2"}, {"-seeds", "x"},
		{"-estimator", "gsm"}, {"-direct-kl", "none"}, {"-kl-grad", "false"}, {"-data", "mnist"}, {"-k", "1"}} {
		if err := run(context.Background(), append(bad, "-out", t.TempDir()), io.Discard, io.Discard); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// direct-exact is an estimator name of the grid (it used to be read as
// direct with a KL mode "exact", then refused).
func TestGridAcceptsDirectExact(t *testing.T) {
	out := t.TempDir()
	var table strings.Builder
	err := run(context.Background(), []string{"-datasets", "mnist", "-k", "10", "-estimators", "direct-exact,direct-none", "-only-finished", "-out", out}, &table, io.Discard)
	if err != nil || !strings.Contains(table.String(), "direct-exact") {
		t.Errorf("err %v, table %q", err, table.String())
	}
}
