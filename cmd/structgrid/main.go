// Command structgrid trains a structure × estimator grid (issue 9) with
// cmd/structured's trainer, one run per cell, and compares the estimators
// on each latent structure. -structures lists STRUCTURE:N items, each a
// latent of cmd/structured -structure STRUCTURE -n N (any structure of the
// table; -k, -subset-k and -subset-parts go to the structures that read
// them). The default, subset:20, matching:6, tree:6, tree:8, is:
//
//   - subset:20: -subset-parts (20) independent latent variables, each a
//     -subset-k-of-20 subset (10: the I-MLE paper's discrete VAE); too
//     many codes to enumerate (C(20,10)²⁰), so −log p(x) is
//     importance-weighted (-iw-samples per test image) with the exact
//     exponential-family proposal over k-subsets;
//   - matching:6: permutations of 6 (720 codes: exact −log p(x));
//   - tree:6 and tree:8: spanning trees of the complete graph on 6 nodes
//     (1,296 trees, exact −log p(x)) and 8 (8⁶ trees on 28 edge bits,
//     importance-weighted with the exact matrix-tree proposal).
//
// Estimators: -subset-estimators (default direct, imle, imle-sog,
// perturbed, st-topk) for the structures that read -subset-k, -estimators
// for the others (default direct, imle, perturbed). It writes
// OUT/structgrid.csv (one row per cell and epoch), OUT/structgrid.md (the
// last epoch of every cell: losses with what each one is, seconds per
// epoch, solver share), OUT/structgrid.png (test loss against epoch and
// against training seconds, one row of panels per structure) and a folder
// per cell, OUT/STRUCTURE N-ESTIMATOR (tree8-direct). Finished cells are
// reused, interrupted ones resumed.
//
//	go run ./cmd/structgrid -data mnist -epochs 5 -limit 10000
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
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

func main() { cli.Main("structgrid", run) }

// flagNames spells the flags of a cell's messages as structgrid has them
// (see cli.RenameFlags): -n is the N of its -structures item.
func flagNames(it item, subset bool) map[string]string {
	est := "-estimators"
	if subset {
		est = "-subset-estimators"
	}
	return map[string]string{"n": "-structures " + it.String() + ": N", "structure": "-structures", "signs": "signs", "solver": "solver",
		"estimator": est, "direct-kl": "KL mode", "kl-exact": "exact-KL examples"}
}

// item is one entry of -structures: a structure of the table and its -n.
type item struct {
	name string
	n    int
}

func (it item) String() string { return it.name + ":" + strconv.Itoa(it.n) }

// parseItem reads STRUCTURE:N.
func parseItem(s string) (item, error) {
	name, n, ok := strings.Cut(s, ":")
	v, err := strconv.Atoi(n)
	if !ok || err != nil || v < 1 || v > 1<<24 {
		return item{}, fmt.Errorf("want STRUCTURE:N with 1 ≤ N ≤ %d (e.g. tree:8)", 1<<24)
	}
	if _, err := experiment.StructureReads(name); err != nil {
		return item{}, fmt.Errorf("want STRUCTURE:N with a structure of %s", strings.Join(experiment.Structures(), ", "))
	}
	return item{name, v}, nil
}

