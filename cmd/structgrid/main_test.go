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

	"github.com/argmaxvae/argmaxvae/report"
)

// A small grid writes one CSV row per cell and epoch, the markdown table
// with an importance-weighted −log p(x) for the subset product and an
// exact one for the tree (3 × 4-of-8: 2²⁴ codes, too many to enumerate), and the picture; a second call reuses the cells.
func TestStructGridSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("trains on MNIST")
	}
	out := t.TempDir()
	args := []string{"-limit", "200", "-epochs", "2", "-threads", "0", "-structures", "subset:8,tree:4",
		"-subset-k", "4", "-subset-parts", "3", "-subset-estimators", "imle-sog,st-topk",
		"-estimators", "direct", "-iw-samples", "3", "-out", out}
	if err := run(context.Background(), args, io.Discard, io.Discard); err != nil {
		if strings.Contains(err.Error(), "mnist") {
			t.Skip(err)
		}
		t.Fatal(err)
	}
	_, rows, err := report.ReadCSV(filepath.Join(out, "structgrid.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 6 {
		t.Fatalf("%d rows in structgrid.csv, want 3 cells × 2 epochs", len(rows))
	}
	md, err := os.ReadFile(filepath.Join(out, "structgrid.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"3 × 4-of-8 subset", "st-topk", "importance-weighted (3 samples)", "exact"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("structgrid.md lacks %q", want)
		}
	}
	if st, err := os.Stat(filepath.Join(out, "structgrid.png")); err != nil || st.Size() == 0 {
		t.Errorf("structgrid.png: %v", err)
	}
	before, _ := os.Stat(filepath.Join(out, "tree4-direct", "metrics.csv"))
	if err := run(context.Background(), args, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(filepath.Join(out, "tree4-direct", "metrics.csv"))
	if !after.ModTime().Equal(before.ModTime()) {
		t.Error("a finished cell was trained again")
	}
	// A cell folder of the earlier naming (subset-EST, when the subset had
	// its own size flag) holding the same run is reused, not trained again.
	if err := os.Rename(filepath.Join(out, "subset8-st-topk"), filepath.Join(out, "subset-st-topk")); err != nil {
		t.Fatal(err)
	}
	before, _ = os.Stat(filepath.Join(out, "subset-st-topk", "metrics.csv"))
	if err := run(context.Background(), args, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	after, _ = os.Stat(filepath.Join(out, "subset-st-topk", "metrics.csv"))
	if _, err := os.Stat(filepath.Join(out, "subset8-st-topk")); err == nil || !after.ModTime().Equal(before.ModTime()) {
		t.Error("the finished cell in the folder of the earlier naming was not reused")
	}
}

// Bad flags are refused before any data are loaded.
func TestStructGridRefusals(t *testing.T) {
	for _, args := range [][]string{
		{"-structures", "chain"},
		{"-structures", "tree:0"},
		{"-structures", "nope:3"},
		{"-subset-k", "30"},
		{"-structures", "tree:4", "-estimators", "st-topk"},
		{"-structures", "matching:4", "-estimators", "imle-sog"},
		{"-structures", "matching:4", "-estimators", "gsm"},
		{"-structures", "subset:8", "-subset-estimators", "nope"},
		{"-structures", "tree:4", "-subset-k", "2"},
		{"-structures", "tree:4", "-k", "3"},
		{"-structures", "subset:8", "-estimators", "direct"},
	} {
		err := run(context.Background(), append(args, "-data-dir", "/nonexistent", "-out", t.TempDir()), io.Discard, io.Discard)
		var u cli.UsageError
		if !errors.As(err, &u) {
			t.Errorf("%v: error %v, want a usage error", args, err)
		}
	}
}
