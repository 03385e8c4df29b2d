package experiment

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/argmaxvae/argmaxvae/nn"
	"github.com/argmaxvae/argmaxvae/report"
)

var updateGolden = flag.Bool("update-golden", false, "rewrite testdata/golden from the current code")

// goldenSpecs are the configurations whose metrics.csv must not change
// when the code is reorganized: the main job, categorical direct/gsm/exact
// and structured maxflow/bnb/independent with every estimator; 2 epochs on
// 2,000 training images, validation and test cut to 500 images.
func goldenSpecs() map[string]Spec {
	cat := func(est, kl string) Spec {
		return Spec{Command: "golden", Data: "mnist", N: 1, K: 10, Hidden: 300, Structure: "independent", Solver: "categorical", Estimator: est, DirectKL: kl,
			Epochs: 2, Batch: 100, LR: 1e-3, Seed: 1, Eps0: 1, EpsMin: 0.1, Anneal: 1e-5, Threads: 2, Limit: 2000, Samples: 1}
	}
	str := func(solver, structure, signs, est, kl string) Spec {
		return Spec{Command: "golden", Data: "fashion", N: 15, K: 2, Hidden: 300, Structure: structure, Signs: signs, Solver: solver, Estimator: est, DirectKL: kl,
			Epochs: 2, Batch: 100, LR: 1e-3, Seed: 1, Eps0: 1, EpsMin: 0.1, Anneal: 1e-5, Threads: 2, Limit: 2000, Samples: 1, ExactKL: 50}
	}
	m := map[string]Spec{
		"categorical-direct":      cat("direct", "folded"),
		"categorical-direct-none": cat("direct", "none"),
		"categorical-gsm":         cat("gsm", "folded"),
		"categorical-exact":       cat("exact", "folded"),
		"main-maxflow-direct":     str("maxflow", "complete", "supermodular", "direct", "folded"),
		"maxflow-direct-analytic": str("maxflow", "complete", "supermodular", "direct", "analytic"),
		"bnb-direct":              str("bnb", "complete", "general", "direct", "folded"),
	}
	for _, e := range []string{"direct", "gsm", "arm", "disarm", "reinforce", "rebar"} {
		m["independent-"+e] = str("independent", "independent", "", e, "folded")
	}
	return m
}

// goldenRun trains one configuration in dir and returns its metrics rows
// without the clock columns.
func goldenRun(t *testing.T, s Spec, dir string) (header []string, rows [][]string) {
	t.Helper()
	s.Out = dir
	data, tr, err := setup(&s)
	if err != nil {
		t.Fatal(err)
	}
	data.Valid, data.Test = data.Valid.Slice(0, 500), data.Test.Slice(0, 500)
	var r *Run
	if s.Command == "golden" && s.Solver == "categorical" {
		r = CategoricalRun(&s, data, tr, io.Discard, false)
	} else {
		r = StructuredRun(&s, data, tr, io.Discard, false)
	}
	if _, err := r.Execute(context.Background(), false); err != nil {
		t.Fatal(err)
	}
	header, rows, err = report.ReadCSV(filepath.Join(dir, MetricsFile))
	if err != nil {
		t.Fatal(err)
	}
	for i, h := range header {
		if strings.HasSuffix(h, "_seconds") {
			for _, r := range rows {
				r[i] = ""
			}
		}
	}
	return header, rows
}

// TestGoldenMetrics: the metrics of fixed configurations are identical to
// the stored ones (apart from clock columns). The stored files hold the
// kernels they were made with; on a machine whose kernels differ the
// float32 rounding differs, and the test is skipped with a message.
// Regenerate with: go test ./internal/experiment -run Golden -update-golden
func TestGoldenMetrics(t *testing.T) {
	if testing.Short() {
		t.Skip("trains 13 small runs")
	}
	// The golden metrics are float32 runs: pin the f̃ products to float32.
	defer nn.SetBF16(nn.SetBF16(false))
	kernels := nn.GemmKernels() + "/" + nn.Kernels()
	dir := filepath.Join("testdata", "golden")
	if *updateGolden {
		os.RemoveAll(dir)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, "KERNELS"), []byte(kernels+"\n"), 0o644)
	}
	want, err := os.ReadFile(filepath.Join(dir, "KERNELS"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(string(want)) != kernels {
		t.Skipf("golden metrics were made with kernels %s, this machine runs %s", strings.TrimSpace(string(want)), kernels)
	}
	for name, s := range goldenSpecs() {
		t.Run(name, func(t *testing.T) {
			header, rows := goldenRun(t, s, t.TempDir())
			var b strings.Builder
			b.WriteString(strings.Join(header, ",") + "\n")
			for _, r := range rows {
				b.WriteString(strings.Join(r, ",") + "\n")
			}
			path := filepath.Join(dir, name+".csv")
			if *updateGolden {
				if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			old, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if string(old) != b.String() {
				t.Errorf("%s: metrics changed.\nstored:\n%s\nnow:\n%s", name, old, b.String())
			}
		})
	}
	_ = fmt.Sprint
}
