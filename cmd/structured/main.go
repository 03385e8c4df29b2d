// Command structured trains VAEs with n discrete latents (default 15
// bits) and a structured decoder N·K → FC(300) → ReLU → FC(784) — the
// paper's Section 4.1 and Figure 3. -structure picks the encoder's latent
// structure from the structure table (-help lists it: independent,
// complete, grid, chain, subset, matching, tree); the default, complete
// supermodular, makes go run ./cmd/structured --solver=maxflow the
// paper's main job on Fashion-MNIST. -solver picks an exact solver among
// those that apply (default: the structure's fastest); -estimator any
// estimator whose declared needs the structure meets (direct and
// direct-exact, imle and perturbed take any structure; gsm, arm, disarm,
// reinforce, rebar and relax independent latents; imle-sog and st-topk
// k-subsets). A flag the chosen structure or estimator does not read is
// refused, not ignored.
//
// Constrained structures (subset, matching, tree) have a uniform prior
// over their feasible codes, which the exact −log p(x) and the Gibbs
// NELBO use; codes too many to enumerate get an importance-weighted
// −log p(x). Before the first epoch it estimates what an epoch and the
// final evaluation cost, prints it when long and refuses beyond an hour
// unless -allow-slow. cmd/structgrid runs the structure × estimator grid.
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
	cli.Seed(fs, &s.Seed)
	experiment.EstimatorFlags(fs, s)
	experiment.LatentFlags(fs, s, 15, 2)
	experiment.StructureFlags(fs, s)
	experiment.EvalFlags(fs, s)
	experiment.SlowFlag(fs, &s.AllowSlow)
	cli.RunOut(fs, &s.Out, "")
	cli.Resume(fs, &resume)
	if err := cli.Parse(fs, args); err != nil {
		return nil, false, err
	}
	if b, err = experiment.Check(s, cli.Given(fs)); err != nil {
		return nil, false, cli.Usage(err)
	}
	if b.Pairwise() && s.N > 20 && s.ExactKL > 0 {
		return nil, false, cli.Usagef("-kl-exact enumerates 2ⁿ states: use -kl-exact=0 with -n %d", s.N)
	}
	if s.Out == "" {
		s.Out = fmt.Sprintf("results/structured-%s-%s", s.Solver, s.Estimator)
	}
	if resume {
		if err := experiment.CheckResume(s); err != nil {
			return nil, false, cli.Usagef("-resume: %w", err)
		}
	} else if err := experiment.CheckNew(s); err != nil {
		return nil, false, cli.Usage(err)
	}
	return b, resume, nil
}
