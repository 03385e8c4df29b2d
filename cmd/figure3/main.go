// Command figure3 runs the paper's Figure 3 comparison on n binary latents
// with a structured decoder, reusing cmd/structured's trainer:
//
//   - left: an unstructured encoder trained by each estimator (-estimators);
//   - middle: direct optimization with each encoder of -encoders:
//     independent, complete supermodular (maxflow) and complete with
//     general signs (bnb, milp), written STRUCTURE[:SIGNS][@SOLVER] as
//     cmd/structured's -structure, -signs and -solver;
//   - right: the middle panel's runs against training wall clock.
//
// -exact-encoders adds, for the encoders it names, direct with the exact
// perturbed arg max over all 2ⁿ codes (estimator direct-exact; n ≤ 16) to
// the middle and right panels, next to direct with the paper's f̃.
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
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/argmaxvae/argmaxvae/internal/cli"
	"github.com/argmaxvae/argmaxvae/internal/experiment"
	"github.com/argmaxvae/argmaxvae/internal/runfolder"
	_ "github.com/argmaxvae/argmaxvae/qip" // registers the "milp" solver
	"github.com/argmaxvae/argmaxvae/report"
	"github.com/argmaxvae/argmaxvae/train"
)

func main() { cli.Main("figure3", run) }

type result struct {
	name, solver, estimator string
	panel                   string // "left", "middle" or "both"
	epochs                  []experiment.Epoch
	sum                     experiment.Summary
}

// An encoder is one item of -encoders: STRUCTURE[:SIGNS][@SOLVER], in
// cmd/structured's words (complete:general@bnb is -structure complete
// -signs general -solver bnb). label names its runs: the solver, or the
// whole item when two encoders share a solver.
type encoder struct {
	structure, signs, solver, label string
}

// flagNames spells the flags of the runs' messages as figure3 has them
// (see cli.RenameFlags): binary latents (no -k), the structure, signs and
// solver of an encoder in -encoders, the estimators in -estimators.
var flagNames = map[string]string{"k": "", "structure": "structure", "signs": "signs", "solver": "solver",
	"estimator": "-estimators", "direct-kl": "KL mode", "subset-k": "subset k", "subset-parts": "subset parts"}

func parseEncoders(flag string, items []string, base *experiment.Spec) ([]encoder, error) {
	var out []encoder
	count := map[string]int{}
	for _, it := range items {
		rest, solver, _ := strings.Cut(it, "@")
		structure, signs, _ := strings.Cut(rest, ":")
		if !slices.Contains(experiment.Structures(), structure) {
			return nil, fmt.Errorf("%s: %q: want STRUCTURE[:SIGNS][@SOLVER] with a structure of %s", flag, it, strings.Join(experiment.Structures(), ", "))
		}
		out = append(out, encoder{structure, signs, solver, it})
	}
	for i := range out {
		s := out[i].spec(base)
		s.Estimator = "direct"
		if _, err := experiment.Check(s, nil); err != nil {
			return nil, fmt.Errorf("%s %s: %w", flag, out[i].label, cli.RenameFlags(err, flagNames))
		}
		out[i].solver = s.Solver
		count[s.Solver]++
	}
	for i := range out {
		if count[out[i].solver] == 1 {
			out[i].label = out[i].solver
			if out[i].solver == "categorical" { // argmax's name for the independent encoder's solver: its rows join the left panel's
				out[i].label = "independent"
			}
		} else {
			out[i].label = strings.NewReplacer(":", "-", "@", "-").Replace(out[i].label)
		}
	}
	return out, nil
}

