// Command table1 runs the grid of the paper's Table 1 — data sets × k ×
// estimators, one categorical latent — with cmd/categorical's trainer, and
// writes OUT/table1.csv, OUT/table1.md (shaped like the paper's table: a row
// per k, a column per data set and estimator), OUT/figure2.png (test loss
// against epoch and wall clock per data set and k, the paper's Figure 2)
// and one sub-directory of per-run outputs each. Runs already finished in OUT are reused, so an
// interrupted grid continues where it stopped.
//
// Every cell is judged by the exact NELBO and the exact −log p(x) at its
// best-validation epoch. Estimators: direct (folded KL, the default),
// direct-none (the reference implementation's form), direct-analytic,
// gsm, exact. -seeds runs each cell with several seeds (folders get a
// -sSEED suffix for seeds other than 1) and reports mean ± sd.
//
//	go run ./cmd/table1 -datasets mnist -k 10,50 -epochs 100
//	go run ./cmd/table1 -datasets mnist -k 10,50 -seeds 1,2,3 -name table1-seeds
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/argmaxvae/argmaxvae/internal/cli"
	"github.com/argmaxvae/argmaxvae/internal/experiment"
	"github.com/argmaxvae/argmaxvae/internal/runfolder"
	"github.com/argmaxvae/argmaxvae/report"
	"github.com/argmaxvae/argmaxvae/train"
)

func main() { cli.Main("table1", run) }

// flagNames spells the flags of the cells' messages as table1 has them
// (see cli.RenameFlags): one latent (no -n), estimators by -estimators.
var flagNames = map[string]string{"n": "", "structure": "structure", "solver": "solver", "estimator": "-estimators",
	"direct-kl": "KL mode", "kl-exact": "exact-KL examples", "iw-samples": "importance samples", "data": "-datasets"}

type cell struct {
	data, estimator string
	k               int
	seed            uint64
	sum             experiment.Summary
}

