// Command validnll prints the validation −log p(x) of finished training
// runs of cmd/structured and cmd/structgrid, whose folders it reads from
// standard input, one a line; one CSV row per run folder:
// the folder, the epoch of the state evaluated, the kind (exact or
// importance-weighted), −log p(x), its standard error and the Gibbs NELBO
// (exact runs only). It is the structure grid's tuning criterion
// (scripts/grid-structures-tuned.sh): −log p(x) under the uniform prior is
// the decoder's alone, so unlike the one-sample NELBO, which samples with
// Gumbel-Max as direct and I-MLE train, it does not favour one
// estimator's noise over another's.
//
// The state is the last epoch's (checkpoint.bin): the tuning budget is a
// number of epochs, the same for every estimator. The codes are
// enumerated when train.Enumerable allows, otherwise −log p(x) is
// importance-weighted with -samples samples per image (seeded by -seed).
// The images are the run's own (its data set, binarization and seed);
// -split test evaluates the test images instead, which for an exact run
// reproduces the last row of its metrics.csv (the package test checks).
//
//	ls -d results/structures-tuned/tune/*/* | go run ./scripts/validnll -samples 10
package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/argmaxvae/argmaxvae/internal/cli"
	"github.com/argmaxvae/argmaxvae/internal/experiment"
	"github.com/argmaxvae/argmaxvae/internal/runfolder"
	"github.com/argmaxvae/argmaxvae/nn"
)

func main() { cli.Main("validnll", run) }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runFrom(ctx, args, os.Stdin, stdout, stderr)
}

func runFrom(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("validnll", stderr)
	var samples, threads int
	var seed uint64
	var split string
	cli.IntIn(fs, &samples, "samples", 10, 1, 1<<20, "", "importance samples per validation image when the codes are too many to enumerate")
	fs.Uint64Var(&seed, "seed", 1, "seed of the importance sampling")
	fs.StringVar(&split, "split", "valid", "the images: valid, or test (to check a run's own recorded test −log p(x))")
	cli.Threads(fs, &threads)
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if split != "valid" && split != "test" {
		return cli.Usagef("-split %q: want valid or test", split)
	}
	threads = experiment.UseThreads(threads)
	w := csv.NewWriter(stdout)
	if err := w.Write([]string{"run", "epoch", "kind", split + "_nll", split + "_nll_stderr", split + "_gibbs_nelbo"}); err != nil {
		return err
	}
	data := map[string]nn.Mat{} // validation images by data set and seed
	failed := 0
	lines := bufio.NewScanner(stdin)
	for lines.Scan() {
		dir := strings.TrimSpace(lines.Text())
		if dir == "" {
			continue
		}
		row, err := evaluate(ctx, dir, split, samples, seed, threads, data)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil { // reported, and the other folders still evaluated
			fmt.Fprintf(stderr, "validnll: %s: %v\n", dir, err)
			failed++
			continue
		}
		if err := w.Write(row); err != nil {
			return err
		}
		w.Flush()
		if err := w.Error(); err != nil {
			return err
		}
	}
	if err := lines.Err(); err != nil {
		return err
	}
	if failed > 0 {
		return fmt.Errorf("%d run folders not evaluated (above)", failed)
	}
	return nil
}

// evaluate returns the CSV row of the run folder dir.
func evaluate(ctx context.Context, dir, split string, samples int, seed uint64, threads int, data map[string]nn.Mat) ([]string, error) {
	spec, err := experiment.ReadRun(dir, "validnll", "structured and structgrid")
	if err != nil {
		return nil, err
	}
	spec.Threads = threads
	built, err := experiment.Check(spec, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", experiment.ConfigFile, err)
	}
	c, err := runfolder.Load(dir)
	if err != nil {
		return nil, err
	}
	if c.Epochs == 0 {
		return nil, fmt.Errorf("no epoch trained yet")
	}
	key := fmt.Sprintf("%s/%s/%v/%d", spec.Data, spec.DataDir, spec.Dynamic, spec.Seed) // a dynamic binarization depends on the seed
	x, ok := data[key]
	if !ok {
		d, err := experiment.LoadData(spec.Data, spec.DataDir, spec.Dynamic, spec.Seed, 0) // the run's images
		if err != nil {
			return nil, err
		}
		x = d.Valid
		if split == "test" {
			x = d.Test
		}
		data[key] = x
	}
	v, err := built.VAEOf(c.State, filepath.Join(dir, experiment.CheckpointFile), x.Cols) // its last epoch
	if err != nil {
		return nil, err
	}
	measure, kind := experiment.LikelihoodOf(v, samples, func() *rand.Rand { return rand.New(rand.NewPCG(seed, 0x7a11d)) })
	lik, err := measure(ctx, v, x)
	if err != nil {
		return nil, err
	}
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', 4, 64) }
	return []string{dir, strconv.Itoa(c.Epochs), kind, f(lik.NLL), f(lik.NLLStdErr), f(lik.GibbsNELBO)}, nil
}
