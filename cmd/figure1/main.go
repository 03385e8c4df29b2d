// Command figure1 measures the paper's Figure 1: the bias and spread of
// the direct estimator's encoder gradient as ε varies, against
// Gumbel-Softmax as τ varies, for one categorical latent of K states at
// parameters trained with the exact (unbiased) gradient.
//
//	go run ./cmd/figure1 -k 10 -reps 10000
//
// It trains a categorical VAE (encoder x → FC(hidden) → ReLU → FC(K),
// matching decoder) with the exact estimator for -train-epochs epochs into
// OUT/train (a finished run there is reused), or takes the trainer state
// in -checkpoint, and freezes the best-validation parameters. On the first
// -examples test images it computes the exact encoder gradients of the
// minibatch's mean negative ELBO and of its reconstruction part
// −E_q log p(x|z), both sums over the K states. Then, for every ε in -eps
// and τ in -tau, it runs -reps steps of each estimator on that minibatch
// with fresh Gumbel noise and accumulates the per-parameter mean and
// variance of the encoder gradient (Welford, float64):
//
//   - direct-none: direct with the KL ignored (the reference
//     implementation), compared with the reconstruction gradient;
//   - direct-folded: direct with the KL folded into the perturbation (the
//     default), compared with the whole negative ELBO's gradient; only
//     ε ≤ 1;
//   - gsm, gsm-relaxed: Gumbel-Softmax straight-through and relaxed,
//     whose exact KL gradient is subtracted, compared with the
//     reconstruction gradient.
//
// For each estimator and temperature it reports the bias
// ‖mean − g‖/‖g‖, the mean per-parameter standard deviation, the cosine
// between mean and g, the bias of the exact expectation where it has a
// closed form (direct: E z*(ε) is softmax(h' + ε·f)), and the Monte-Carlo
// noise floor of the measured bias, √(Σ var/reps)/‖g‖ (what an unbiased
// estimator would show). It writes OUT/figure1.csv, OUT/figure1.md and
// OUT/figure1.png (bias and standard deviation against ε or τ, log axes),
// with a progress line per setting on stderr. Every setting draws its
// noise from a PCG seeded by -seed and the setting, so results do not
// depend on which other settings run.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/argmaxvae/argmaxvae/dataset"
	"github.com/argmaxvae/argmaxvae/internal/cli"
	"github.com/argmaxvae/argmaxvae/internal/experiment"
	"github.com/argmaxvae/argmaxvae/train"
)

func main() { cli.Main("figure1", run) }

// Default grids: ε four to a decade from 0.01 (with 0.1 and 1, the
// schedule's floor and the folded form's ceiling) up to 5; τ six to a
// decade from 0.1 to 4.64.
var (
	defaultEps = []float64{0.01, 0.0178, 0.0316, 0.0562, 0.1, 0.178, 0.316, 0.562, 1, 1.78, 3.16, 5}
	defaultTau = []float64{0.1, 0.147, 0.215, 0.316, 0.464, 0.681, 1, 1.47, 2.15, 3.16, 4.64}
)

// trainBatch is the minibatch size of the exact-gradient training run.
const trainBatch = 100

// options are the command's flags.
type options struct {
	allowSlow           bool
	data, dataDir       string
	k, hidden, examples int
	reps                int
	trainEpochs         int
	limit               int
	threads             int
	seed                uint64
	checkpoint          string
	out                 string
	eps, tau            []float64
	args                []string // the command line, for figure1.md
}

// run is main without the exit, for tests.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parse(args, stderr)
	if err != nil {
		return err
	}
	return measure(ctx, o, stdout, stderr)
}

// parse reads and validates the flags; every problem is a usage error
// naming its flag, found before any data is read.
func parse(args []string, stderr io.Writer) (*options, error) {
	o := &options{args: args}
	fs := cli.NewFlagSet("figure1", stderr)
	cli.Data(fs, &o.data, "mnist")
	cli.DataDir(fs, &o.dataDir)
	experiment.StatesFlag(fs, &o.k, 10, "states of the categorical latent")
	experiment.HiddenFlag(fs, &o.hidden)
	cli.IntIn(fs, &o.examples, "examples", 100, 1, 1<<24, "", "test images in the fixed minibatch the gradients are measured on (the first ones)")
	cli.IntIn(fs, &o.reps, "reps", 10000, 2, 1<<30, "a variance needs two samples", "estimator steps (fresh noise each) per estimator and temperature")
	cli.IntIn(fs, &o.trainEpochs, "train-epochs", 10, 1, 1<<30, "", "epochs of exact-gradient training (not with -checkpoint)")
	cli.Limit(fs, &o.limit)
	cli.Threads(fs, &o.threads)
	cli.Seed(fs, &o.seed)
	experiment.SlowFlag(fs, &o.allowSlow)
	fs.StringVar(&o.checkpoint, "checkpoint", "", "trainer state to measure at (a best.bin or checkpoint.bin of an exact categorical run with the same -k and -hidden) instead of training")
	cli.GridOut(fs, &o.out, "results/figure1")
	eps := cli.Floats(fs, "eps", defaultEps, cli.Positive, "comma-separated ε values for direct (the folded form runs those ≤ 1)")
	tau := cli.Floats(fs, "tau", defaultTau, cli.Positive, "comma-separated τ values for Gumbel-Softmax")
	if err := cli.Parse(fs, args); err != nil {
		return nil, err
	}
	o.eps, o.tau = sorted(*eps), sorted(*tau)
	if o.checkpoint != "" && cli.IsSet(fs, "train-epochs") {
		return nil, cli.Usagef("-train-epochs: nothing is trained with -checkpoint")
	}
	return o, cli.Usage(o.validate())
}