// cell is one trained configuration.
type cell struct {
	structure, estimator string
	label                string // e.g. "20 × 10-of-20 subset"
	item                 item
	subset               bool // its structure reads -subset-k and -subset-parts
	spec                 experiment.Spec
	built                *experiment.Built
	epochs               []experiment.Epoch
	sum                  experiment.Summary
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	base := &experiment.Spec{Command: "structgrid", Samples: 1}
	fs := cli.NewFlagSet("structgrid", stderr)
	experiment.DataFlags(fs, base, "mnist")
	experiment.TrainingFlags(fs, base, 5)
	cli.Seed(fs, &base.Seed)
	experiment.SlowFlag(fs, &base.AllowSlow)
	cli.GridOut(fs, &base.Out, "results/structgrid")
	items := cli.Names(fs, "structures", []string{"subset:20", "matching:6", "tree:6", "tree:8"}, func(s string) error { _, err := parseItem(s); return err },
		"comma-separated STRUCTURE:N, each a latent of cmd/structured's -structure STRUCTURE -n N: "+strings.Join(experiment.Structures(), ", ")+
			" (subset:20 is -subset-parts subsets of -subset-k of 20, the I-MLE paper's discrete VAE with the defaults; matching:6 the permutations of 6, 720 codes; tree:N the spanning trees of the complete graph on N nodes, enumerated for −log p(x) up to 6 nodes, importance-weighted beyond)")
	subsetEsts := experiment.GridEstimatorFlag(fs, "subset-estimators", []string{"direct", "imle", "imle-sog", "perturbed", "st-topk"}, "estimators for the structures that read -subset-k (subset)")
	ests := experiment.GridEstimatorFlag(fs, "estimators", []string{"direct", "imle", "perturbed"}, "estimators for the other structures")
	var k, subsetK, parts int
	experiment.StatesFlag(fs, &k, 2, "states per variable of the structures that read -k (independent, chain)")
	experiment.SubsetFlags(fs, &subsetK, &parts, 10, 20)
	experiment.IWFlag(fs, &base.IWSamples, 100)
	experiment.RelaxedFlag(fs, base)
	experiment.KnobFlags(fs, base)
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	given := cli.Given(fs)
	used := map[string]bool{} // the flags some cell reads
	var cells []*cell
	for _, s := range *items {
		it, _ := parseItem(s) // checked while parsing
		reads, _ := experiment.StructureReads(it.name)
		subset := slices.Contains(reads, "subset-k")
		list, listFlag := *ests, "estimators"
		if subset {
			list, listFlag = *subsetEsts, "subset-estimators"
		}
		used[listFlag] = true
		for _, f := range reads {
			used[f] = true
		}
		for _, est := range list {
			c := &cell{structure: it.name, estimator: est, item: it, subset: subset, spec: *base}
			sp := &c.spec
			sp.SetGridEstimator(est) // checked while parsing
			sp.Structure, sp.N = it.name, it.n
			if slices.Contains(reads, "k") {
				sp.K = k
			}
			if subset {
				sp.SubsetK, sp.Parts = subsetK, parts
			}
			sp.Out = cellDir(base.Out, it, est)
			b, err := experiment.Check(sp, nil)
			if err != nil {
				return cli.Usagef("%s/%s: %w", it, est, cli.RenameFlags(err, flagNames(it, subset)))
			}
			c.label, c.built = b.Structure.Name(), b
			cells = append(cells, c)
		}
	}
	for _, f := range []string{"k", "subset-k", "subset-parts", "estimators", "subset-estimators"} {
		if given(f) && !used[f] {
			return cli.Usagef("-%s: no structure in -structures reads it", f)
		}
	}
	var gridEsts []string
	for _, c := range cells {
		gridEsts = append(gridEsts, c.estimator)
	}
	if err := experiment.CheckGridKnobs(given, gridEsts); err != nil {
		return cli.Usage(err)
	}
	var built []*experiment.Built
	for _, c := range cells {
		built = append(built, c.built)
	}
	if err := experiment.CheckGridTemperature(given, built); err != nil {
		return cli.Usage(err)
	}
	// Every cell is checked before the data are loaded.
	experiment.UseThreads(base.Threads)
	data, err := experiment.LoadData(base.Data, base.DataDir, base.Dynamic, base.Seed, base.Limit)
	if err != nil {
		return err
	}
	for _, c := range cells {
		if err := c.built.CheckCost(data.Sizes(), stderr); err != nil {
			return cli.Usagef("%s/%s: %w", c.item, c.estimator, cli.RenameFlags(err, flagNames(c.item, c.subset)))
		}
	}
	for _, c := range cells {
		if err := runCell(ctx, c, data, stderr); err != nil {
			return fmt.Errorf("%s/%s: %w", c.structure, c.estimator, err)
		}
		fmt.Fprintf(stdout, "%-28s %-10s test %.2f, −log p(x) %.2f (%s), %.2f s/epoch, %.1f%% solver\n", c.label, c.estimator,
			c.sum.FinalTest, c.sum.TestNLLAtBest, c.sum.NLLKind, c.sum.SecondsPerEpoch, 100*c.sum.SolverSeconds/max(c.sum.WallSeconds, 1e-9))
		if ctx.Err() != nil {
			break
		}
	}
	return write(base.Out, cells, stdout)
}

// runCell trains one cell (or reuses it) and reads its history.
// cellDir is a cell's folder, OUT/NAMEN-ESTIMATOR (tree8-direct). A
// folder of the earlier naming, OUT/NAME-ESTIMATOR (when a structure had
// one size flag), is used instead when it holds this very run, so that
// finished cells are still reused.
func cellDir(out string, it item, est string) string {
	dir := filepath.Join(out, fmt.Sprintf("%s%d-%s", it.name, it.n, est))
	if _, err := os.Stat(dir); err == nil {
		return dir
	}
	legacy := filepath.Join(out, it.name+"-"+est)
	if _, err := os.Stat(filepath.Join(legacy, experiment.ConfigFile)); err == nil {
		b, err := os.ReadFile(filepath.Join(legacy, experiment.ConfigFile))
		var s experiment.Spec
		if err == nil && json.Unmarshal(b, &s) == nil && s.Structure == it.name && s.N == it.n && experiment.GridEstimatorName(&s) == est {
			return legacy
		}
	}
	return dir
}