// runDir is a cell's folder: DATA-kK-EST, with -sSEED for seeds other
// than 1.
func runDir(out, data string, k int, est string, seed uint64) string {
	name := fmt.Sprintf("%s-k%d-%s", data, k, est)
	if seed != 1 {
		name += fmt.Sprintf("-s%d", seed)
	}
	return filepath.Join(out, name)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	base := &experiment.Spec{Command: "table1", Structure: "independent", N: 1, Solver: "categorical", DirectKL: "folded"}
	fs := cli.NewFlagSet("table1", stderr)
	dvp := cli.Datasets(fs, []string{"mnist", "fashion", "omniglot"}, nil)
	experiment.DataOptions(fs, base)
	experiment.TrainingFlags(fs, base, 100)
	experiment.RelaxedFlag(fs, base)
	experiment.KnobFlags(fs, base)
	experiment.SlowFlag(fs, &base.AllowSlow)
	cli.GridOut(fs, &base.Out, "results/table1")
	kv := cli.Ints(fs, "k", []int{10, 20, 30, 40, 50}, 2, 1<<24, "comma-separated numbers of states")
	evp := experiment.GridEstimatorFlag(fs, "estimators", []string{"direct", "direct-none", "gsm", "exact"}, "comma-separated estimators")
	svp := cli.Uint64s(fs, "seeds", []uint64{1}, "comma-separated seeds; with several, the tables show mean ± sd")
	name := fs.String("name", "table1", "stem of the table files: OUT/NAME.csv, OUT/NAME.md")
	onlyFinished := cli.OnlyFinished(fs)
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	dv, ev, sv := *dvp, *evp, *svp
	if *name == "" || *name != filepath.Base(*name) || strings.HasPrefix(*name, ".") {
		return cli.Usagef("-name %q: want a file stem (OUT/NAME.csv), without a path", *name)
	}
	if err := experiment.CheckGridKnobs(cli.Given(fs), ev); err != nil {
		return cli.Usage(err)
	}
	var checked []*experiment.Built
	// Check every cell's flags before any training starts.
	for _, d := range dv {
		for _, k := range *kv {
			for _, e := range ev {
				s := *base
				s.Data, s.K = d, k
				if err := s.SetGridEstimator(e); err != nil {
					return cli.Usagef("-estimators: %w", err)
				}
				b, err := experiment.Check(&s, nil)
				if err != nil {
					return cli.Usagef("-datasets %s -k %d -estimators %s: %w", d, k, e, cli.RenameFlags(err, flagNames))
				}
				checked = append(checked, b)
			}
		}
	}
	if err := experiment.CheckGridTemperature(cli.Given(fs), checked); err != nil {
		return cli.Usage(err)
	}
	experiment.UseThreads(base.Threads)
	var cells []cell
	for _, d := range dv {
		var data *experiment.Data
		for _, seed := range sv {
			// The data as cmd/categorical -seed SEED reads them: the same
			// for every seed unless -dynamic resamples them from it.
			if !*onlyFinished && (data == nil || base.Dynamic) {
				var err error
				if data, err = experiment.LoadData(d, base.DataDir, base.Dynamic, seed, base.Limit); err != nil {
					return err
				}
			}
			for _, k := range *kv {
				for _, e := range ev {
					s := *base
					s.Data, s.K, s.Seed = d, k, seed
					s.SetGridEstimator(e) // checked above
					s.Out = runDir(base.Out, d, k, e, seed)
					b, err := experiment.Check(&s, nil) // resolves the defaults config.json records
					if err != nil {
						return cli.Usage(err)
					}
					if *onlyFinished {
						sum, ok, err := experiment.Finished(&s)
						if err != nil {
							return err
						}
						if ok {
							cells = append(cells, cell{d, e, k, seed, sum})
						}
						continue
					}
					if err := b.CheckCost(data.Sizes(), stderr); err != nil {
						return cli.Usagef("%s k=%d %s: %w", d, k, e, cli.RenameFlags(err, flagNames))
					}
					sum, err := runOne(ctx, b, data, stderr)
					if err != nil {
						return fmt.Errorf("%s k=%d %s seed %d: %w", d, k, e, seed, err)
					}
					cells = append(cells, cell{d, e, k, seed, sum})
					fmt.Fprintf(stdout, "%-9s k=%-3d %-15s seed %d: NELBO %.2f, −log p(x) %.2f (best valid epoch %d of %d), %.2f s/epoch\n",
						d, k, e, seed, sum.TestAtBest, sum.TestNLLAtBest, sum.BestEpoch, sum.Epochs, sum.SecondsPerEpoch)
				}
			}
		}
	}
	if err := write(base.Out, *name, cells, dv, *kv, ev, len(sv), stdout); err != nil {
		return err
	}
	if len(sv) == 1 && sv[0] == 1 {
		return figure2(base.Out, dv, *kv, ev)
	}
	return nil
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
				h, err := experiment.History(filepath.Join(out, fmt.Sprintf("%s-k%d-%s", d, k, e)))
				if errors.Is(err, fs.ErrNotExist) {
					continue // a cell not run (yet)
				}
				if err != nil {
					return err
				}
				var ep, wall, loss []float64
				for _, x := range h {
					ep, wall, loss = append(ep, float64(x.Epoch)), append(wall, x.Wall), append(loss, experiment.CategoricalScore(x.Test))
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
func runOne(ctx context.Context, b *experiment.Built, data *experiment.Data, log io.Writer) (experiment.Summary, error) {
	s := b.Spec
	return experiment.RunOrReuse(ctx, b, data, func(t *train.Trainer) *experiment.Run {
		return experiment.CategoricalRun(s, data, t, log, true)
	})
}

// stats returns the mean and sample standard deviation (NaN for one value).
func stats(v []float64) (mean, sd float64) {
	if len(v) == 0 {
		return math.NaN(), math.NaN()
	}
	for _, x := range v {
		mean += x / float64(len(v))
	}
	if len(v) < 2 {
		return mean, math.NaN()
	}
	for _, x := range v {
		sd += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(sd / float64(len(v)-1))
}

// format writes a cell's mean (± sd over seeds), with the number of
// finished seeds when it is fewer than want.
func format(v []float64, want int) string {
	if len(v) == 0 {
		return "—"
	}
	m, sd := stats(v)
	out := fmt.Sprintf("%.2f", m)
	if !math.IsNaN(sd) {
		out += fmt.Sprintf(" ± %.2f", sd)
	}
	if len(v) < want {
		out += fmt.Sprintf(" (%d of %d seeds)", len(v), want)
	}
	return out
}

func write(out, name string, cells []cell, dv []string, kv []int, ev []string, seeds int, stdout io.Writer) error {
	csv, err := report.CreateCSV(filepath.Join(out, name+".csv"), []string{"data", "k", "estimator", "seed", "epochs", "best_valid_epoch",
		"test_nelbo", "test_nll", "gap", "final_test_nelbo", "seconds_per_epoch", "eval_seconds"})
	if err != nil {
		return err
	}
	for _, c := range cells {
		s := c.sum
		if err := csv.Write(c.data, c.k, c.estimator, c.seed, s.Epochs, s.BestEpoch, s.TestAtBest, s.TestNLLAtBest, s.TestAtBest-s.TestNLLAtBest,
			s.FinalTest, s.SecondsPerEpoch, s.EvalSeconds); err != nil {
			return err
		}
	}
	if err := csv.Close(); err != nil {
		return err
	}
	pick := func(d string, k int, e string, f func(experiment.Summary) float64) []float64 {
		var v []float64
		for _, c := range cells {
			if c.data == d && c.k == k && c.estimator == e {
				v = append(v, f(c.sum))
			}
		}
		return v
	}
	nelbo := func(s experiment.Summary) float64 { return s.TestAtBest }
	nll := func(s experiment.Summary) float64 { return s.TestNLLAtBest }
	gap := func(s experiment.Summary) float64 { return s.TestAtBest - s.TestNLLAtBest }
	var md strings.Builder
	md.WriteString("Test negative ELBO (exact over the k states) and exact −log p(x), nats, at the best-validation epoch (NELBO / −log p(x))")
	if seeds > 1 {
		md.WriteString(fmt.Sprintf("; mean ± sd over seeds (%d asked)", seeds))
	}
	md.WriteString(".\n")
	for _, d := range dv {
		header := append([]string{"k"}, ev...)
		var rows, gaps [][]string
		for _, k := range kv {
			row, grow := []string{strconv.Itoa(k)}, []string{strconv.Itoa(k)}
			for _, e := range ev {
				row = append(row, format(pick(d, k, e, nelbo), seeds)+" / "+format(pick(d, k, e, nll), seeds))
				grow = append(grow, format(pick(d, k, e, gap), seeds))
			}
			rows, gaps = append(rows, row), append(gaps, grow)
		}
		fmt.Fprintf(&md, "\n### %s\n\n%s\nGap NELBO − (−log p(x)):\n\n%s", d, report.Markdown(header, rows), report.Markdown(header, gaps))
	}
	if slices.Contains(ev, "direct") && slices.Contains(ev, "gsm") {
		header := append([]string{"k"}, dv...)
		var rows [][]string
		for _, k := range kv {
			row := []string{strconv.Itoa(k)}
			for _, d := range dv {
				a, _ := stats(pick(d, k, "direct", nelbo))
				b, _ := stats(pick(d, k, "gsm", nelbo))
				switch {
				case math.IsNaN(a) || math.IsNaN(b):
					row = append(row, "—")
				case a < b:
					row = append(row, fmt.Sprintf("yes (%.2f < %.2f)", a, b))
				default:
					row = append(row, fmt.Sprintf("no (%.2f ≥ %.2f)", a, b))
				}
			}
			rows = append(rows, row)
		}
		fmt.Fprintf(&md, "\nDoes direct (folded KL) reach a lower test NELBO than GSM?\n\n%s", report.Markdown(header, rows))
	}
	if err := runfolder.WriteFile(filepath.Join(out, name+".md"), []byte(md.String())); err != nil {
		return err
	}
	fmt.Fprint(stdout, "\n"+md.String())
	return nil
}
