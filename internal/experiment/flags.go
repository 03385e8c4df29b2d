package experiment

import (
	"flag"
	"fmt"
	"strings"

	"github.com/argmaxvae/argmaxvae/internal/cli"
	"github.com/argmaxvae/argmaxvae/nn"
	"github.com/argmaxvae/argmaxvae/train"
)

// The flag groups of the training commands. Each flag has one name and
// one default across commands; a command registers the groups it honours
// (the grids leave out the estimator group: their -estimators list sets
// it per cell).

// maxSize bounds the size flags (-n, -k, -hidden, -batch) while parsing;
// the memory check in [Check] bounds their products.
const maxSize = 1 << 24

// DataFlags registers -data (default def), -data-dir, -dynamic and -limit.
func DataFlags(fs *flag.FlagSet, s *Spec, def string) {
	cli.Data(fs, &s.Data, def)
	DataOptions(fs, s)
}

// DataOptions registers -data-dir, -dynamic and -limit: how any data set
// is read (the grids name theirs with -datasets).
func DataOptions(fs *flag.FlagSet, s *Spec) {
	cli.DataDir(fs, &s.DataDir)
	fs.BoolVar(&s.Dynamic, "dynamic", false, "dynamic binarization: resample the training pixels from their gray levels every epoch")
	cli.Limit(fs, &s.Limit)
}

// TrainingFlags registers the optimization and schedule flags: -epochs
// (default epochs), -batch, -lr, -eps0, -eps-min, -anneal, -anneal-every,
// -hidden and -threads. -seed is the command's: a grid of several seeds
// has -seeds instead.
func TrainingFlags(fs *flag.FlagSet, s *Spec, epochs int) {
	cli.Epochs(fs, &s.Epochs, epochs)
	cli.Batch(fs, &s.Batch, "minibatch size")
	cli.LR(fs, &s.LR)
	cli.FloatIn(fs, &s.Eps0, "eps0", 1, cli.Positive, "starting temperature: ε for direct, τ for gsm and st-topk")
	cli.FloatIn(fs, &s.EpsMin, "eps-min", 0.1, cli.Positive, "temperature floor (when not given and -eps0 is lower: -eps0)")
	s.FloorDefault = true
	f := fs.Lookup("eps-min")
	f.Value = &floorFlag{f.Value, &s.FloorDefault}
	cli.FloatIn(fs, &s.Anneal, "anneal", 1e-5, cli.NonNegative, "annealing rate r: temperature = max(eps0·exp(−r·t), eps-min)")
	cli.IntIn(fs, &s.Every, "anneal-every", 0, 0, 1<<30, "", "iterations between temperature updates (0: the estimator's default, 500 for direct, 1000 for gsm)")
	HiddenFlag(fs, &s.Hidden)
	cli.Threads(fs, &s.Threads)
}

// HiddenFlag registers -hidden (default 300).
func HiddenFlag(fs *flag.FlagSet, p *int) {
	cli.IntIn(fs, p, "hidden", 300, 1, maxSize, "", "hidden units of encoder and decoder")
}

// EstimatorFlags registers -estimator, -direct-kl and -relaxed.
func EstimatorFlags(fs *flag.FlagSet, s *Spec) {
	fs.StringVar(&s.Estimator, "estimator", "direct", "gradient estimator: "+strings.Join(Estimators, ", "))
	fs.StringVar(&s.DirectKL, "direct-kl", "folded", "direct estimators: how the encoder sees the KL term: folded (into the perturbation, the true ELBO's fixed point), none (the reference implementation: ignored), analytic (its gradient added)")
	RelaxedFlag(fs, s)
	KnobFlags(fs, s)
}

// KnobFlags registers the knobs of the estimators beyond the temperature:
// -lambda (I-MLE's λ) and -solves (the perturbed optimizer's M). For a
// grid they apply to the cells whose estimator reads them.
func KnobFlags(fs *flag.FlagSet, s *Spec) {
	cli.FloatIn(fs, &s.Lambda, "lambda", 0, cli.Positive, "imle, imle-sog: λ, the step of I-MLE's target solve (default 10)")
	cli.IntIn(fs, &s.Solves, "solves", 0, 2, 1<<16, "its baseline needs two", "perturbed: M, the perturbed solves per example a step (default 10)")
}

// RelaxedFlag registers -relaxed alone, for the grids, whose estimator
// list may hold gsm.
func RelaxedFlag(fs *flag.FlagSet, s *Spec) {
	fs.BoolVar(&s.Relaxed, "relaxed", false, "gsm: feed the relaxed sample to the decoder instead of straight-through")
}

// LatentFlags registers -n (default n) and -k, the number of latent
// variables and their states.
func LatentFlags(fs *flag.FlagSet, s *Spec, n, k int) {
	NFlag(fs, &s.N, n)
	StatesFlag(fs, &s.K, k, "states per latent variable")
}

