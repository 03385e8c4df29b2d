// Command structured trains VAEs with n discrete latents (default 15
// bits) and a structured decoder N·K → FC(300) → ReLU → FC(784) — the
// paper's Section 4.1 and Figure 3 — with the encoder's latent structure
// given by -structure:
//
//	-structure independent   unary scores only (K per variable, -states)
//	-structure complete      n bits plus a weight αᵢⱼ(x) on every pair;
//	                         -signs supermodular (αᵢⱼ ≥ 0 by softplus, the
//	                         default, solved by graph cut) or general (any sign)
//	-structure grid          n bits on a 4-connected grid (10×10 for n = 100)
//	                         with a weight on each grid pair, signed by -signs;
//	                         general signs beyond 64 bits are solved by QPBO
//	                         (roof duality, then branch and bound)
//	-structure chain         n variables of -states states with unary and
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
// structure's fastest). Without -structure, -solver decides it as it always
// did: independent → independent bits, maxflow → complete supermodular,
// bnb, exhaustive, qpbo, milp → complete general.
//
// -ftilde exact replaces direct's low-dimensional f̃ by the exact perturbed
// arg max over all K^N codes (n ≤ 16 bits; every code is decoded every
// step, so an epoch costs far more: see train.DirectExact).
//
// Structured encoders train with direct optimization (the arg max is the
// only thing they need); the independent one also with gsm, arm, disarm,
// reinforce and rebar (each estimator declares what it needs).
//
//	go run ./cmd/structured --solver=maxflow
//	go run ./cmd/structured -structure chain -states 4 -n 8
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
	"strings"

	"flag"

	"github.com/argmaxvae/argmaxvae/internal/experiment"
	_ "github.com/argmaxvae/argmaxvae/qip" // registers the "milp" solver
)

func main() {
	experiment.Exit("structured", run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) error {
	s := &experiment.Spec{Command: "structured", Data: "fashion", Estimator: "direct", Epochs: 10, EpsMin: 0.1, Out: ""}
	fs := flag.NewFlagSet("structured", flag.ContinueOnError)
	fs.SetOutput(stderr)
	experiment.Flags(fs, s)
	fs.IntVar(&s.N, "n", 15, "number of latent variables")
	fs.IntVar(&s.K, "states", 2, "states per variable (independent and chain structures; complete needs 2)")
	structure := fs.String("structure", "", "latent structure: independent, complete, grid (n bits on a 4-connected grid, weights signed by -signs), chain, subset (k of n bits, -subset-k), matching (permutations of n), tree (spanning trees of the complete graph on n nodes) (default: decided by -solver, or complete)")
	fs.IntVar(&s.SubsetK, "subset-k", 0, "-structure subset: how many of the n bits are on")
	fs.IntVar(&s.Parts, "subset-parts", 0, "-structure subset: that many independent k-of-n subsets in the latent (the I-MLE paper's discrete VAE: -n 20 -subset-k 10 -subset-parts 20; −log p(x) is then importance-weighted with the exact k-subset proposal)")
	signs := fs.String("signs", "supermodular", "complete and grid structures: pair weights supermodular (≥ 0, graph cut) or general (any sign)")
	fs.StringVar(&s.Solver, "solver", "", "exact arg max solver (default: the structure's fastest; maxflow when neither flag is given)")
	fs.IntVar(&s.Samples, "samples", 1, "Gumbel-Max samples per test example for the reconstruction term")
	fs.IntVar(&s.ExactKL, "kl-exact", 500, "test examples for the exact Gibbs KL of pairwise encoders (2ⁿ states each; 0 to skip)")
	fs.IntVar(&s.NLLEvery, "nll-every", 0, "epochs between evaluations of the exact −log p(x) and Gibbs NELBO on the test set (all 2ⁿ codes, about 12 s for n = 15 on 10,000 images; 0: last epoch only); the best-validation epoch is always evaluated")
	fs.IntVar(&s.IWSamples, "iw-samples", 1000, "importance samples per test image for −log p(x) when 2ⁿ is too many to enumerate (n > 20; last epoch only; 0: skip)")
	ftilde := fs.String("ftilde", "lowdim", "direct: the loss term of the perturbed arg max z*(ε): lowdim (f̃, the paper's low-dimensional approximation, one latent changed at a time around z*) or exact (f itself over all K^N ≤ 2¹⁶ codes, each decoded every step: the estimator direct-exact)")
	resume := fs.Bool("resume", false, "continue from OUT/checkpoint.bin up to -epochs")
	if err := experiment.Parse(fs, args); err != nil {
		return err
	}
	if s.Samples < 1 {
		return experiment.Usage(fmt.Errorf("-samples %d: want ≥ 1", s.Samples))
	}
	switch *ftilde {
	case "lowdim":
	case "exact": // n ≤ 16 is checked with the estimator's declaration
		if s.Estimator != "direct" {
			return experiment.Usage(fmt.Errorf("-ftilde exact applies to -estimator direct, not %s", s.Estimator))
		}
		s.Estimator = "direct-exact"
	default:
		return experiment.Usage(fmt.Errorf("-ftilde %q: want lowdim or exact", *ftilde))
	}
	if err := experiment.ResolveStructure(s, *structure, *signs); err != nil {
		return experiment.Usage(err)
	}
	if s.Out == "" {
		s.Out = fmt.Sprintf("results/structured-%s-%s", s.Solver, s.Estimator)
	}
	if (s.Structure == "supermodular" || s.Structure == "general" || strings.HasPrefix(s.Structure, "grid-")) && s.N > 20 && s.ExactKL > 0 {
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
