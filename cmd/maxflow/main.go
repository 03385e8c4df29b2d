// Command maxflow solves a DIMACS max-flow instance and prints the flow
// value with the parse and solve times.
//
// Usage:
//
//	maxflow -in FILE.max [-backend bk|pbk|ibfs|yourbasic] [-threads P] [-scale S] [-cut OUT]
//	maxflow -gen WxH [-seed N] -out FILE.max
//
// -in - reads standard input. -backend picks the Boykov–Kolmogorov solver
// (bk, default), its parallel version by bottom-up merging of blocks
// (pbk, on -threads goroutines, default all CPUs; serial BK below 2¹⁶
// nodes), incremental breadth-first search (ibfs; see package maxflow) or
// github.com/yourbasic/graph's Edmonds–Karp (yourbasic, slow; capacities
// are multiplied by -scale and rounded to integers).
// -gen writes the W×H image-segmentation grid of maxflow.SegmentationGrid
// (seed -seed) as DIMACS to -out (- for standard output) instead of
// solving, for benchmarks against other max-flow programs.
// -cut writes the source side of the minimal minimum cut, one 1-based
// DIMACS node id per line. The flow is printed exactly, integers below
// 10¹⁵ in full and other values in the shortest form that reads back to
// the same float64 (1e+308). Errors name nodes by their 1-based DIMACS ids.
// A flag that does not apply (-scale without yourbasic, -threads without
// pbk, -cut with -gen, -seed without it) is refused, not ignored.
// Output files are written atomically. The first SIGINT or SIGTERM ends
// the command at once (status 130): it has nothing to save.
// Exit status: 2 for bad flags, 1 for unreadable or invalid input and
// write errors, 130 when interrupted, 0 otherwise.
package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/argmaxvae/argmaxvae/internal/cli"
	"github.com/argmaxvae/argmaxvae/internal/runfolder"
	"github.com/argmaxvae/argmaxvae/maxflow"
)

func main() {
	cli.Main("maxflow", func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
		return untilCancelled(ctx, func() error { return solve(args, os.Stdin, stdout, stderr) })
	})
}

// untilCancelled runs work and returns its error, or ctx's as soon as ctx
// is cancelled: the command has nothing to save, and neither reading nor
// one solve looks at a context, so the first Ctrl-C ends it at once. A
// file being written is finished first (see [writeOutput]); none is
// started afterwards.
func untilCancelled(ctx context.Context, work func() error) error {
	done := make(chan error, 1)
	go func() { done <- work() }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		outputs.Lock()
		outputs.closed = true
		outputs.Unlock()
		return ctx.Err()
	}
}

// outputs orders the command's file writes with its interruption.
var outputs struct {
	sync.Mutex
	closed bool
}

// writeOutput writes b to path atomically, in a folder that exists, unless
// the command has been interrupted: then it writes nothing.
func writeOutput(path string, b []byte) error {
	outputs.Lock()
	defer outputs.Unlock()
	if outputs.closed {
		return context.Canceled
	}
	// The folder must exist: an output file is not a run folder to make.
	if _, err := os.Stat(filepath.Dir(path)); err != nil {
		return err
	}
	return runfolder.WriteFile(path, b)
}

// run is the whole command, with its arguments and streams passed in; it
// returns the exit status (see cli.Status).
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return cli.Report("maxflow", solve(args, stdin, stdout, stderr), stderr)
}

// inputError is an error about the input named name. Its message drops the
// "maxflow: " that package maxflow's errors start with, since the command
// prints its own.
type inputError struct {
	name string
	err  error
}

func (e *inputError) Error() string {
	return e.name + ": " + strings.TrimPrefix(e.err.Error(), "maxflow: ")
}

func (e *inputError) Unwrap() error { return e.err }