// NFlag registers -n, the number of latent variables (default def).
func NFlag(fs *flag.FlagSet, p *int, def int) {
	cli.IntIn(fs, p, "n", def, 1, maxSize, "", "number of latent variables")
}

// StatesFlag registers -k, the states of a variable (default def).
func StatesFlag(fs *flag.FlagSet, p *int, def int, usage string) {
	cli.IntIn(fs, p, "k", def, 2, maxSize, "", usage)
}

// StructureFlags registers -structure (default complete: the main job),
// -signs, -subset-k, -subset-parts and -solver.
func StructureFlags(fs *flag.FlagSet, s *Spec) {
	fs.StringVar(&s.Structure, "structure", "complete", StructureHelp())
	fs.StringVar(&s.Signs, "signs", "supermodular", "complete and grid: pair weights supermodular (≥ 0 by softplus, graph cut) or general (any sign)")
	SubsetFlags(fs, &s.SubsetK, &s.Parts, 0, 0)
	fs.StringVar(&s.Solver, "solver", "", "exact arg max solver among those that apply to the structure (default: its fastest)")
}

// SubsetFlags registers -subset-k and -subset-parts (defaults k, parts).
func SubsetFlags(fs *flag.FlagSet, k, parts *int, defK, defParts int) {
	cli.IntIn(fs, k, "subset-k", defK, 0, maxSize, "", "-structure subset: how many of the n bits are on (1 ≤ k < n)")
	cli.IntIn(fs, parts, "subset-parts", defParts, 0, maxSize, "", "-structure subset: that many independent k-of-n subsets in the latent (0 or 1: one; -n 20 -subset-k 10 -subset-parts 20 is the I-MLE paper's discrete VAE)")
}

// EvalFlags registers the structured evaluation flags: -samples,
// -kl-exact, -nll-every and -iw-samples.
func EvalFlags(fs *flag.FlagSet, s *Spec) {
	cli.IntIn(fs, &s.Samples, "samples", 1, 1, maxSize, "", "Gumbel-Max samples per test example for the reconstruction term")
	cli.IntIn(fs, &s.ExactKL, "kl-exact", 500, 0, maxSize, "", "complete and grid: test examples for the exact Gibbs KL (2ⁿ states each; 0 to skip)")
	cli.IntIn(fs, &s.NLLEvery, "nll-every", 0, 0, 1<<30, "", "epochs between evaluations of the exact −log p(x) and Gibbs NELBO on the test set (all codes, about 12 s for 2¹⁵ codes on 10,000 images; 0: last epoch only); the best-validation epoch is always evaluated")
	IWFlag(fs, &s.IWSamples, 1000)
}

// IWFlag registers -iw-samples (default def).
func IWFlag(fs *flag.FlagSet, p *int, def int) {
	cli.IntIn(fs, p, "iw-samples", def, 0, maxSize, "", "importance samples per test image for −log p(x) when the codes are too many to enumerate (last epoch only; 0: skip)")
}

// CheckGridTemperature refuses a grid's temperature flag (-eps0, -eps-min,
// -anneal, -anneal-every) given on the command line when no cell's
// estimator has a temperature: the grid would ignore it.
func CheckGridTemperature(given func(string) bool, cells []*Built) error {
	for _, b := range cells {
		if est, err := train.NewEstimator(b.Spec.Estimator, b.estimator); err != nil || est.Needs().Temperature != "" {
			return nil
		}
	}
	for _, f := range []string{"eps0", "eps-min", "anneal", "anneal-every"} {
		if given(f) {
			return fmt.Errorf("-%s: no estimator of the grid has a temperature", f)
		}
	}
	return nil
}

// SlowFlag registers -allow-slow (Spec.AllowSlow).
func SlowFlag(fs *flag.FlagSet, p *bool) {
	fs.BoolVar(p, "allow-slow", false, "run even when the cost printed before the first epoch is beyond the limit")
}

// UseThreads sets the process's thread count (nn.SetThreads) from a
// -threads value, 0 meaning all CPUs, and returns it. Commands call it once.
func UseThreads(n int) int {
	n = cli.ResolveThreads(n)
	nn.SetThreads(n)
	return n
}

// floorFlag is -eps-min's flag.Value: setting it clears *isDefault.
type floorFlag struct {
	flag.Value
	isDefault *bool
}

func (f *floorFlag) Set(v string) error {
	*f.isDefault = false
	return f.Value.Set(v)
}

// String is the wrapped value's; "" for the zero floorFlag (the flag
// package's test for a zero default).
func (f *floorFlag) String() string {
	if f == nil || f.Value == nil {
		return ""
	}
	return f.Value.String()
}
