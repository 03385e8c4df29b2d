package main

import (
	"context"
	"github.com/argmaxvae/argmaxvae/internal/cli"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/argmaxvae/argmaxvae/internal/experiment"
	"github.com/argmaxvae/argmaxvae/report"
)

func TestImpossibleCombinations(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string // in the message: the flag at fault
	}{
		{[]string{"-solver", "cplex"}, "-solver cplex"},
		{[]string{"-solver", "maxflow", "-estimator", "gsm"}, "-estimator gsm"},
		{[]string{"-solver", "bnb", "-estimator", "arm"}, "-estimator arm"},
		{[]string{"-solver", "independent", "-estimator", "exact"}, "-solver independent"},
		{[]string{"-solver", "maxflow", "-n", "25"}, "-kl-exact"},
		{[]string{"-n", "0"}, "-n"},
		{[]string{"-structure", "chain", "-estimator", "gsm"}, "-estimator gsm"},
		{[]string{"-structure", "complete", "-k", "3"}, "-k 3"},
		{[]string{"-structure", "forest"}, "-structure"},
		{[]string{"-structure", "complete", "-signs", "positive"}, "-signs"},
		{[]string{"-structure", "chain", "-solver", "maxflow"}, "-solver maxflow"},
		{[]string{"-structure", "subset", "-n", "6", "-subset-k", "2", "-estimator", "gsm"}, "-estimator gsm"},
		{[]string{"-structure", "subset", "-n", "6", "-subset-k", "7"}, "-subset-k 7"},
		{[]string{"-structure", "matching", "-n", "4", "-subset-k", "2"}, "-subset-k"},
		{[]string{"-structure", "tree", "-n", "1"}, "-n 1"},
		{[]string{"-structure", "grid", "-k", "3"}, "-k 3"},
		// Issue 18 item 9: structures that accepted nonsense.
		{[]string{"-structure", "subset", "-n", "6"}, "-subset-k 0"},
		{[]string{"-structure", "subset", "-n", "6", "-subset-k", "6"}, "-subset-k 6"},
		{[]string{"-structure", "matching", "-n", "4", "-k", "3"}, "-k"},
		{[]string{"-structure", "matching", "-n", "1"}, "-n 1"},
		{[]string{"-structure", "independent", "-k", "0"}, "-k"},
		{[]string{"-structure", "independent", "-signs", "general"}, "-signs"},
		{[]string{"-threads", "1000"}, "-threads"},
		{[]string{"-structure", "chain", "-kl-exact", "10"}, "-kl-exact"},
		{[]string{"-estimator", "direct", "-relaxed"}, "-relaxed"},
		{[]string{"-structure", "independent", "-estimator", "arm", "-eps0", "0.5"}, "-eps0"},
		{[]string{"-structure", "independent", "-estimator", "gsm", "-direct-kl", "none"}, "-direct-kl"},
		// The second spellings are gone.
		{[]string{"-kl-grad", "true"}, "kl-grad"},
		{[]string{"-ftilde", "exact"}, "ftilde"},
		{[]string{"-states", "2"}, "states"},
		{[]string{"-estimator", "direct-exact", "-n", "17", "-kl-exact", "0"}, "65536"},
		// Dense general signs at n = 100: roof duality labels nothing and
		// branch and bound takes ≤ 64 variables (lp_solve, which takes
		// seconds a solve, is refused by the cost check: TestSlowSolverRefused).
		{[]string{"-structure", "complete", "-signs", "general", "-n", "100", "-kl-exact", "0", "-solver", "qpbo"}, "-solver qpbo"},
	} {
		_, _, err := parse(append(c.args, "-out", t.TempDir()), io.Discard)
		if !cli.IsUsage(err) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: err = %v, want a usage error naming %q", c.args, err, c.want)
		}
	}
}

