// Command structured trains VAEs with n binary latents (default 15) and a
// structured decoder 2n → FC(300) → ReLU → FC(784) — the paper's Section
// 4.1 and Figure 3 — with the encoder's structure chosen by the solver:
//
//	-solver independent   unary scores only (two per bit)
//	-solver maxflow       plus pairwise αᵢⱼ(x) ≥ 0 (softplus), solved by graph cut
//	-solver bnb|exhaustive|milp   plus pairwise αᵢⱼ(x) of any sign
//
// Structured encoders train with direct optimization (the arg max is the
// only thing they need); the unstructured one also with gsm, arm, disarm,
// reinforce and rebar.
//
//	go run ./cmd/structured --solver=maxflow
//
// It writes OUT/metrics.csv, OUT/config.json, OUT/checkpoint.bin
// (continue with -resume), OUT/summary.json, OUT/loss.png (test loss
// against epoch and wall clock) and OUT/samples.png (decoded random codes,
// then test images alternating with their reconstructions).
package main

import (
	"fmt"
	"io"
	"os"

	"flag"

	"github.com/argmaxvae/argmaxvae/internal/experiment"
	_ "github.com/argmaxvae/argmaxvae/qip" // registers the "milp" solver
)

func main() {
	experiment.Exit("structured", run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) error {
	s := &experiment.Spec{Command: "structured", Data: "fashion", Estimator: "direct", Epochs: 10, EpsMin: 0.1, Out: "", K: 2}
	fs := flag.NewFlagSet("structured", flag.ContinueOnError)
	fs.SetOutput(stderr)
	experiment.Flags(fs, s)
	fs.IntVar(&s.N, "n", 15, "number of binary latents")
	fs.StringVar(&s.Solver, "solver", "maxflow", "arg max solver, which fixes the encoder's structure: independent, maxflow, bnb, exhaustive, milp")
	fs.IntVar(&s.Samples, "samples", 1, "Gumbel-Max samples per test example for the reconstruction term")
	fs.IntVar(&s.ExactKL, "kl-exact", 500, "test examples for the exact Gibbs KL of pairwise encoders (2ⁿ states each; 0 to skip)")
	fs.IntVar(&s.NLLEvery, "nll-every", 0, "epochs between evaluations of the exact −log p(x) and Gibbs NELBO on the test set (all 2ⁿ codes, about 12 s for n = 15 on 10,000 images; 0: last epoch only); the best-validation epoch is always evaluated")
	fs.IntVar(&s.IWSamples, "iw-samples", 1000, "importance samples per test image for −log p(x) when 2ⁿ is too many to enumerate (n > 20; last epoch only; 0: skip)")
	resume := fs.Bool("resume", false, "continue from OUT/checkpoint.bin up to -epochs")
	if err := experiment.Parse(fs, args); err != nil {
		return err
	}
	structure, err := experiment.StructureOf(s.Solver)
	if err != nil {
		return experiment.Usage(err)
	}
	s.Structure = structure
	if s.Out == "" {
		s.Out = fmt.Sprintf("results/structured-%s-%s", s.Solver, s.Estimator)
	}
	if s.Structure != "none" && s.N > 20 && s.ExactKL > 0 {
		return experiment.Usage(fmt.Errorf("-kl-exact enumerates 2ⁿ states: use -kl-exact=0 with -n %d", s.N))
	}
	data, t, err := experiment.Setup(s)
	if err != nil {
		return err
	}
	ctx, stop := experiment.Interruptible()
	defer stop()
	sum, err := experiment.StructuredRun(s, data, t, stderr, true).Execute(ctx, *resume)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s n=%d %s/%s: test loss %.2f at the best valid epoch %d; %.2f s/epoch, %.0f%% in the solver; results in %s\n",
		s.Data, s.N, s.Estimator, s.Solver, sum.TestAtBest, sum.BestEpoch, sum.SecondsPerEpoch, 100*sum.SolverSeconds/max(sum.WallSeconds, 1e-9), s.Out)
	return nil
}
