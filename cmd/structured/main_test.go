package main

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/argmaxvae/argmaxvae/internal/experiment"
	"github.com/argmaxvae/argmaxvae/report"
)

func TestImpossibleCombinations(t *testing.T) {
	for _, args := range [][]string{
		{"-solver", "cplex"},
		{"-solver", "maxflow", "-estimator", "gsm"},
		{"-solver", "bnb", "-estimator", "arm"},
		{"-solver", "independent", "-estimator", "exact"},
		{"-solver", "maxflow", "-n", "25"},
		{"-n", "0"},
		{"-structure", "chain", "-estimator", "gsm"},
		{"-structure", "complete", "-states", "3"},
		{"-structure", "forest"},
		{"-structure", "complete", "-signs", "positive"},
		{"-structure", "chain", "-solver", "maxflow"},
		{"-structure", "subset", "-n", "6", "-subset-k", "2", "-estimator", "gsm"},
		{"-structure", "subset", "-n", "6", "-subset-k", "7"},
		{"-structure", "matching", "-n", "4", "-subset-k", "2"},
		{"-structure", "tree", "-n", "1"},
		{"-structure", "grid", "-states", "3"},
		// Dense general signs at n = 100: no exact solver finishes (roof
		// duality labels nothing, branch and bound takes ≤ 64 variables,
		// lp_solve takes seconds per solve), refused before training.
		{"-structure", "complete", "-signs", "general", "-n", "100", "-kl-exact", "0"},
		{"-structure", "complete", "-signs", "general", "-n", "100", "-kl-exact", "0", "-solver", "qpbo"},
	} {
		err := run(append(args, "-out", t.TempDir()), io.Discard, io.Discard)
		var u experiment.UsageError
		if !errors.As(err, &u) {
			t.Errorf("%q: err = %v, want a usage error", args, err)
		}
	}
}

func TestSmallRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("trains on Fashion-MNIST")
	}
	for _, c := range [][]string{
		{"-solver", "maxflow"},
		{"-solver", "bnb"},
		{"-solver", "independent", "-estimator", "disarm"},
		{"-solver", "independent", "-estimator", "rebar"},
		{"-structure", "chain", "-states", "3"},
		{"-structure", "complete", "-signs", "general"},
		{"-structure", "subset", "-n", "6", "-subset-k", "2", "-estimator", "imle"},
		{"-structure", "matching", "-n", "4", "-estimator", "perturbed"},
		{"-structure", "tree", "-n", "4", "-estimator", "imle"},
		{"-structure", "tree", "-n", "4"},
		{"-structure", "grid", "-signs", "general", "-solver", "qpbo"},
	} {
		out := t.TempDir()
		args := append([]string{"-n", "6"}, c...) // a case's own -n comes later and wins
		args = append(args, "-limit", "300", "-epochs", "1", "-threads", "2", "-kl-exact", "50", "-out", out)
		if err := run(args, io.Discard, io.Discard); err != nil {
			if strings.Contains(err.Error(), "fashion") {
				t.Skip(err)
			}
			t.Fatalf("%q: %v", c, err)
		}
		header, rows, err := report.ReadCSV(filepath.Join(out, experiment.MetricsFile))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(header, ",") != "epoch,iter,wall_seconds,solver_seconds,temperature,train_loss,valid_loss,test_loss,test_kl_unary,test_kl_exact,test_nelbo_gibbs,test_nll,eval_seconds" {
			t.Fatalf("header %v", header)
		}
		// The last epoch has the exact −log p(x) (2⁶ codes enumerated)
		// below its Gibbs NELBO bound.
		nelbo, err1 := strconv.ParseFloat(rows[0][10], 64)
		nll, err2 := strconv.ParseFloat(rows[0][11], 64)
		if err1 != nil || err2 != nil || !(nll > 0 && nll <= nelbo) {
			t.Errorf("%q: test_nelbo_gibbs %q, test_nll %q: want 0 < nll ≤ nelbo", c, rows[0][10], rows[0][11])
		}
		klExact := rows[0][9]
		if (c[1] == "independent" || c[1] == "chain" || c[1] == "subset" || c[1] == "matching" || c[1] == "tree") != (klExact == "") {
			t.Errorf("%q: test_kl_exact = %q (empty only for the unstructured encoder)", c, klExact)
		}
		for _, f := range []string{"samples.png", "loss.png", "checkpoint.bin", "config.json"} {
			if _, err := os.Stat(filepath.Join(out, f)); err != nil {
				t.Errorf("%q: %v", c, err)
			}
		}
	}
}

// TestGridQPBO: a 10×10 grid of general-sign bits, beyond branch and
// bound's 64-variable components, resolves to QPBO; the supermodular grid
// to graph cut.
func TestGridQPBO(t *testing.T) {
	for signs, want := range map[string]string{"general": "qpbo", "supermodular": "maxflow"} {
		s := &experiment.Spec{N: 100, K: 2}
		if err := experiment.ResolveStructure(s, "grid", signs); err != nil {
			t.Fatal(err)
		}
		if s.Structure != "grid-"+signs || s.Solver != want {
			t.Errorf("-structure grid -signs %s -n 100: structure %q, solver %q; want grid-%s, %s", signs, s.Structure, s.Solver, signs, want)
		}
		st, err := experiment.NewStructure(s)
		if err != nil {
			t.Fatal(err)
		}
		if st.Dim() != 100*2+180 {
			t.Errorf("%s: Dim %d, want 200 unaries + 180 grid pairs", st.Name(), st.Dim())
		}
	}
	if r, c := experiment.GridShape(100); r != 10 || c != 10 {
		t.Errorf("GridShape(100) = %d×%d", r, c)
	}
	if r, c := experiment.GridShape(7); r != 1 || c != 7 {
		t.Errorf("GridShape(7) = %d×%d", r, c)
	}
	if r, c := experiment.GridShape(12); r != 3 || c != 4 {
		t.Errorf("GridShape(12) = %d×%d", r, c)
	}
}
