package experiment

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"

	"github.com/argmaxvae/argmaxvae/dataset"
	"github.com/argmaxvae/argmaxvae/nn"
	"github.com/argmaxvae/argmaxvae/train"
)

// Flags registers the flags every training command shares.
func Flags(fs *flag.FlagSet, s *Spec) {
	fs.StringVar(&s.Data, "data", s.Data, "data set: "+strings.Join(dataset.Names(), ", "))
	fs.StringVar(&s.DataDir, "data-dir", "", "directory of the data files (default: the data set's own default; see package dataset)")
	fs.BoolVar(&s.Dynamic, "dynamic", false, "dynamic binarization: resample the training pixels from their gray levels every epoch")
	fs.StringVar(&s.Estimator, "estimator", s.Estimator, "gradient estimator: "+strings.Join(Estimators, ", "))
	fs.IntVar(&s.Epochs, "epochs", s.Epochs, "epochs to train (with -resume: the total)")
	fs.IntVar(&s.Batch, "batch", 100, "minibatch size")
	fs.Float64Var(&s.LR, "lr", 1e-3, "Adam learning rate")
	fs.Uint64Var(&s.Seed, "seed", 1, "random seed: initialization, shuffling, noise")
	fs.Float64Var(&s.Eps0, "eps0", 1, "starting temperature: ε for direct, τ for gsm")
	fs.Float64Var(&s.EpsMin, "eps-min", s.EpsMin, "temperature floor")
	fs.Float64Var(&s.Anneal, "anneal", 1e-5, "annealing rate r: temperature = max(eps0·exp(−r·t), eps-min)")
	fs.IntVar(&s.Every, "anneal-every", 0, "iterations between temperature updates (default 500 for direct, 1000 for gsm)")
	fs.StringVar(&s.DirectKL, "direct-kl", "folded", "direct: how the encoder sees the KL term: folded (into the perturbation, the true ELBO's fixed point), none (the reference implementation: ignored), analytic (its gradient added)")
	fs.Func("kl-grad", "deprecated: true means -direct-kl analytic, false -direct-kl none", func(v string) error {
		switch v {
		case "true", "1":
			s.klGradAlias = "analytic"
		case "false", "0":
			s.klGradAlias = "none"
		default:
			return fmt.Errorf("want true or false, got %q", v)
		}
		return nil
	})
	fs.BoolVar(&s.Relaxed, "relaxed", false, "gsm: feed the relaxed sample to the decoder instead of straight-through")
	fs.IntVar(&s.Threads, "threads", runtime.NumCPU(), "BLAS threads and solver workers (0: all CPUs; config.json records the number used)")
	fs.IntVar(&s.Limit, "limit", 0, "use only the first N training images (0: all)")
	fs.IntVar(&s.Hidden, "hidden", 300, "hidden units of encoder and decoder")
	fs.StringVar(&s.Out, "out", s.Out, "output directory")
}

// Parse parses args into fs and rejects stray arguments; it returns an
// error naming the problem.
func Parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return Usage(err)
	}
	if fs.NArg() > 0 {
		return Usage(fmt.Errorf("unexpected arguments %q (flags go before arguments, as -name=value)", fs.Args()))
	}
	return nil
}

// applyAliases resolves the deprecated -kl-grad into DirectKL, refusing a
// contradiction with an explicit -direct-kl.
func (s *Spec) applyAliases() error {
	if s.klGradAlias == "" {
		return nil
	}
	if s.DirectKL != "folded" && s.DirectKL != "" && s.DirectKL != s.klGradAlias {
		return fmt.Errorf("-kl-grad asks for -direct-kl %s but -direct-kl %s was given", s.klGradAlias, s.DirectKL)
	}
	s.DirectKL, s.klGradAlias = s.klGradAlias, ""
	return nil
}

// Prepare applies the spec's thread count and annealing default.
func Prepare(s *Spec) {
	if s.Every <= 0 {
		s.Every = 500
		if est, err := NewEstimator(s); err == nil && est.Needs().AnnealEvery > 0 {
			s.Every = est.Needs().AnnealEvery
		}
	}
	if s.Threads == 0 {
		s.Threads = runtime.NumCPU()
	}
	if s.Threads > 0 {
		nn.SetThreads(s.Threads)
	}
}

// Interruptible returns a context cancelled by Ctrl-C (SIGINT) or SIGTERM:
// both stop a run after the current minibatch, dropping the epoch in
// progress, with the summary, plots and pictures written.
func Interruptible() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

// UsageError marks an error in the command line (a bad flag value or
// combination), as opposed to a failure while running.
type UsageError struct{ Err error }

func (u UsageError) Error() string { return u.Err.Error() }
func (u UsageError) Unwrap() error { return u.Err }

// Usage wraps a non-nil err as a [UsageError].
func Usage(err error) error {
	if err == nil {
		return nil
	}
	return UsageError{err}
}

// Exit prints err for a command and exits: status 2 for usage errors, 130
// for an interrupt, 1 otherwise. A nil err returns.
func Exit(cmd string, err error) {
	if err == nil {
		return
	}
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	fmt.Fprintf(os.Stderr, "%s: %v\n", cmd, err)
	var u UsageError
	switch {
	case errors.As(err, &u):
		os.Exit(2)
	case errors.Is(err, context.Canceled):
		os.Exit(130)
	}
	os.Exit(1)
}

// Setup prepares a parsed spec (threads, annealing default), validates it,
// loads its data and builds its trainer. Flag problems come back as
// [UsageError]s.
func Setup(s *Spec) (*Data, *train.Trainer, error) {
	Prepare(s)
	if err := s.applyAliases(); err != nil {
		return nil, nil, Usage(err)
	}
	if err := s.Validate(); err != nil {
		return nil, nil, Usage(err)
	}
	data, err := LoadData(s.Data, s.DataDir, s.Dynamic, s.Seed, s.Limit)
	if err != nil {
		return nil, nil, err
	}
	if s.Batch > data.Train.Rows {
		return nil, nil, Usage(fmt.Errorf("-batch %d: larger than the %d training images", s.Batch, data.Train.Rows))
	}
	t, err := NewTrainer(s, data.Train.Cols)
	if err != nil {
		return nil, nil, Usage(err)
	}
	return data, t, nil
}

// SplitList splits a comma-separated flag value, dropping empty items.
func SplitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
