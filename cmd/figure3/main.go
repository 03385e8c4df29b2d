// Command figure3 runs the paper's Figure 3 comparison on n binary latents
// with a structured decoder, reusing cmd/structured's trainer:
//
//   - left: an unstructured encoder trained by each estimator (-estimators);
//   - middle: direct optimization with each encoder structure (-solvers):
//     independent, supermodular (maxflow) and general-sign (bnb, milp);
//   - right: the middle panel's runs against training wall clock.
//
// -exact-solvers adds, for the structures it names, direct with the exact
// perturbed arg max over all 2ⁿ codes (estimator direct-exact, cmd/structured
// -ftilde exact; n ≤ 16) to the middle and right panels, next to direct
// with the paper's f̃.
//
// It writes OUT/figure3.png (the three panels), OUT/figure3.csv (one row
// per run and epoch), OUT/figure3.md (per-run epoch time and solver share)
// and a sub-directory per run. Finished runs are reused. The MILP encoder
// is slow (lp_solve per example, twice per step), so it runs -milp-epochs
// epochs: enough to time it; its arg max equals bnb's, so bnb's curve is
// the general-sign encoder's loss.
//
//	go run ./cmd/figure3 -epochs 30
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/argmaxvae/argmaxvae/internal/experiment"
	_ "github.com/argmaxvae/argmaxvae/qip" // registers the "milp" solver
	"github.com/argmaxvae/argmaxvae/report"
	"github.com/argmaxvae/argmaxvae/train"
)

func main() {
	experiment.Exit("figure3", run(os.Args[1:], os.Stdout, os.Stderr))
}

type result struct {
	name, solver, estimator string
	panel                   string // "left", "middle" or "both"
	epochs                  []experiment.Epoch
	sum                     experiment.Summary
}

func run(args []string, stdout, stderr io.Writer) error {
	base := &experiment.Spec{Command: "figure3", Data: "fashion", Epochs: 30, EpsMin: 0.1, Out: "results/figure3", K: 2}
	fs := flag.NewFlagSet("figure3", flag.ContinueOnError)
	fs.SetOutput(stderr)
	experiment.Flags(fs, base)
	fs.IntVar(&base.N, "n", 15, "number of binary latents")
	fs.IntVar(&base.Samples, "samples", 1, "Gumbel-Max samples per test example")
	fs.IntVar(&base.ExactKL, "kl-exact", 500, "test examples for the exact Gibbs KL of pairwise encoders")
	ests := fs.String("estimators", "direct,direct-none,gsm,arm,disarm,reinforce,rebar,relax", "estimators for the unstructured encoder (left panel); direct-none and direct-analytic are direct with -direct-kl none or analytic")
	solvers := fs.String("solvers", "independent,maxflow,bnb,milp", "encoder structures for direct (middle and right panels)")
	milpEpochs := fs.Int("milp-epochs", 1, "epochs for the MILP encoder (timing only)")
	exactSolvers := fs.String("exact-solvers", "", "encoder structures also trained with direct-exact (the exact perturbed arg max over all 2ⁿ codes instead of f̃, n ≤ 16; every code is decoded every step), e.g. maxflow,bnb")
	if err := experiment.Parse(fs, args); err != nil {
		return err
	}
	// Check the shared flags before loading anything.
	check := *base
	check.Solver, check.Structure, check.Estimator = "independent", "none", "direct"
	experiment.Prepare(&check)
	if err := check.Validate(); err != nil {
		return experiment.Usage(err)
	}
	for _, sv := range experiment.SplitList(*exactSolvers) {
		c := *base
		c.Solver, c.Estimator = sv, "direct-exact"
		var err error
		if c.Structure, err = experiment.StructureOf(sv); err != nil {
			return experiment.Usage(err)
		}
		if err := c.Validate(); err != nil {
			return experiment.Usage(fmt.Errorf("-exact-solvers %s: %w", sv, err))
		}
	}
	data, err := experiment.LoadData(base.Data, base.DataDir, base.Dynamic, base.Seed, base.Limit)
	if err != nil {
		return err
	}
	ctx, stop := experiment.Interruptible()
	defer stop()
	var results []*result
	do := func(solver, est, panel string) error {
		for _, r := range results {
			if r.solver == solver && r.estimator == est {
				r.panel = "both"
				return nil
			}
		}
		s := *base
		s.Solver, s.Estimator, s.DirectKL = solver, est, "folded"
		if kl, ok := strings.CutPrefix(est, "direct-"); ok && est != "direct-exact" {
			s.Estimator, s.DirectKL = "direct", kl
		}
		if solver == "milp" {
			s.Epochs = min(s.Epochs, *milpEpochs)
		}
		var err error
		if s.Structure, err = experiment.StructureOf(solver); err != nil {
			return experiment.Usage(err)
		}
		s.Out = filepath.Join(base.Out, solver+"-"+est)
		if err := s.Validate(); err != nil {
			return experiment.Usage(fmt.Errorf("%s/%s: %w", solver, est, err))
		}
		experiment.Prepare(&s)
		res, err := runOne(ctx, &s, data, stderr)
		if err != nil {
			return fmt.Errorf("%s/%s: %w", solver, est, err)
		}
		res.panel = panel
		results = append(results, res)
		fmt.Fprintf(stdout, "%-12s %-10s test %.2f after %d epochs, %.2f s/epoch, %.1f%% solver\n", solver, est,
			res.sum.FinalTest, res.sum.Epochs, res.sum.SecondsPerEpoch, 100*res.sum.SolverSeconds/max(res.sum.WallSeconds, 1e-9))
		return nil
	}
	for _, e := range experiment.SplitList(*ests) {
		if err := do("independent", e, "left"); err != nil {
			return err
		}
	}
	for _, sv := range experiment.SplitList(*solvers) {
		if err := do(sv, "direct", "middle"); err != nil {
			return err
		}
	}
	for _, sv := range experiment.SplitList(*exactSolvers) {
		if err := do(sv, "direct-exact", "middle"); err != nil {
			return err
		}
	}
	return write(base.Out, results, stdout)
}