// validate checks the flags that depend on each other and the files they
// name.
func (o *options) validate() error {
	switch {
	case o.limit > 0 && o.limit < trainBatch:
		return fmt.Errorf("-limit %d: want 0 or ≥ %d, the training minibatch", o.limit, trainBatch)
	case o.out == "":
		return errors.New("-out: want a directory")
	}
	if _, ok := dataset.Lookup(o.data); !ok {
		return fmt.Errorf("-data %q: unknown data set (known: %s)", o.data, strings.Join(dataset.Names(), ", "))
	}
	if o.checkpoint != "" {
		if err := cli.CheckFile(o.checkpoint); err != nil {
			return fmt.Errorf("-checkpoint: %w; want a trainer state file (best.bin)", err)
		}
	}
	return nil
}

// sorted returns v sorted and without repeats.
func sorted(v []float64) []float64 {
	v = slices.Clone(v)
	slices.Sort(v)
	return slices.Compact(v)
}

// flagNames spells the flags of the spec's messages as figure1 has them
// (see cli.RenameFlags): its one latent has no -n, its estimator and
// solver are fixed.
var flagNames = map[string]string{"n": "", "structure": "structure", "solver": "solver", "estimator": "estimator",
	"direct-kl": "KL mode", "kl-exact": "exact-KL examples", "iw-samples": "importance samples", "batch": "batch"}

// spec is the exact-gradient training run the measurement starts from.
func (o *options) spec() *experiment.Spec {
	return &experiment.Spec{Command: "figure1", Data: o.data, DataDir: o.dataDir, N: 1, K: o.k, Hidden: o.hidden,
		Structure: "independent", Solver: "categorical", Estimator: "exact", Epochs: o.trainEpochs, Batch: trainBatch,
		LR: 1e-3, Seed: o.seed, Eps0: 1, EpsMin: 0.1, Anneal: 1e-5, Threads: o.threads, Limit: o.limit,
		Out: filepath.Join(o.out, "train"), AllowSlow: o.allowSlow}
}

// prepare trains (or reuses OUT/train, or reads -checkpoint) and returns
// the trainer at the best-validation parameters, the measured minibatch,
// and where the parameters came from.
func prepare(ctx context.Context, o *options, stderr io.Writer) (*train.Trainer, *experiment.Data, string, error) {
	s := o.spec()
	b, err := experiment.Check(s, nil)
	if err != nil {
		return nil, nil, "", cli.RenameFlags(cli.Usage(err), flagNames)
	}
	experiment.UseThreads(s.Threads)
	data, t, err := b.Setup(stderr)
	if cli.IsUsage(err) {
		return nil, nil, "", cli.RenameFlags(err, flagNames)
	}
	if err != nil {
		return nil, nil, "", err
	}
	if o.examples > data.Test.Rows {
		return nil, nil, "", cli.Usagef("-examples %d: larger than the %d test images", o.examples, data.Test.Rows)
	}
	from := o.checkpoint
	if from == "" {
		if _, done, err := experiment.Finished(s); err != nil {
			return nil, nil, "", err
		} else if done {
			fmt.Fprintf(stderr, "figure1: reusing the finished exact-gradient run in %s\n", s.Out)
		}
		_, err := experiment.RunOrReuse(ctx, b, data, func(t *train.Trainer) *experiment.Run {
			return experiment.CategoricalRun(s, data, t, stderr, true)
		})
		if err != nil {
			return nil, nil, "", fmt.Errorf("training: %w", err)
		}
		from = filepath.Join(s.Out, experiment.BestFile)
	}
	if err := experiment.LoadCheckpoint(t, from); err != nil {
		if o.checkpoint != "" {
			return nil, nil, "", cli.Usagef("-checkpoint %s: %w (an exact categorical run with this -k and -hidden)", o.checkpoint, err)
		}
		return nil, nil, "", err
	}
	return t, data, from, nil
}
