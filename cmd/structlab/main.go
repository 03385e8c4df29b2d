// Command structlab is the structured gradient laboratory (issue 10): at
// the parameters of a trained cmd/structured (or cmd/figure3) run with
// n ≤ 16 binary latents, it measures the bias and spread of the encoder
// gradient estimators against the true gradient of the expected
// reconstruction loss with respect to each bit's logit, on the first
// -examples test images:
//
//   - direct with f̃ (the paper's low-dimensional approximation) and direct
//     with the exact perturbed arg max z*(ε) = argmax h + γ + ε·f over all
//     2ⁿ codes, at each ε of -eps (KL ignored: the reconstruction term);
//   - the unbiased REINFORCE and ARM on the perturbation noise (they apply
//     to any encoder);
//   - for independent encoders, also the training estimators ARM, DisARM,
//     REINFORCE (learned baseline), REBAR and RELAX.
//
// The reference is the closed form for independent encoders and a
// conditional Monte Carlo (each bit's logistic noise integrated out
// exactly) for pairwise ones; see lab.Structured. It writes
// OUT/lab.md and OUT/lab.csv.
//
//	go run ./cmd/structlab -run results/figure3/maxflow-direct -out results/structlab-maxflow
package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/argmaxvae/argmaxvae/internal/cli"
	"github.com/argmaxvae/argmaxvae/internal/experiment"
	"github.com/argmaxvae/argmaxvae/internal/runfolder"
	"github.com/argmaxvae/argmaxvae/lab"
	"github.com/argmaxvae/argmaxvae/nn"
	"github.com/argmaxvae/argmaxvae/report"
)

func main() { cli.Main("structlab", run) }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("structlab", stderr)
	runDir := fs.String("run", "", "a cmd/structured or cmd/figure3 run folder (config.json and checkpoint.bin)")
	ckpt := fs.String("checkpoint", experiment.CheckpointFile, "checkpoint file, relative to -run unless absolute (best.bin: the best-validation epoch)")
	var examples, reps, threads int
	cli.IntIn(fs, &examples, "examples", 10, 1, 1<<24, "", "test images (the first ones)")
	cli.IntIn(fs, &reps, "reps", 2000, 2, 1<<30, "a variance needs two samples", "noise draws per example (and steps per training estimator)")
	epsp := cli.Floats(fs, "eps", []float64{1, 0.3, 0.1, 0.03}, cli.Positive, "temperatures ε for the direct estimators")
	var seed uint64
	cli.Seed(fs, &seed)
	cli.Threads(fs, &threads)
	var pairScale float64
	cli.FloatIn(fs, &pairScale, "pair-scale", 1, cli.NonNegative, "multiply the encoder's pair weights by this factor before measuring (a sensitivity check of coupling strength; 1: the run's parameters)")
	var out string
	cli.Out(fs, &out, "")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if *runDir == "" {
		return cli.Usagef("-run is required")
	}
	eps := *epsp
	s, err := experiment.ReadRun(*runDir, "structlab", "structured, figure3 and structgrid with binary latents")
	if err != nil {
		return err
	}
	ckptPath := *ckpt
	if !filepath.IsAbs(ckptPath) {
		ckptPath = filepath.Join(*runDir, ckptPath)
	}
	if err := cli.CheckFile(ckptPath); err != nil {
		return cli.Usagef("-checkpoint: %w", err)
	}
	if s.K != 2 || s.N > 16 {
		return cli.Usagef("-run: the laboratory enumerates all 2ⁿ codes of binary latents, n ≤ 16; this run has n = %d latents of K = %d states", s.N, s.K)
	}
	s.Threads = threads
	if out == "" {
		out = filepath.Join(*runDir, "structlab")
	}
	data, err := experiment.LoadData(s.Data, s.DataDir, false, s.Seed, 1)
	if err != nil {
		return err
	}
	built, err := experiment.Check(s, nil)
	if err != nil {
		return cli.Usagef("-run: %s: %w", experiment.ConfigFile, err)
	}
	experiment.UseThreads(s.Threads)
	t, err := built.Trainer(data.Test.Cols)
	if err != nil {
		return err
	}
	if err := experiment.LoadCheckpoint(t, ckptPath); err != nil {
		return err
	}
	m := min(examples, data.Test.Rows)
	x := nn.NewMat(m, data.Test.Cols)
	copy(x.Data, data.Test.Data[:m*data.Test.Cols])
	start := time.Now()
	res, err := lab.Structured(ctx, t.VAE(), x, lab.Config{Eps: eps, Reps: reps, Seed: seed, PairScale: pairScale})
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	return write(out, res, s, t.Epoch(), strings.Join(os.Args, " "), reps, elapsed, stdout)
}