// runOne trains one configuration (or reuses a finished run) and returns
// its per-epoch history from metrics.csv.
func runOne(ctx context.Context, s *experiment.Spec, data *experiment.Data, log io.Writer) (*result, error) {
	est := s.Estimator
	if est == "direct" && s.DirectKL != "folded" {
		est += "-" + s.DirectKL
	}
	res := &result{name: s.Solver + "/" + est, solver: s.Solver, estimator: est}
	sum, err := experiment.RunOrReuse(ctx, s, data, func(t *train.Trainer) *experiment.Run {
		return experiment.StructuredRun(s, data, t, log, true)
	})
	if err != nil {
		return nil, err
	}
	res.sum = sum
	h, err := experiment.ReadMetrics(filepath.Join(s.Out, experiment.MetricsFile))
	res.epochs = h
	return res, err
}

func write(out string, results []*result, stdout io.Writer) error {
	csv, err := report.CreateCSV(filepath.Join(out, "figure3.csv"), []string{"run", "solver", "estimator", "panel", "epoch", "wall_seconds", "solver_seconds", "test_loss"})
	if err != nil {
		return err
	}
	var left, middle, right []report.Series
	for _, r := range results {
		var ep, wall, loss []float64
		for _, e := range r.epochs {
			if err := csv.Write(r.name, r.solver, r.estimator, r.panel, e.Epoch, e.Wall, e.SolverSeconds, e.Test.Sampled); err != nil {
				return err
			}
			ep, wall, loss = append(ep, float64(e.Epoch)), append(wall, e.Wall), append(loss, e.Test.Sampled)
		}
		if r.panel == "left" || r.panel == "both" {
			left = append(left, report.Series{Name: r.name, X: ep, Y: loss})
		}
		if r.panel == "middle" || r.panel == "both" {
			middle = append(middle, report.Series{Name: r.name, X: ep, Y: loss})
			right = append(right, report.Series{Name: r.name, X: wall, Y: loss})
		}
	}
	if err := csv.Close(); err != nil {
		return err
	}
	const yl = "test one-sample NELBO estimate (nats)"
	if err := report.PlotPanels(filepath.Join(out, "figure3.png"), []report.Panel{
		{Title: "unstructured encoder, structured decoder", XLabel: "epoch", YLabel: yl, Series: left},
		{Title: "encoder structures (direct)", XLabel: "epoch", YLabel: yl, Series: middle},
		{Title: "encoder structures: wall clock", XLabel: "training seconds", YLabel: yl, Series: right, LogX: true},
	}, 3, 15, 4.5); err != nil {
		return err
	}
	rows := [][]string{}
	for _, r := range results {
		share := 100 * r.sum.SolverSeconds / max(r.sum.WallSeconds, 1e-9)
		last := r.epochs[len(r.epochs)-1]
		rows = append(rows, []string{r.name, fmt.Sprint(r.sum.Epochs), fmt.Sprintf("%.2f", r.sum.SecondsPerEpoch), fmt.Sprintf("%.1f%%", share),
			fmt.Sprintf("%.2f", r.sum.FinalTest), fmt.Sprintf("%.2f", last.TestLik.GibbsNELBO), fmt.Sprintf("%.2f", last.TestLik.NLL),
			fmt.Sprintf("%.2f", last.TestLik.GibbsNELBO-last.TestLik.NLL)})
	}
	md := "Last epoch, test set. \"one-sample estimate\": −log p(x|z*) at one Gumbel-Max sample plus the unary-factor KL (an estimate, not a bound, for pairwise encoders); " +
		"\"Gibbs NELBO\": the negative ELBO of q(z|x) ∝ exp h(x,z), all 2ⁿ codes enumerated (a valid bound); \"−log p(x)\": exact, all 2ⁿ codes enumerated.\n\n" +
		report.Markdown([]string{"run", "epochs", "s/epoch", "solver share", "one-sample estimate", "Gibbs NELBO", "−log p(x)", "gap"}, rows)
	if err := os.WriteFile(filepath.Join(out, "figure3.md"), []byte(md), 0o644); err != nil {
		return err
	}
	fmt.Fprint(stdout, "\n"+md)
	return nil
}
