// Command categorical trains a discrete VAE with N categorical latents of
// K states on binarized images (the paper's Section 5, Table 1 and
// Figure 2): encoder x → FC(300) → ReLU → FC(N·K), decoder N·K → FC(300) →
// ReLU → FC(784), Bernoulli likelihood.
//
//	go run ./cmd/categorical -data mnist -k 10 -estimator direct -epochs 50 -out results/mnist-k10-direct
//
// It writes OUT/metrics.csv (one row per epoch), OUT/config.json,
// OUT/checkpoint.bin (continue with -resume, score with -eval),
// OUT/summary.json, OUT/loss.png (test loss against epoch and wall clock)
// and OUT/prototypes.png (the decoder's mean image for every state of
// every latent: at most the first 64 latents and 100 states of each, or
// 500 states of a single latent).
// Ctrl-C stops after the current minibatch and saves everything so far.
package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"path/filepath"

	"github.com/argmaxvae/argmaxvae/internal/cli"
	"github.com/argmaxvae/argmaxvae/internal/experiment"
	"github.com/argmaxvae/argmaxvae/train"
)

func main() { cli.Main("categorical", run) }

// run is main without the exit, for tests.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	s := &experiment.Spec{Command: "categorical", Structure: "independent"}
	fs := cli.NewFlagSet("categorical", stderr)
	experiment.DataFlags(fs, s, "mnist")
	experiment.TrainingFlags(fs, s, 50)
	cli.Seed(fs, &s.Seed)
	experiment.SlowFlag(fs, &s.AllowSlow)
	experiment.EstimatorFlags(fs, s)
	experiment.LatentFlags(fs, s, 1, 10)
	cli.RunOut(fs, &s.Out, "results/categorical")
	var resume bool
	cli.Resume(fs, &resume)
	eval := fs.Bool("eval", false, "only score OUT/checkpoint.bin on the test set and print JSON")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if *eval && resume {
		return cli.Usagef("-eval scores the run in -out without training: leave -resume out")
	}
	s.Solver = "categorical"
	b, err := experiment.Check(s, cli.Given(fs))
	if err != nil {
		return cli.Usage(err)
	}
	switch {
	case *eval:
		if err := experiment.CheckRun(s); err != nil {
			return cli.Usagef("-eval: %w", err)
		}
	case resume:
		if err := experiment.CheckResume(s); err != nil {
			return cli.Usagef("-resume: %w", err)
		}
	default:
		if err := experiment.CheckNew(s); err != nil {
			return cli.Usage(err)
		}
	}
	experiment.UseThreads(s.Threads)
	data, t, err := b.Setup(stderr)
	if err != nil {
		return err
	}
	if *eval {
		return evaluate(ctx, t, data, s, stdout)
	}
	sum, err := experiment.CategoricalRun(s, data, t, stderr, true).Execute(ctx, resume)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s k=%d n=%d %s: best valid epoch %d, test loss %.2f (exact ELBO) at it; %.2f s/epoch; results in %s\n",
		s.Data, s.K, s.N, s.Estimator, sum.BestEpoch, sum.TestAtBest, sum.SecondsPerEpoch, s.Out)
	return nil
}
func evaluate(ctx context.Context, t *train.Trainer, data *experiment.Data, s *experiment.Spec, w io.Writer) error {
	if err := experiment.LoadCheckpoint(t, filepath.Join(s.Out, experiment.CheckpointFile)); err != nil {
		return err
	}
	e, err := t.Evaluate(ctx, data.Test, s.Seed+2, train.EvalOptions{Samples: 1})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "{\"epoch\": %d, \"test_loss\": %s, \"test_loss_1sample\": %s, \"test_kl\": %s}\n",
		t.Epoch(), num(experiment.CategoricalScore(e)), num(e.Sampled), num(e.KL))
	return nil
}

func num(v float64) string {
	if math.IsNaN(v) {
		return "null"
	}
	return fmt.Sprintf("%.4f", v)
}
