package main

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/argmaxvae/argmaxvae/internal/cli"
	"github.com/argmaxvae/argmaxvae/report"
)

// The quick table runs every solver at n = 15, with the exactness checks,
// and writes the CSV layout the issue fixes.
func TestQuickTable(t *testing.T) {
	if testing.Short() {
		t.Skip("times every solver")
	}
	out := t.TempDir()
	var log strings.Builder
	if err := run(context.Background(), out, true, 1, &log); err != nil {
		t.Fatal(err)
	}
	header, rows, err := report.ReadCSV(filepath.Join(out, "solvers.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(header, ","); got != "solver,structure,n,edges,median_ns,allocs_per_op,checked_exact" {
		t.Fatalf("header %q", got)
	}
	seen := map[string]bool{}
	for _, r := range rows {
		seen[r[0]] = true
		if r[0] == "maxflow" && r[5] != "0.00" {
			t.Errorf("maxflow allocates: %v", r)
		}
	}
	for _, s := range []string{"maxflow", "maxflow-yourbasic", "milp", "exhaustive", "bnb", "independent", "categorical"} {
		if !seen[s] {
			t.Errorf("no row for %s", s)
		}
	}
	if !strings.Contains(log.String(), "maxflow vs MILP") {
		t.Errorf("no ratio lines in the output:\n%s", log.String())
	}
}

// Flags that do not apply to the table asked for are refused, and every
// number is range-checked while parsing.
func TestFlagsThatDoNotApply(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-p", "0.5"}, "-p applies only with -qpbo-scaling"},
		{[]string{"-qpbo-crossover", "-sizes", "10"}, "-sizes applies only with -qpbo-scaling"},
		{[]string{"-count", "3"}, "-count applies only with -qpbo-crossover or -qpbo-scaling"},
		{[]string{"-qpbo-scaling", "-quick"}, "-quick applies only to the solver table"},
		{[]string{"-qpbo-crossover", "-out", "x"}, "-out applies only to the solver table"},
		{[]string{"-qpbo-scaling", "-p", "NaN"}, "for flag -p"},
		{[]string{"-qpbo-scaling", "-p", "1.5"}, "for flag -p"},
		{[]string{"-qpbo-crossover", "-count", "100000"}, "for flag -count"},
	} {
		err := command(context.Background(), c.args, io.Discard, io.Discard)
		if !cli.IsUsage(err) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want a usage error with %q", c.args, err, c.want)
		}
	}
}
