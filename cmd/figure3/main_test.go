package main

import (
	"context"
	"github.com/argmaxvae/argmaxvae/internal/cli"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/argmaxvae/argmaxvae/report"
)

func TestFigure3SmallGrid(t *testing.T) {
	if testing.Short() {
		t.Skip("trains on Fashion-MNIST")
	}
	out := t.TempDir()
	args := []string{"-n", "5", "-limit", "200", "-epochs", "2", "-threads", "0", "-kl-exact", "10",
		"-estimators", "direct,arm", "-encoders", "independent,complete@maxflow,complete:general@milp", "-out", out}
	if err := run(context.Background(), args, io.Discard, io.Discard); err != nil {
		if strings.Contains(err.Error(), "fashion") {
			t.Skip(err)
		}
		t.Fatal(err)
	}
	_, rows, err := report.ReadCSV(filepath.Join(out, "figure3.csv"))
	if err != nil {
		t.Fatal(err)
	}
	// independent/direct (both panels, 2 epochs), independent/arm (2),
	// maxflow/direct (2), milp/direct (1 epoch: timing only).
	if len(rows) != 7 {
		t.Fatalf("%d rows in figure3.csv, want 7", len(rows))
	}
	panels := map[string]string{}
	for _, r := range rows {
		panels[r[0]] = r[3]
	}
	if panels["independent/direct"] != "both" || panels["independent/arm"] != "left" || panels["milp/direct"] != "middle" {
		t.Errorf("panels = %v", panels)
	}
	if st, err := os.Stat(filepath.Join(out, "figure3.png")); err != nil || st.Size() == 0 {
		t.Errorf("figure3.png: %v", err)
	}

	// An empty -estimators skips the left panel (as docs/results/issue10.md's
	// commands do): only the middle panel's runs are trained.
	out = t.TempDir()
	args = []string{"-n", "5", "-limit", "200", "-epochs", "1", "-threads", "0", "-kl-exact", "0",
		"-estimators", "", "-encoders", "complete@maxflow", "-out", out}
	if err := run(context.Background(), args, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	if _, rows, err = report.ReadCSV(filepath.Join(out, "figure3.csv")); err != nil || len(rows) != 1 || rows[0][0] != "maxflow/direct" {
		t.Errorf("with -estimators \"\": rows %q, err %v; want one maxflow/direct row", rows, err)
	}
}

// The grid exposes only the flags it honours: the estimator of each run is
// set by the panels, so -estimator, -direct-kl and the old -solvers are
// unknown flags; an encoder list is checked before any data is read.
func TestFigure3Refusals(t *testing.T) {
	for _, args := range [][]string{
		{"-estimator", "gsm"},
		{"-direct-kl", "none"},
		{"-kl-grad", "true"},
		{"-solvers", "maxflow"},
		{"-encoders", "forest"},
		{"-encoders", "complete@viterbi"},
		{"-encoders", "complete:positive"},
		{"-estimators", "direct-exact-none"},
		{"-exact-encoders", "complete", "-n", "17", "-kl-exact", "0"},
	} {
		err := run(context.Background(), append(args, "-data-dir", t.TempDir(), "-out", t.TempDir()), io.Discard, io.Discard)
		if !cli.IsUsage(err) {
			t.Errorf("%q: err %v, want a usage error", args, err)
		}
	}
}
