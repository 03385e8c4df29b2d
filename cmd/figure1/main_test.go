package main

import (
	"context"
	"errors"
	"github.com/argmaxvae/argmaxvae/internal/cli"
	"image/png"
	"io"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/argmaxvae/argmaxvae/report"
)

// Bad flags are usage errors naming the flag, found before anything is
// read or written.
func TestBadFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		flag string
	}{
		{[]string{"-k", "1"}, "-k"},
		{[]string{"-reps", "1"}, "-reps"},
		{[]string{"-batch", "0"}, "-batch"},
		{[]string{"-train-epochs", "0"}, "-train-epochs"},
		{[]string{"-limit", "-1"}, "-limit"},
		{[]string{"-limit", "50"}, "-limit"},
		{[]string{"-hidden", "0"}, "-hidden"},
		{[]string{"-threads", "-2"}, "-threads"},
		{[]string{"-eps", "0.1,0"}, "-eps"},
		{[]string{"-eps", "NaN"}, "-eps"},
		{[]string{"-eps", ","}, "-eps"},
		{[]string{"-tau", "Inf"}, "-tau"},
		{[]string{"-tau", "x"}, "-tau"},
		{[]string{"-data", "cifar"}, "-data"},
		{[]string{"-checkpoint", "/nonexistent/best.bin"}, "-checkpoint"},
		{[]string{"-out", ""}, "-out"},
		{[]string{"stray"}, "unexpected"},
	} {
		out := filepath.Join(t.TempDir(), "out")
		err := run(context.Background(), append([]string{"-threads", "1", "-out", out}, c.args...), io.Discard, io.Discard)
		var u cli.UsageError
		switch {
		case err == nil:
			t.Errorf("%q: no error", c.args)
		case !errors.As(err, &u):
			t.Errorf("%q: %v is not a usage error", c.args, err)
		case !strings.Contains(err.Error(), c.flag):
			t.Errorf("%q: error %q does not name %s", c.args, err, c.flag)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%q: the output folder was created", c.args)
		}
	}
}

// A tiny configuration end to end: the files exist, every number is
// finite, the measured bias of each direct form agrees with its exact
// mean's bias and the noise floor, and a second run from the first one's
// checkpoint reproduces the table.
func TestTinyFigure(t *testing.T) {
	if testing.Short() {
		t.Skip("trains on MNIST")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "a")
	base := []string{"-k", "4", "-hidden", "16", "-train-epochs", "1", "-limit", "200", "-reps", "200",
		"-examples", "10", "-threads", "1", "-eps", "0.1,1,3", "-tau", "0.5,2"}
	if err := run(context.Background(), append(base, "-out", out), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{csvFile, mdFile, plotFile, "train/best.bin", "train/metrics.csv"} {
		if st, err := os.Stat(filepath.Join(out, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: missing or empty (%v)", f, err)
		}
	}
	pf, err := os.Open(filepath.Join(out, plotFile))
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	if _, err := png.Decode(pf); err != nil {
		t.Errorf("%s: %v", plotFile, err)
	}
	header, rows := readTable(t, out)
	if !slices.Equal(header, csvHeader) {
		t.Fatalf("header %q, want %q", header, csvHeader)
	}
	// direct-none at 3 ε, direct-folded at the 2 ε ≤ 1, both GSM forms at 2 τ.
	count := map[string]int{}
	for _, r := range rows {
		count[r[0]]++
	}
	if want := map[string]int{directNone: 3, directFolded: 2, gsmHard: 2, gsmRelaxed: 2}; !maps.Equal(count, want) {
		t.Errorf("rows per estimator %v, want %v", count, want)
	}
	col := func(r []string, name string) float64 {
		v, err := report.ParseFloat(r[slices.Index(csvHeader, name)])
		if err != nil {
			t.Fatalf("%s %q: %v", name, r[slices.Index(csvHeader, name)], err)
		}
		return v
	}
	for _, r := range rows {
		for _, name := range []string{"temperature", "bias", "std", "cosine", "reps", "bias_noise_floor", "seconds"} {
			if v := col(r, name); math.IsNaN(v) || math.IsInf(v, 0) {
				t.Errorf("%s: %s = %v", r[0], name, v)
			}
		}
		if col(r, "reps") != 200 || !(col(r, "std") > 0) || math.Abs(col(r, "cosine")) > 1+1e-9 {
			t.Errorf("row %q: reps, std or cosine out of range", r)
		}
		if !strings.HasPrefix(r[0], "direct") {
			if r[slices.Index(csvHeader, "bias_exact_mean")] != "" {
				t.Errorf("%s has an exact-mean bias", r[0])
			}
			continue
		}
		// E‖mean − g‖² = ‖E ĝ − g‖² + Σ var/reps: the measured bias
		// must sit near √(exact² + floor²).
		b, e, f := col(r, "bias"), col(r, "bias_exact_mean"), col(r, "bias_noise_floor")
		if math.IsNaN(e) || math.Abs(b-math.Hypot(e, f)) > 3*f+0.02*e {
			t.Errorf("%s ε=%s: measured bias %.4g, exact mean's %.4g, noise floor %.4g: inconsistent", r[0], r[1], b, e, f)
		}
	}
	if md, err := os.ReadFile(filepath.Join(out, mdFile)); err != nil || !strings.Contains(string(md), "| GSM relaxed") {
		t.Errorf("%s has no table (%v)", mdFile, err)
	}

	again := filepath.Join(dir, "b")
	args := append(base, "-out", again, "-checkpoint", filepath.Join(out, "train", "best.bin"))
	if err := run(context.Background(), args, io.Discard, io.Discard); !cli.IsUsage(err) {
		t.Errorf("-train-epochs with -checkpoint: %v, want a usage error (nothing is trained)", err)
	}
	i := slices.Index(args, "-train-epochs")
	args = slices.Delete(args, i, i+2)
	if err := run(context.Background(), args, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(again, "train")); err == nil {
		t.Error("-checkpoint trained anyway")
	}
	_, rows2 := readTable(t, again)
	sec := slices.Index(csvHeader, "seconds")
	for i := range rows {
		rows[i][sec], rows2[i][sec] = "", ""
		if !slices.Equal(rows[i], rows2[i]) {
			t.Errorf("not reproducible: %q then %q", rows[i], rows2[i])
		}
	}
}

func readTable(t *testing.T, dir string) ([]string, [][]string) {
	t.Helper()
	header, rows, err := report.ReadCSV(filepath.Join(dir, csvFile))
	if err != nil {
		t.Fatal(err)
	}
	return header, rows
}
