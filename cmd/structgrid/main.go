// Command structgrid trains the structure × estimator grid of issue 9 with
// cmd/structured's trainer, one run per cell, and compares the estimators
// on each latent structure:
//
//   - subset: -subset-parts independent latent variables, each a
//     -subset-k-of--subset-n subset (default 20 × 10-of-20, the I-MLE
//     paper's discrete VAE); too many codes to enumerate (C(20,10)²⁰), so
//     −log p(x) is importance-weighted (-iw-samples per test image) with the
//     exact exponential-family proposal over k-subsets;
//   - matching: permutations of -matching-n (default 6: 720 codes, so
//     −log p(x) is exact);
//   - tree: spanning trees of the complete graph on each of -tree-nodes
//     node counts (default 6 and 8: 1,296 trees, exact −log p(x), and 8⁶
//     trees on 28 edge bits, importance-weighted with the exact
//     matrix-tree proposal).
//
// Estimators per structure: -subset-estimators (default direct, imle,
// imle-sog, perturbed, st-topk) and -estimators for the others (default
// direct, imle, perturbed). It writes OUT/structgrid.csv (one row per cell
// and epoch), OUT/structgrid.md (the last epoch of every cell: losses with
// what each one is, seconds per epoch, solver share), OUT/structgrid.png
// (test loss against epoch and against training seconds, one row of panels
// per structure) and a sub-directory per cell. Finished cells are reused,
// interrupted ones resumed.
//
//	go run ./cmd/structgrid -data mnist -epochs 5 -limit 10000
package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"path/filepath"

	"github.com/argmaxvae/argmaxvae/internal/cli"
	"github.com/argmaxvae/argmaxvae/internal/experiment"
	"github.com/argmaxvae/argmaxvae/internal/runfolder"
	"github.com/argmaxvae/argmaxvae/report"
	"github.com/argmaxvae/argmaxvae/train"
)

func main() { cli.Main("structgrid", run) }

// flagNames spells the flags of a cell's messages as structgrid has them
// (see cli.RenameFlags): the structure's own size flag for -n, its
// binary or permutation latents (no -k).
func flagNames(structure string) map[string]string {
	n := map[string]string{"subset": "-subset-n", "matching": "-matching-n", "tree": "-tree-nodes"}[structure]
	est := "-estimators"
	if structure == "subset" {
		est = "-subset-estimators"
	}
	return map[string]string{"n": n, "k": "", "structure": "-structures", "signs": "signs", "solver": "solver",
		"estimator": est, "direct-kl": "KL mode", "kl-exact": "exact-KL examples"}
}

// cell is one trained configuration.
type cell struct {
	structure, estimator string
	label                string // e.g. "20 × 10-of-20 subset"
	spec                 experiment.Spec
	built                *experiment.Built
	epochs               []experiment.Epoch
	sum                  experiment.Summary
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	base := &experiment.Spec{Command: "structgrid", K: 2, Samples: 1}
	fs := cli.NewFlagSet("structgrid", stderr)
	experiment.DataFlags(fs, base, "mnist")
	experiment.TrainingFlags(fs, base, 5)
	cli.Seed(fs, &base.Seed)
	experiment.SlowFlag(fs, &base.AllowSlow)
	cli.Out(fs, &base.Out, "results/structgrid")
	structures := cli.Strings(fs, "structures", []string{"subset", "matching", "tree"}, "structures to train: subset, matching, tree")
	subsetEsts := experiment.GridEstimatorFlag(fs, "subset-estimators", []string{"direct", "imle", "imle-sog", "perturbed", "st-topk"}, "estimators for the subset latent")
	ests := experiment.GridEstimatorFlag(fs, "estimators", []string{"direct", "imle", "perturbed"}, "estimators for the matching and tree latents")
	var subsetN, subsetK, parts, matchingN int
	cli.IntIn(fs, &subsetN, "subset-n", 20, 2, 1<<24, "", "subset: items per latent variable")
	cli.IntIn(fs, &subsetK, "subset-k", 10, 1, 1<<24, "", "subset: items chosen per latent variable (fewer than -subset-n)")
	cli.IntIn(fs, &parts, "subset-parts", 20, 1, 1<<24, "", "subset: latent variables (independent subsets)")
	cli.IntIn(fs, &matchingN, "matching-n", 6, 2, 1<<24, "", "matching: permutations of this many items (n! codes, enumerated for −log p(x))")
	treeNodes := cli.Ints(fs, "tree-nodes", []int{6, 8}, 2, 1<<24, "tree: comma-separated node counts, one latent each: spanning trees of the complete graph on n nodes (n(n−1)/2 edge bits; enumerated for −log p(x) up to 6 nodes, importance-weighted with the exact matrix-tree proposal beyond)")
	cli.IntIn(fs, &base.IWSamples, "iw-samples", 100, 0, 1<<24, "", "subset: importance samples per test image for −log p(x) (last epoch)")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	var cells []*cell
	for _, st := range *structures {
		list := *ests
		if st == "subset" {
			list = *subsetEsts
		}
		sizes := []int{0} // tree: one latent per node count
		if st == "tree" {
			sizes = *treeNodes
		}
		for _, size := range sizes {
			for _, est := range list {
				c := &cell{structure: st, estimator: est, spec: *base}
				s := &c.spec
				if err := s.SetGridEstimator(est); err != nil {
					return cli.Usagef("%s: %w", st, err)
				}
				s.Structure = st
				dir := st
				switch st {
				case "subset":
					s.N, s.SubsetK, s.Parts = subsetN, subsetK, parts
				case "matching":
					s.N = matchingN
				case "tree":
					s.N, dir = size, fmt.Sprintf("%s%d", st, size)
				default:
					return cli.Usagef("-structures: %q: want subset, matching or tree", st)
				}
				s.Out = filepath.Join(base.Out, dir+"-"+est)
				b, err := experiment.Check(s, nil)
				if err != nil {
					// The spec says -n; this command's flag for it is the structure's own.
					return cli.Usagef("%s/%s: %w", st, est, cli.RenameFlags(err, flagNames(st)))
				}
				c.label, c.built = b.Structure.Name(), b
				cells = append(cells, c)
			}
		}
	}
	// Every cell is checked before the data are loaded.
	experiment.UseThreads(base.Threads)
	data, err := experiment.LoadData(base.Data, base.DataDir, base.Dynamic, base.Seed, base.Limit)
	if err != nil {
		return err
	}
	for _, c := range cells {
		if err := c.built.CheckCost(data.Sizes(), stderr); err != nil {
			return cli.Usagef("%s/%s: %w", c.structure, c.estimator, cli.RenameFlags(err, flagNames(c.structure)))
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