func write(out string, res *lab.Result, s *experiment.Spec, epoch int, cmd string, reps int, elapsed time.Duration, stdout io.Writer) error {
	csv, err := report.CreateCSV(filepath.Join(out, "lab.csv"), []string{"estimator", "eps", "bias", "raw", "floor", "rel_bias", "std", "cos", "unary_diff", "unary_floor", "pair_diff", "pair_floor"})
	if err != nil {
		return err
	}
	g := func(x float64) string {
		if math.IsNaN(x) {
			return "–"
		}
		return strconv.FormatFloat(x, 'g', 3, 64)
	}
	var rows [][]string
	for _, r := range res.Rows {
		if err := csv.Write(r.Estimator, r.Eps, r.Bias, r.Raw, r.Floor, r.Bias/res.RefNorm, r.Std, r.Cos, r.UnaryDiff, r.UnaryFloor, r.PairDiff, r.PairFloor); err != nil {
			return err
		}
		e := "–"
		if r.Eps > 0 {
			e = g(r.Eps)
		}
		pair, unary := "–", "–"
		if !math.IsNaN(r.PairDiff) {
			pair = g(r.PairDiff) + " (floor " + g(r.PairFloor) + ")"
		}
		if !math.IsNaN(r.UnaryDiff) {
			unary = g(r.UnaryDiff) + " (floor " + g(r.UnaryFloor) + ")"
		}
		rows = append(rows, []string{r.Estimator, e, g(r.Bias / res.RefNorm), g(r.Raw), g(r.Floor), g(r.Std), g(r.Cos), unary, pair})
	}
	if err := csv.Close(); err != nil {
		return err
	}
	ref := fmt.Sprintf("%s, ‖∇‖ = %.4g", res.Reference, res.RefNorm)
	if res.RefSE > 0 {
		ref += fmt.Sprintf(" ± %.2g (its Monte-Carlo error)", res.RefSE)
	}
	if !math.IsNaN(res.ClosedDiff) {
		ref += fmt.Sprintf("; the conditional Monte Carlo differs from it by %.3g (noise %.3g)", res.ClosedDiff, res.ClosedSE)
	}
	md := fmt.Sprintf("Command: `%s`\n\nRun: %s, %s/%s, n = %d, epoch %d; %d test images, %d noise draws each (common to all table estimators), %s.\n\nEncoder at these images: mean |logit| %.3g, mean |pair weight| %.3g, largest total coupling of a bit (max_i Σ_j |w_ij|, mean over images) %.3g.\n\nReference gradient of E[−log p(x|z*)] w.r.t. the %d·n bit logits: %s.\n\n",
		cmd, s.Out, s.Estimator, s.Solver, s.N, epoch, res.Examples, reps, elapsed.Round(time.Second), res.MeanLogit, res.MeanPair, res.MaxPairSum, res.Examples, ref) +
		"bias/‖∇‖: ‖E ĝ − ∇‖ with the Monte-Carlo noise removed (√max(0, raw² − floor²)), relative; raw: ‖mean(ĝ − ∇̂)‖ over paired samples; floor: its standard error (what raw is for an unbiased estimator); std: root mean per-coordinate standard deviation of one sample; cos: cosine of the mean with ∇; f̃ − exact: direct only, ‖mean(ĝ_f̃ − ĝ_exact)‖ at the same noise and ε, on the logits and on the pair weights (floor: its paired standard error).\n\n" +
		report.Markdown([]string{"estimator", "ε", "bias/‖∇‖", "raw", "floor", "std", "cos", "logits: f̃ − exact", "pairs: f̃ − exact"}, rows)
	if err := runfolder.WriteFile(filepath.Join(out, "lab.md"), []byte(md)); err != nil {
		return err
	}
	fmt.Fprint(stdout, md)
	return nil
}