// spec returns a copy of base with the encoder's structure.
func (e encoder) spec(base *experiment.Spec) *experiment.Spec {
	s := *base
	s.Structure, s.Signs, s.Solver = e.structure, e.signs, e.solver
	return &s
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	base := &experiment.Spec{Command: "figure3", K: 2, DirectKL: "folded"}
	fs := cli.NewFlagSet("figure3", stderr)
	experiment.DataFlags(fs, base, "fashion")
	experiment.TrainingFlags(fs, base, 30)
	cli.Seed(fs, &base.Seed)
	experiment.SlowFlag(fs, &base.AllowSlow)
	experiment.RelaxedFlag(fs, base)
	experiment.KnobFlags(fs, base)
	experiment.NFlag(fs, &base.N, 15)
	experiment.EvalFlags(fs, base)
	cli.GridOut(fs, &base.Out, "results/figure3")
	ests := experiment.GridEstimatorFlag(fs, "estimators", []string{"direct", "direct-none", "gsm", "arm", "disarm", "reinforce", "rebar", "relax"}, "estimators for the unstructured encoder (left panel)")
	encs := cli.Strings(fs, "encoders", []string{"independent", "complete@maxflow", "complete:general@bnb", "complete:general@milp"}, "encoders trained with direct (middle and right panels): STRUCTURE[:SIGNS][@SOLVER] as cmd/structured's -structure, -signs and -solver")
	var milpEpochs int
	cli.IntIn(fs, &milpEpochs, "milp-epochs", 1, 1, 1<<30, "", "epochs for encoders solved by MILP (timing only)")
	exact := cli.Strings(fs, "exact-encoders", nil, "encoders also trained with direct-exact (the exact perturbed arg max over all 2ⁿ codes instead of f̃, n ≤ 16; every code is decoded every step), e.g. complete@maxflow")
	cli.MayBeEmpty(fs, "estimators", "encoders", "exact-encoders") // each may skip its part of the figure
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if len(*ests)+len(*encs)+len(*exact) == 0 {
		return cli.Usagef("-estimators, -encoders and -exact-encoders are all empty: nothing to run")
	}
	if err := experiment.CheckGridKnobs(cli.Given(fs), *ests); err != nil { // the other panels are direct
		return cli.Usage(err)
	}
	middle, err := parseEncoders("-encoders", *encs, base)
	if err != nil {
		return cli.Usage(err)
	}
	exactEncs, err := parseEncoders("-exact-encoders", *exact, base)
	if err != nil {
		return cli.Usage(err)
	}
	// Check every run's spec before loading anything.
	type job struct {
		b     *experiment.Built
		s     *experiment.Spec
		label string
		est   string
		panel string
	}
	var jobs []job
	add := func(e encoder, est, panel string) error {
		s := e.spec(base)
		if err := s.SetGridEstimator(est); err != nil {
			return err
		}
		if s.Solver == "milp" {
			s.Epochs = min(s.Epochs, milpEpochs)
		}
		s.Out = filepath.Join(base.Out, e.label+"-"+est)
		b, err := experiment.Check(s, nil)
		if err != nil {
			return fmt.Errorf("%s/%s: %w", e.label, est, cli.RenameFlags(err, flagNames))
		}
		jobs = append(jobs, job{b, s, e.label, est, panel})
		return nil
	}
	for _, est := range *ests {
		if err := add(encoder{structure: "independent", label: "independent"}, est, "left"); err != nil {
			return cli.Usage(err)
		}
	}
	for _, e := range middle {
		if err := add(e, "direct", "middle"); err != nil {
			return cli.Usage(err)
		}
	}
	for _, e := range exactEncs {
		if err := add(e, "direct-exact", "middle"); err != nil {
			return cli.Usage(err)
		}
	}
	experiment.UseThreads(base.Threads)
	data, err := experiment.LoadData(base.Data, base.DataDir, base.Dynamic, base.Seed, base.Limit)
	if err != nil {
		return err
	}
	for _, j := range jobs {
		if err := j.b.CheckCost(data.Sizes(), stderr); err != nil {
			return cli.Usagef("%s/%s: %w", j.label, j.est, cli.RenameFlags(err, flagNames))
		}
	}
	var results []*result
	for _, j := range jobs {
		if r := find(results, j.label, j.est); r != nil {
			r.panel = "both"
			continue
		}
		res, err := runOne(ctx, j.b, data, j.label, j.est, stderr)
		if err != nil {
			return fmt.Errorf("%s/%s: %w", j.label, j.est, err)
		}
		res.panel = j.panel
		results = append(results, res)
		fmt.Fprintf(stdout, "%-12s %-10s test %.2f after %d epochs, %.2f s/epoch, %.1f%% solver\n", j.label, j.est,
			res.sum.FinalTest, res.sum.Epochs, res.sum.SecondsPerEpoch, 100*res.sum.SolverSeconds/max(res.sum.WallSeconds, 1e-9))
	}
	return write(base.Out, results, stdout)
}

func find(results []*result, label, est string) *result {
	for _, r := range results {
		if r.solver == label && r.estimator == est {
			return r
		}
	}
	return nil
}

// runOne trains one configuration (or reuses a finished run) and returns
// its per-epoch history (the checkpoint's).
func runOne(ctx context.Context, b *experiment.Built, data *experiment.Data, label, est string, log io.Writer) (*result, error) {
	s := b.Spec
	res := &result{name: label + "/" + est, solver: label, estimator: est}
	sum, err := experiment.RunOrReuse(ctx, b, data, func(t *train.Trainer) *experiment.Run {
		return experiment.StructuredRun(s, data, t, log, true)
	})
	if err != nil {
		return nil, err
	}
	res.sum = sum
	h, err := experiment.History(s.Out)
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
	if err := runfolder.WriteFile(filepath.Join(out, "figure3.md"), []byte(md)); err != nil {
		return err
	}
	fmt.Fprint(stdout, "\n"+md)
	return nil
}