// go run ./cmd/structured --solver=maxflow is the main job: 15 binary
// latents, complete supermodular, graph cut, Fashion-MNIST; -solver only
// picks the solver of the default structure.
func TestMainJob(t *testing.T) {
	b, _, err := parse([]string{"--solver=maxflow"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	s := b.Spec
	if s.Structure != "complete" || s.Signs != "supermodular" || s.N != 15 || s.K != 2 || s.Solver != "maxflow" || s.Data != "fashion" || s.Estimator != "direct" {
		t.Errorf("main job: %+v", s)
	}
	b, _, err = parse([]string{"-solver", "bnb"}, io.Discard)
	if err != nil || b.Spec.Structure != "complete" || b.Spec.Signs != "supermodular" {
		t.Errorf("-solver bnb: %v, %+v", err, b)
	}
}

func TestSmallRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("trains on Fashion-MNIST")
	}
	for _, c := range [][]string{
		{"-solver", "maxflow"},
		{"-structure", "complete", "-signs", "general", "-solver", "bnb"},
		{"-structure", "independent", "-estimator", "disarm"},
		{"-structure", "independent", "-estimator", "rebar"},
		{"-structure", "chain", "-k", "3"},
		{"-structure", "complete", "-signs", "general"},
		{"-structure", "subset", "-n", "6", "-subset-k", "2", "-estimator", "imle"},
		{"-structure", "matching", "-n", "4", "-estimator", "perturbed"},
		{"-structure", "tree", "-n", "4", "-estimator", "imle"},
		{"-structure", "tree", "-n", "4"},
		{"-structure", "grid", "-signs", "general", "-solver", "qpbo"},
	} {
		out := t.TempDir()
		args := append([]string{"-n", "6"}, c...) // a case's own -n comes later and wins
		args = append(args, "-limit", "300", "-epochs", "1", "-threads", "0", "-out", out)
		unstructured := c[1] == "independent" || c[1] == "chain" || c[1] == "subset" || c[1] == "matching" || c[1] == "tree"
		if !unstructured {
			args = append(args, "-kl-exact", "50") // the exact Gibbs KL of the pairwise encoders
		}
		if err := run(context.Background(), args, io.Discard, io.Discard); err != nil {
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
		if unstructured != (klExact == "") {
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
		b, _, err := parse([]string{"-structure", "grid", "-signs", signs, "-n", "100", "-kl-exact", "0"}, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		if b.Spec.Solver != want {
			t.Errorf("-structure grid -signs %s -n 100: solver %q, want %s", signs, b.Spec.Solver, want)
		}
		if st := b.Structure; st.Dim() != 100*2+180 {
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

// Issue 18 item 4: Gray-code enumeration at n = 26 (seconds a solve) and
// lp_solve at dense n = 31 are refused before the first epoch, in seconds,
// with the estimate and the way out (-allow-slow); a dense general-sign
// n = 100, which no exact solver here finishes, is refused as too large;
// nothing is written.
func TestSlowSolverRefused(t *testing.T) {
	if testing.Short() {
		t.Skip("loads Fashion-MNIST")
	}
	for _, c := range []struct {
		args []string
		want string // in the error
	}{
		{[]string{"-structure", "complete", "-signs", "general", "-n", "26", "-solver", "graycode"}, "-allow-slow"},
		{[]string{"-structure", "complete", "-signs", "general", "-n", "31", "-solver", "milp"}, "-allow-slow"},
		{[]string{"-structure", "complete", "-signs", "general", "-n", "100"}, "too large"},
	} {
		args := c.args
		out := filepath.Join(t.TempDir(), "run")
		var stderr strings.Builder
		start := time.Now()
		err := run(context.Background(), append(args, "-kl-exact", "0", "-limit", "300", "-epochs", "1", "-out", out), io.Discard, &stderr)
		if err != nil && strings.Contains(err.Error(), "fashion") {
			t.Skip(err)
		}
		if !cli.IsUsage(err) || !strings.Contains(err.Error(), c.want) || c.want == "-allow-slow" && (!strings.Contains(err.Error(), "an epoch would take") || strings.Contains(stderr.String(), "cost estimate")) {
			t.Fatalf("%q: err %v, stderr %q", args, err, stderr.String())
		}
		if d := time.Since(start); d > 20*time.Second {
			t.Errorf("%q: refused after %v", args, d)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("%q: the refused run left %s (%v)", args, out, err)
		}
	}
}
