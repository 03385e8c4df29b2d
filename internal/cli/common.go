package cli

import (
	"flag"
	"fmt"
	"runtime"
	"strconv"
	"strings"

	"github.com/argmaxvae/argmaxvae/dataset"
)

// The flags several commands share, each registered by one function with
// one name, one default and one help text.

// Seed registers -seed (default 1).
func Seed(fs *flag.FlagSet, p *uint64) {
	fs.Uint64Var(p, "seed", 1, "random seed of everything drawn: initialization, data order, noise, generated instances (same seed and threads: same results)")
}

// Out registers -out, the folder the command writes, with the command's
// default (def "" lets the command choose one from the other flags). An
// empty -out is refused while parsing: it would write into the current
// folder, or, for the run folders, nowhere at all; so is "-", and a
// folder given that cannot be made or written ([CheckFolder], in [Parse]). (cmd/maxflow's -out
// names a file: the same idea, its own help.)
func Out(fs *flag.FlagSet, p *string, def string) {
	*p = def
	fs.Var(outFlag{p: p}, "out", "output folder")
}

// RunOut is [Out] for a command that trains one run in -out: a folder
// holding a grid's runs (a subfolder with a config.json) is refused too.
func RunOut(fs *flag.FlagSet, p *string, def string) {
	*p = def
	fs.Var(outFlag{p: p, kind: runFolder}, "out", "output folder (the run folder)")
}

// GridOut is [Out] for a grid, which trains each cell in a folder of its
// own under -out: a folder holding a run (a config.json or
// checkpoint.bin of its own) is refused too.
func GridOut(fs *flag.FlagSet, p *string, def string) {
	*p = def
	fs.Var(outFlag{p: p, kind: gridFolder}, "out", "output folder (one folder per cell inside)")
}

type outFlag struct {
	p    *string
	kind folderKind
}

// folderKind is what a command keeps in its -out.
type folderKind int

const (
	anyFolder  folderKind = iota
	runFolder             // one run's files
	gridFolder            // a folder per run
)

func (o outFlag) String() string {
	if o.p == nil {
		return ""
	}
	return *o.p
}

func (o outFlag) Set(s string) error {
	if strings.TrimSpace(s) == "" {
		return fmt.Errorf("want a folder")
	}
	if s == "-" {
		return fmt.Errorf("want a folder (the command writes files, not standard output)")
	}
	*o.p = s
	return nil
}

// MaxThreads bounds -threads. It is not the machine's CPU count: results
// depend on the thread count (the same seed and threads give the same
// run), so a run made on a larger machine must be repeatable, more slowly,
// on a smaller one.
const MaxThreads = 256

// Threads registers -threads: goroutines of the products, kernels and
// solvers, 0 (the default) for all CPUs; more than MaxThreads is refused
// while parsing.
func Threads(fs *flag.FlagSet, p *int) {
	IntIn(fs, p, "threads", 0, 0, MaxThreads, "this machine has "+strconv.Itoa(runtime.NumCPU())+" CPUs; more are allowed, to repeat a run made with more",
		"goroutines of the products, kernels and solvers (0: all CPUs; config.json records the number used)")
}

// ResolveThreads returns the thread count -threads n means: n, or all CPUs
// for 0.
func ResolveThreads(n int) int {
	if n <= 0 {
		return runtime.NumCPU()
	}
	return n
}

// Limit registers -limit (default 0: all training images).
func Limit(fs *flag.FlagSet, p *int) {
	IntIn(fs, p, "limit", 0, 0, 1<<31-1, "", "use only the first N training images (0: all)")
}

// Data registers -data, one data set, with the command's default.
func Data(fs *flag.FlagSet, p *string, def string) {
	fs.StringVar(p, "data", def, "data set: "+strings.Join(dataset.Names(), ", "))
}

// Datasets registers -datasets, a list of registered data sets, for the
// grids; valid, when not nil, narrows them (cmd/table2: those labelled
// with 10 classes).
func Datasets(fs *flag.FlagSet, def []string, valid func(string) error) *[]string {
	check := knownDataset
	if valid != nil {
		check = func(s string) error {
			if err := knownDataset(s); err != nil {
				return err
			}
			return valid(s)
		}
	}
	return Names(fs, "datasets", def, check, "comma-separated data sets: "+strings.Join(dataset.Names(), ", "))
}

func knownDataset(name string) error {
	if _, ok := dataset.Lookup(name); !ok {
		return fmt.Errorf("unknown data set (known: %s)", strings.Join(dataset.Names(), ", "))
	}
	return nil
}

// DataDir registers -data-dir.
func DataDir(fs *flag.FlagSet, p *string) {
	fs.StringVar(p, "data-dir", "", "directory of the data files (default: the data set's own; see package dataset)")
}

// Epochs registers -epochs with the command's default: at least 1.
func Epochs(fs *flag.FlagSet, p *int, def int) {
	IntIn(fs, p, "epochs", def, 1, 1<<30, "", "epochs to train (with -resume: the total)")
}

// MaxBatch bounds -batch while parsing; the commands check it against
// the training images and the memory once they know them.
const MaxBatch = 1 << 24

// Batch registers -batch, training images per step (default 100).
func Batch(fs *flag.FlagSet, p *int, usage string) {
	IntIn(fs, p, "batch", 100, 1, MaxBatch, "", usage)
}

// LR registers -lr, Adam's learning rate (default 1e-3), in (0, 1].
func LR(fs *flag.FlagSet, p *float64) {
	FloatIn(fs, p, "lr", 1e-3, Fraction, "Adam learning rate")
}

// Resume registers -resume.
func Resume(fs *flag.FlagSet, p *bool) {
	fs.BoolVar(p, "resume", false, "continue the run in -out from its last checkpoint, up to -epochs (which may be raised)")
}

// OnlyFinished registers a grid's -only-finished.
func OnlyFinished(fs *flag.FlagSet) *bool {
	return fs.Bool("only-finished", false, "train nothing: tabulate the cells already finished in -out (the others show as —)")
}
