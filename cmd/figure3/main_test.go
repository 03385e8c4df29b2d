package main

import (
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
	args := []string{"-n", "5", "-limit", "200", "-epochs", "2", "-threads", "2", "-kl-exact", "10",
		"-estimators", "direct,arm", "-solvers", "independent,maxflow,milp", "-out", out}
	if err := run(args, io.Discard, io.Discard); err != nil {
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
}
