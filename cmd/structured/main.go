// Command structured trains VAEs with n discrete latents (default 15
// bits) and a structured decoder N·K → FC(300) → ReLU → FC(784) — the
// paper's Section 4.1 and Figure 3 — with the encoder's latent structure
// given by -structure:
//
//	-structure independent   unary scores only (-k states per variable)
//	-structure complete      n bits plus a weight αᵢⱼ(x) on every pair;
//	                         -signs supermodular (αᵢⱼ ≥ 0 by softplus, the
//	                         default, solved by graph cut) or general (any sign)
//	-structure grid          n bits on a 4-connected grid (10×10 for n = 100)
//	                         with a weight on each grid pair, signed by -signs;
//	                         general signs beyond 64 bits are solved by QPBO
//	                         (roof duality, then branch and bound)
//	-structure chain         n variables of -k states with unary and
//	                         transition scores, solved by Viterbi
//	-structure subset        k of n bits (-subset-k), top-k
//	-structure matching      a permutation of n (n variables of n states),
//	                         Hungarian
//	-structure tree          a spanning tree of the complete graph on n
//	                         nodes (one bit per edge), Kruskal
//
// Constrained structures (subset, matching, tree) train with direct, imle
// and perturbed; their uniform prior is over the feasible codes, which is
// what the exact −log p(x) and the Gibbs NELBO use (the training loss's
// KL is the unary factors', as for every structure). -subset-parts M makes
// the latent M independent k-of-n subsets (-n 20 -subset-k 10
// -subset-parts 20 is the I-MLE paper's discrete VAE); subset latents also
// train with imle-sog (I-MLE's sum-of-Gamma noise) and st-topk
// (straight-through Gumbel-top-k), and when they have too many codes to
// enumerate −log p(x) is importance-weighted with the exact exponential-
// family proposal over k-subsets. cmd/structgrid runs the whole grid.
//
// -solver picks an exact solver among those that apply (default: the
// structure's fastest). The default structure is complete supermodular,
// so go run ./cmd/structured --solver=maxflow is the paper's main job: 15
// binary latents, graph cut, Fashion-MNIST. -estimator direct-exact
// replaces direct's low-dimensional f̃ by the exact perturbed arg max over
// all K^N ≤ 2¹⁶ codes (every code is decoded every step; see
// train.DirectExact). A flag that does not apply to the chosen structure
// or estimator (-k with complete, -signs with chain, -relaxed with direct,
// …) is refused, not ignored.
//
// Before the first epoch it prints what an epoch and the final evaluation
// will cost when either grows exponentially (exhaustive enumeration,
// branch and bound, MILP, direct-exact, exact −log p(x)) and refuses
// beyond an hour unless -allow-slow.
//
// Structured encoders train with direct optimization (the arg max is the
// only thing they need); the independent one also with gsm, arm, disarm,
// reinforce and rebar (each estimator declares what it needs).
//
//	go run ./cmd/structured --solver=maxflow
//	go run ./cmd/structured -structure chain -k 4 -n 8
//
// It writes OUT/metrics.csv, OUT/config.json, OUT/checkpoint.bin
// (continue with -resume), OUT/summary.json, OUT/loss.png (test loss
// against epoch and wall clock) and OUT/samples.png (decoded random codes,
// then test images alternating with their reconstructions).
package main

import (
	"context"
	"fmt"
	"io"

	"github.com/argmaxvae/argmaxvae/internal/cli"
	"github.com/argmaxvae/argmaxvae/internal/experiment"
	_ "github.com/argmaxvae/argmaxvae/qip" // registers the "milp" solver
)

func main() { cli.Main("structured", run) }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	b, resume, err := parse(args, stderr)
	if err != nil {
		return err
	}
	s := b.Spec
	experiment.UseThreads(s.Threads)
	data, t, err := b.Setup(stderr)
	if err != nil {
		return err
	}
	sum, err := experiment.StructuredRun(s, data, t, stderr, true).Execute(ctx, resume)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s n=%d %s/%s: test loss %.2f at the best valid epoch %d; %.2f s/epoch, %.0f%% in the solver; results in %s\n",
		s.Data, s.N, s.Estimator, s.Solver, sum.TestAtBest, sum.BestEpoch, sum.SecondsPerEpoch, 100*sum.SolverSeconds/max(sum.WallSeconds, 1e-9), s.Out)
	return nil
}

// parse reads the command line into a checked spec; every problem it
// finds is a usage error, before any data is read.
func parse(args []string, stderr io.Writer) (b *experiment.Built, resume bool, err error) {
	s := &experiment.Spec{Command: "structured"}
	fs := cli.NewFlagSet("structured", stderr)
	experiment.DataFlags(fs, s, "fashion")
	experiment.TrainingFlags(fs, s, 10)
	experiment.EstimatorFlags(fs, s)
	experiment.LatentFlags(fs, s, 15, 2)
	experiment.StructureFlags(fs, s)
	experiment.EvalFlags(fs, s)
	experiment.SlowFlag(fs, s)
	cli.Out(fs, &s.Out, "")
	fs.BoolVar(&resume, "resume", false, "continue from OUT/checkpoint.bin up to -epochs")
	if err := cli.Parse(fs, args); err != nil {
		return nil, false, err
	}
	if b, err = experiment.Check(s, experiment.Given(fs)); err != nil {
		return nil, false, cli.Usage(err)
	}
	if b.Pairwise() && s.N > 20 && s.ExactKL > 0 {
		return nil, false, cli.Usagef("-kl-exact enumerates 2ⁿ states: use -kl-exact=0 with -n %d", s.N)
	}
	if s.Out == "" {
		s.Out = fmt.Sprintf("results/structured-%s-%s", s.Solver, s.Estimator)
	}
	return b, resume, nil
}