// formatFlow prints a flow value exactly and briefly: integers below 10¹⁵
// in full, anything else in the shortest form that reads back to the same
// float64, with an exponent when that is shorter (1e+308, not 309 digits).
func formatFlow(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

func solve(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("maxflow", stderr)
	inPath := fs.String("in", "", "DIMACS max-flow file (- for standard input)")
	backend := fs.String("backend", "bk", "solver: bk (Boykov–Kolmogorov), pbk (parallel BK), ibfs (incremental breadth-first search) or yourbasic (Edmonds–Karp)")
	var threads int
	cli.Threads(fs, &threads)
	var scale float64
	cli.FloatIn(fs, &scale, "scale", 1, cli.Range{Lo: 0, Hi: 1e300, OpenLo: true}, "yourbasic only: capacity multiplier before rounding to integers")
	cutPath := fs.String("cut", "", "write the source-side node ids (1-based) to this file")
	gen := fs.String("gen", "", "write the WxH segmentation grid as DIMACS to -out instead of solving")
	var seed uint64
	var outPath string
	cli.Seed(fs, &seed)
	fs.StringVar(&outPath, "out", "", "-gen only: output file (- for standard output)")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	usage := cli.Usagef
	// A flag that does not apply to what is asked is refused, not ignored.
	for _, r := range []struct {
		applies bool
		flags   []string
		what    string
	}{
		{*gen != "", []string{"seed", "out"}, "only with -gen"},
		{*gen == "", []string{"in", "backend", "threads", "scale", "cut"}, "only when solving, not with -gen"},
		{*backend == "yourbasic", []string{"scale"}, "only to -backend yourbasic"},
		{*backend == "pbk", []string{"threads"}, "only to -backend pbk"},
	} {
		for _, f := range r.flags {
			if !r.applies && cli.IsSet(fs, f) {
				return usage("-%s applies %s", f, r.what)
			}
		}
	}
	if *gen != "" {
		var w, h int
		if n, err := fmt.Sscanf(*gen, "%dx%d", &w, &h); err != nil || n != 2 || w < 1 || h < 1 || w > 1<<14 || h > 1<<14 ||
			fmt.Sprintf("%dx%d", w, h) != *gen {
			return usage("-gen wants WxH with 1 ≤ W, H ≤ 16384, got %q", *gen)
		}
		if outPath == "" {
			return usage("-gen needs -out FILE (or -out -)")
		}
		return writeGrid(outPath, stdout, maxflow.SegmentationGrid(seed, w, h))
	}
	if *inPath == "" {
		return usage("missing -in FILE (or -in - for standard input)")
	}
	switch *backend {
	case "bk", "ibfs", "pbk", "yourbasic":
	default:
		return usage("unknown -backend %q (want bk, pbk, ibfs or yourbasic)", *backend)
	}

	r := stdin
	name := "standard input"
	if *inPath != "-" {
		f, err := os.Open(*inPath)
		if err != nil {
			return err
		}
		defer f.Close()
		r, name = f, *inPath
	}
	t0 := time.Now()
	in, err := maxflow.ReadDIMACS(r) // it buffers its input itself
	if err != nil {
		return &inputError{name, err}
	}
	parse := time.Since(t0)
	var g maxflow.MinCut = &maxflow.YourBasic{Scale: scale}
	switch *backend {
	case "bk":
		g = maxflow.New(in.Nodes, len(in.Arcs))
	case "ibfs":
		g = maxflow.NewWith(maxflow.IBFS, in.Nodes, len(in.Arcs))
	case "pbk":
		pg := maxflow.NewWith(maxflow.ParallelBK, in.Nodes, len(in.Arcs))
		pg.SetWorkers(threads)
		g = pg
	}
	t0 = time.Now()
	flow, err := in.Solve(g)
	if err != nil {
		return &inputError{name, err}
	}
	solveTime := time.Since(t0)
	fmt.Fprintf(stdout, "flow %s\nnodes %d arcs %d\nparse %v\nsolve %v (%s)\n", formatFlow(flow), in.Nodes, len(in.Arcs), parse, solveTime, *backend)
	if *cutPath != "" {
		return writeCut(*cutPath, in.SourceSet(g))
	}
	return nil
}

// writeCut writes one id per line.
func writeCut(path string, ids []int) error {
	var b bytes.Buffer
	for _, id := range ids {
		fmt.Fprintln(&b, id)
	}
	return writeOutput(path, b.Bytes())
}

// writeGrid writes in as DIMACS to path, or to stdout for "-".
func writeGrid(path string, stdout io.Writer, in *maxflow.Instance) error {
	if path == "-" {
		return in.WriteDIMACS(stdout)
	}
	var b bytes.Buffer
	if err := in.WriteDIMACS(&b); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return writeOutput(path, b.Bytes())
}