func runCell(ctx context.Context, c *cell, data *experiment.Data, log io.Writer) error {
	s := c.built.Spec
	sum, err := experiment.RunOrReuse(ctx, c.built, data, func(t *train.Trainer) *experiment.Run {
		return experiment.StructuredRun(s, data, t, log, false)
	})
	if err != nil {
		return err
	}
	c.sum = sum
	c.epochs, err = experiment.History(s.Out)
	return err
}

// f2 formats a number with two decimals, "–" for NaN.
func f2(x float64) string {
	if math.IsNaN(x) {
		return "–"
	}
	return fmt.Sprintf("%.2f", x)
}

func write(out string, cells []*cell, stdout io.Writer) error {
	csv, err := report.CreateCSV(filepath.Join(out, "structgrid.csv"), []string{"structure", "estimator", "epoch", "wall_seconds", "solver_seconds", "valid_loss", "test_loss", "test_nll", "test_nelbo_gibbs"})
	if err != nil {
		return err
	}
	var panels []report.Panel
	var rows [][]string
	for i, c := range cells {
		if i == 0 || cells[i-1].label != c.label {
			panels = append(panels,
				report.Panel{Title: c.label, XLabel: "epoch", YLabel: "test one-sample NELBO estimate (nats)"},
				report.Panel{Title: c.label + ": wall clock", XLabel: "training seconds", YLabel: "test one-sample NELBO estimate (nats)"})
		}
		var ep, wall, loss []float64
		for _, e := range c.epochs {
			if err := csv.Write(c.label, c.estimator, e.Epoch, e.Wall, e.SolverSeconds, e.Valid.Sampled, e.Test.Sampled, e.TestLik.NLL, e.TestLik.GibbsNELBO); err != nil {
				return err
			}
			ep, wall, loss = append(ep, float64(e.Epoch)), append(wall, e.Wall), append(loss, e.Test.Sampled)
		}
		n := len(panels)
		panels[n-2].Series = append(panels[n-2].Series, report.Series{Name: c.estimator, X: ep, Y: loss})
		panels[n-1].Series = append(panels[n-1].Series, report.Series{Name: c.estimator, X: wall, Y: loss})
		kind := c.sum.NLLKind
		if kind == "" {
			kind = "–"
		}
		last := experiment.Epoch{Valid: train.Eval{Sampled: math.NaN()}, Test: train.Eval{Sampled: math.NaN()}, TestLik: train.NoLikelihood()}
		if len(c.epochs) > 0 {
			last = c.epochs[len(c.epochs)-1]
		}
		// The likelihood of the last epoch (always evaluated); the summary's
		// standard error belongs to the best-validation epoch, so it is shown
		// only when that is the last.
		nll := f2(last.TestLik.NLL)
		if se := c.sum.TestNLLStdErrAtBest; se > 0 && !math.IsNaN(se) && c.sum.BestEpoch == last.Epoch {
			nll += fmt.Sprintf(" ± %.2g", se)
		}
		rows = append(rows, []string{c.label, c.estimator, fmt.Sprint(c.sum.Epochs), fmt.Sprint(c.sum.BestEpoch), f2(last.Valid.Sampled), f2(last.Test.Sampled),
			f2(last.TestLik.GibbsNELBO), nll, kind, f2(c.sum.SecondsPerEpoch), fmt.Sprintf("%.1f%%", 100*c.sum.SolverSeconds/max(c.sum.WallSeconds, 1e-9))})
	}
	if err := csv.Close(); err != nil {
		return err
	}
	if err := report.PlotPanels(filepath.Join(out, "structgrid.png"), panels, 2, 11, 4*float64(len(panels)/2)); err != nil {
		return err
	}
	md := "Test set. \"one-sample NELBO\": −log p(x|z*) at one sample plus the unary-factor KL, last epoch (an estimate, not a bound, for constrained latents); " +
		"\"Gibbs NELBO\": the negative ELBO of q(z|x) ∝ exp h(x,z) over the feasible codes (a valid bound), enumerated, or for subset products and 8-node trees estimated as the mean −log w of the importance samples (q is then the proposal); " +
		"\"−log p(x)\": under the uniform prior over the feasible codes, exact (enumerated) or importance-weighted (S samples per image, proposal q itself: exact k-subset or matrix-tree sampling; " +
		"a stochastic upper bound, ± its standard error when the best-validation epoch is the last); all at the last epoch. s/epoch: training only (evaluation excluded); solver share: of training time.\n\n" +
		report.Markdown([]string{"structure", "estimator", "epochs", "best valid epoch", "valid one-sample NELBO", "test one-sample NELBO", "Gibbs NELBO", "−log p(x)", "kind", "s/epoch", "solver share"}, rows)
	if err := runfolder.WriteFile(filepath.Join(out, "structgrid.md"), []byte(md)); err != nil {
		return err
	}
	fmt.Fprint(stdout, "\n"+md)
	return nil
}
