// Command table1 runs the grid of the paper's Table 1 — data sets × k ×
// estimators, one categorical latent — with cmd/categorical's trainer, and
// writes OUT/table1.csv, OUT/table1.md (shaped like the paper's table: a row
// per k, a column per data set and estimator), OUT/figure2.png (test loss
// against epoch and wall clock per data set and k, the paper's Figure 2)
// and one sub-directory of per-run outputs each. Runs already finished in OUT are reused, so an
// interrupted grid continues where it stopped.
//
//	go run ./cmd/table1 -data mnist -k 10,50 -estimators direct,gsm,exact -epochs 50
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/argmaxvae/argmaxvae/internal/experiment"
	"github.com/argmaxvae/argmaxvae/report"
	"github.com/argmaxvae/argmaxvae/train"
)

func main() {
	experiment.Exit("table1", run(os.Args[1:], os.Stdout, os.Stderr))
}

type cell struct {
	data, estimator string
	k               int
	sum             experiment.Summary
}

func run(args []string, stdout, stderr io.Writer) error {
	base := &experiment.Spec{Command: "table1", Epochs: 50, EpsMin: 0.1, Out: "results/table1", Structure: "none", N: 1, Solver: "categorical"}
	fs := flag.NewFlagSet("table1", flag.ContinueOnError)
	fs.SetOutput(stderr)
	experiment.Flags(fs, base)
	datas := fs.String("datasets", "mnist,fashion,omniglot", "comma-separated data sets")
	ks := fs.String("k", "10,20,30,40,50", "comma-separated numbers of states")
	ests := fs.String("estimators", "exact,direct,gsm", "comma-separated estimators")
	if err := experiment.Parse(fs, args); err != nil {
		return err
	}
	var kv []int
	for _, f := range strings.Split(*ks, ",") {
		k, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || k < 2 {
			return experiment.Usage(fmt.Errorf("-k: %q is not a number of states ≥ 2", f))
		}
		kv = append(kv, k)
	}
	dv, ev := experiment.SplitList(*datas), experiment.SplitList(*ests)
	if base.Data != "" && !isFlagSet(fs, "datasets") {
		dv = []string{base.Data}
	}
	ctx, stop := experiment.Interruptible()
	defer stop()
	var cells []cell
	for _, d := range dv {
		data, err := experiment.LoadData(d, base.DataDir, base.Dynamic, base.Seed, base.Limit)
		if err != nil {
			return err
		}
		for _, k := range kv {
			for _, e := range ev {
				s := *base
				s.Data, s.K, s.Estimator = d, k, e
				s.Out = filepath.Join(base.Out, fmt.Sprintf("%s-k%d-%s", d, k, e))
				experiment.Prepare(&s)
				sum, err := runOne(ctx, &s, data, stderr)
				if err != nil {
					return fmt.Errorf("%s k=%d %s: %w", d, k, e, err)
				}
				cells = append(cells, cell{d, e, k, sum})
				fmt.Fprintf(stdout, "%-9s k=%-3d %-7s test %.2f (best valid epoch %d of %d), %.2f s/epoch\n", d, k, e, sum.TestAtBest, sum.BestEpoch, sum.Epochs, sum.SecondsPerEpoch)
			}
		}
	}
	if err := write(base.Out, cells, dv, kv, ev, stdout); err != nil {
		return err
	}
	return figure2(base.Out, dv, kv, ev)
}

// figure2 draws the paper's Figure 2 for every data set and k of the grid:
// test loss of each estimator against epoch (left) and training wall clock
// (right), into OUT/figure2.png.
func figure2(out string, dv []string, kv []int, ev []string) error {
	var panels []report.Panel
	for _, d := range dv {
		for _, k := range kv {
			byEpoch := report.Panel{Title: fmt.Sprintf("%s, k = %d", d, k), XLabel: "epoch", YLabel: "test loss (nats)"}
			byWall := report.Panel{Title: fmt.Sprintf("%s, k = %d", d, k), XLabel: "training wall clock (s)", YLabel: "test loss (nats)"}
			for _, e := range ev {
				h, err := experiment.ReadMetrics(filepath.Join(out, fmt.Sprintf("%s-k%d-%s", d, k, e), experiment.MetricsFile))
				if err != nil {
					return err
				}
				var ep, wall, loss []float64
				for _, x := range h {
					ep, wall, loss = append(ep, float64(x.Epoch)), append(wall, x.Wall), append(loss, x.Test.Exact)
				}
				byEpoch.Series = append(byEpoch.Series, report.Series{Name: e, X: ep, Y: loss})
				byWall.Series = append(byWall.Series, report.Series{Name: e, X: wall, Y: loss})
			}
			panels = append(panels, byEpoch, byWall)
		}
	}
	return report.PlotPanels(filepath.Join(out, "figure2.png"), panels, 2, 10, 3.5*float64(len(panels)/2))
}

// runOne trains one cell, or reuses a finished run with the same epochs.
func runOne(ctx context.Context, s *experiment.Spec, data *experiment.Data, log io.Writer) (experiment.Summary, error) {
	return experiment.RunOrReuse(ctx, s, data, func(t *train.Trainer) *experiment.Run {
		return experiment.CategoricalRun(s, data, t, log, true)
	})
}

func write(out string, cells []cell, dv []string, kv []int, ev []string, stdout io.Writer) error {
	csv, err := report.CreateCSV(filepath.Join(out, "table1.csv"), []string{"data", "k", "estimator", "epochs", "best_valid_epoch", "test_loss", "final_test_loss", "seconds_per_epoch"})
	if err != nil {
		return err
	}
	for _, c := range cells {
		if err := csv.Write(c.data, c.k, c.estimator, c.sum.Epochs, c.sum.BestEpoch, c.sum.TestAtBest, c.sum.FinalTest, c.sum.SecondsPerEpoch); err != nil {
			return err
		}
	}
	if err := csv.Close(); err != nil {
		return err
	}
	header := []string{"k"}
	for _, d := range dv {
		for _, e := range ev {
			header = append(header, d+" "+e)
		}
	}
	var rows [][]string
	for _, k := range kv {
		row := []string{strconv.Itoa(k)}
		for _, d := range dv {
			for _, e := range ev {
				v := math.NaN()
				for _, c := range cells {
					if c.data == d && c.k == k && c.estimator == e {
						v = c.sum.TestAtBest
					}
				}
				row = append(row, fmt.Sprintf("%.2f", v))
			}
		}
		rows = append(rows, row)
	}
	md := "Test negative ELBO (nats, exact over the k states) at the best-validation epoch.\n\n" + report.Markdown(header, rows)
	if err := os.WriteFile(filepath.Join(out, "table1.md"), []byte(md), 0o644); err != nil {
		return err
	}
	fmt.Fprint(stdout, "\n"+md)
	return nil
}

func isFlagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == name {
			set = true
		}
	})
	return set
}
