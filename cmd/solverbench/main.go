// Command solverbench times every arg max solver on the paper's structured
// problem (n = 15 binary latents, all 105 pairs) and on scaling runs, and
// the constrained structures' solvers at the experiments' sizes (a 10-of-20
// subset, a 6×6 matching, spanning trees of the complete graph on 8
// nodes), checks the exact solvers against enumeration where that is
// feasible, prints a table with the speed ratios the project targets, and
// writes DIR/solvers.csv.
//
//	go run ./cmd/solverbench -out results/solvers
//
// With -qpbo-crossover it times branch and bound against QPBO instead (the
// measurements behind Choose's thresholds), and with -qpbo-scaling it
// prints QPBO's scaling table (docs/results/qpbo-scaling.md).
package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/argmaxvae/argmaxvae/bench"
	"github.com/argmaxvae/argmaxvae/internal/cli"
	"github.com/argmaxvae/argmaxvae/internal/memory"
	"github.com/argmaxvae/argmaxvae/internal/runfolder"
	"github.com/argmaxvae/argmaxvae/maxflow"
	"github.com/argmaxvae/argmaxvae/qip"
)

type benchCase struct {
	solver, structure string
	newSolver         func() argmax.PairwiseSolver
	models            func(r *rand.Rand) []*argmax.Model
	rounds            int
	check             bool
}

func repeat(count int, f func(r *rand.Rand) *argmax.Model) func(r *rand.Rand) []*argmax.Model {
	return func(r *rand.Rand) []*argmax.Model {
		ms := make([]*argmax.Model, count)
		for i := range ms {
			ms[i] = f(r)
		}
		return ms
	}
}

func dense(count, n int, super bool) func(r *rand.Rand) []*argmax.Model {
	return repeat(count, func(r *rand.Rand) *argmax.Model { return bench.Dense(r, n, super) })
}

func cases(quick bool) []benchCase {
	graphcut := func() argmax.PairwiseSolver { return &argmax.GraphCut{} }
	yourbasic := func() argmax.PairwiseSolver { return &argmax.GraphCut{Backend: &maxflow.YourBasic{Scale: 1}} }
	yourbasicReal := func() argmax.PairwiseSolver { return &argmax.GraphCut{Backend: &maxflow.YourBasic{Scale: 1e6}} }
	bnb := func() argmax.PairwiseSolver { return &argmax.BranchAndBound{} }
	exh := func() argmax.PairwiseSolver { return &argmax.GrayCode{} }
	milp := func() argmax.PairwiseSolver { return qip.New() }
	cat := func() argmax.PairwiseSolver { return argmax.Categorical{} }
	intDense := func(count, n int, super bool) func(r *rand.Rand) []*argmax.Model {
		return repeat(count, func(r *rand.Rand) *argmax.Model { return bench.IntegerDense(r, n, super) })
	}
	cs := []benchCase{
		// The paper's size: n = 15, all 105 pairs.
		{"maxflow", "dense-supermodular", graphcut, dense(200, 15, true), 20, true},
		{"maxflow-yourbasic", "dense-supermodular-int", yourbasic, intDense(200, 15, true), 5, true},
		// Real weights through the integer backend: capacities scaled by
		// 1e6 and rounded, so only approximately exact (not checked).
		{"maxflow-yourbasic", "dense-supermodular", yourbasicReal, dense(200, 15, true), 5, false},
		{"maxflow", "dense-supermodular-int", graphcut, intDense(200, 15, true), 20, true},
		{"milp", "dense-supermodular", milp, dense(100, 15, true), 2, true},
		{"exhaustive", "dense-supermodular", exh, dense(50, 15, true), 2, false},
		{"bnb", "dense-supermodular", bnb, dense(200, 15, true), 5, true},
		{"exhaustive", "dense-general", exh, dense(50, 15, false), 2, false},
		{"bnb", "dense-general", bnb, dense(200, 15, false), 5, true},
		{"milp", "dense-general", milp, dense(100, 15, false), 2, true},
		{"independent", "independent", cat, repeat(200, func(r *rand.Rand) *argmax.Model { return bench.Dense(r, 15, true).WithoutEdges() }), 50, true},
		{"categorical", "categorical-k50", cat, repeat(200, func(r *rand.Rand) *argmax.Model {
			s := make([]float64, 50)
			for i := range s {
				s[i] = r.NormFloat64()
			}
			return argmax.NewCategorical(s)
		}), 50, false},
	}
	if quick {
		return cs
	}
	for _, n := range []int{50, 100, 200} {
		cs = append(cs, benchCase{"maxflow", "dense-supermodular", graphcut, dense(10, n, true), 3, false})
	}
	for _, s := range []int{64, 128, 256, 512} {
		count, rounds := 4, 3
		if s == 512 {
			count, rounds = 1, 3
		}
		cs = append(cs, benchCase{"maxflow", fmt.Sprintf("grid-%dx%d", s, s), graphcut,
			repeat(count, func(r *rand.Rand) *argmax.Model { return bench.Grid(r, s, s) }), rounds, false})
	}
	for _, n := range []int{20, 25, 30} {
		cs = append(cs, benchCase{"milp", "dense-general", milp, dense(10, n, false), 1, n <= 20})
		cs = append(cs, benchCase{"bnb", "dense-general", bnb, dense(10, n, false), 1, n <= 20})
	}
	for _, n := range []int{10, 14, 18, 22} {
		cs = append(cs, benchCase{"exhaustive", "dense-general", exh, dense(4, n, false), 1, false})
	}
	cs = append(cs, benchCase{"bnb", "sparse-deg3-general", bnb, repeat(10, func(r *rand.Rand) *argmax.Model { return bench.Sparse(r, 40, 3) }), 1, false})
	return cs
}

// structureCase is a row for a structure's own solver, an
// argmax.Maximizer over weight vectors: count random weight vectors
// (standard normal coordinates), each solved rounds times, all compared
// with ref first when ref is set.
type structureCase struct {
	solver, structure string
	s                 argmax.Structure
	n, edges          int // the table's n and edges columns
	count, rounds     int
	ref               func(w []float64, z []int) (float64, error)
}

// structureCases are the constrained structures at the experiments' sizes
// (issue 9), each checked against enumeration: Enumerate's 2²⁰ codes for
// the subset, 6⁶ for the matching, and the 8⁶ trees of the complete graph
// by their Prüfer sequences (2²⁸ codes are beyond Enumerate).
func structureCases() ([]structureCase, error) {
	subset, err := argmax.NewKSubset(20, 10)
	if err != nil {
		return nil, err
	}
	matching, err := argmax.NewMatching(6)
	if err != nil {
		return nil, err
	}
	tree, err := argmax.NewSpanningTree(8, argmax.CompleteGraph(8))
	if err != nil {
		return nil, err
	}
	return []structureCase{
		{"topk", "subset-10-of-20", subset, 20, 0, 4, 500, bench.Enumerate(subset)},
		{"hungarian", "matching-6x6", matching, 6, 0, 100, 20, bench.Enumerate(matching)},
		{"kruskal", "spanning-tree-complete-8", tree, 8, 28, 20, 100, bench.CompleteTreeEnumerate(8)},
	}, nil
}

func main() { cli.Main("solverbench", command) }

// command parses the flags and runs the table, or one of the QPBO tables.
func command(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("solverbench", stderr)
	var out string
	var seed uint64
	cli.Out(fs, &out, "results/solvers")
	cli.Seed(fs, &seed)
	quick := fs.Bool("quick", false, "only the n = 15 rows")
	qpboCross := fs.Bool("qpbo-crossover", false, "instead: time branch and bound against QPBO on general-sign models both can solve (Choose's thresholds)")
	qpboScale := fs.Bool("qpbo-scaling", false, "instead: QPBO scaling table on chains, grids and sparse graphs (markdown)")
	var count int
	cli.IntIn(fs, &count, "count", 5, 1, 1<<12, "", "-qpbo-crossover and -qpbo-scaling: models per row")
	sizes := cli.Ints(fs, "sizes", []int{100, 1000, 10000}, 2, 1<<40, "-qpbo-scaling: comma-separated numbers of variables")
	negs := cli.Floats(fs, "p", []float64{0.1, 0.5}, cli.Fraction, "-qpbo-scaling: fractions of negative pair weights")
	pairScale := cli.Floats(fs, "pair-scale", []float64{1}, cli.Positive, "-qpbo-scaling: pair weight scales (weights scale·|N(0,1)|, unaries N(0,1))")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if *qpboCross && *qpboScale {
		return cli.Usagef("-qpbo-crossover and -qpbo-scaling: choose one")
	}
	// A flag that does not apply to the table asked for is refused, not
	// ignored.
	qpbo := *qpboCross || *qpboScale
	for _, r := range []struct {
		applies bool
		flags   []string
		what    string
	}{
		{!qpbo, []string{"quick", "out"}, "only to the solver table, not with -qpbo-crossover or -qpbo-scaling"},
		{qpbo, []string{"count"}, "only with -qpbo-crossover or -qpbo-scaling"},
		{*qpboScale, []string{"sizes", "p", "pair-scale"}, "only with -qpbo-scaling"},
	} {
		for _, f := range r.flags {
			if !r.applies && cli.IsSet(fs, f) {
				return cli.Usagef("-%s applies %s", f, r.what)
			}
		}
	}
	if *qpboScale {
		for _, n := range *sizes {
			// count models of n variables and up to 4n pairs (sparse-deg4),
			// about 48 bytes a variable or pair with the solver's graph.
			if err := memory.Check(memory.Term{Bytes: 48 * 5 * float64(n) * float64(count), Flags: "-sizes, -count"}); err != nil {
				return cli.Usage(err)
			}
		}
	}
	switch {
	case *qpboCross:
		return runQPBOCrossover(ctx, stdout, seed, count)
	case *qpboScale:
		return runQPBOScaling(ctx, stdout, seed, count, *sizes, *negs, *pairScale)
	}
	return run(ctx, out, *quick, seed, stdout)
}

// run measures the table's rows; a cancelled ctx stops it before the next
// row (SIGINT, SIGTERM).
func run(ctx context.Context, out string, quick bool, seed uint64, w io.Writer) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	var results []bench.Result
	const row = "%-18s %-24s %7s %7s %12s %10s %8s\n"
	fmt.Fprintf(w, row, "solver", "structure", "n", "edges", "median", "allocs/op", "exact?")
	for i, c := range cases(quick) {
		if err := ctx.Err(); err != nil {
			return err
		}
		r := rand.New(rand.NewPCG(seed, uint64(i)))
		models := c.models(r)
		s := c.newSolver()
		if c.check {
			if err := bench.CheckExact(s, models); err != nil {
				return fmt.Errorf("%s on %s: not exact: %w", c.solver, c.structure, err)
			}
		}
		med, allocs, err := bench.Measure(s, models, c.rounds)
		if err != nil {
			return fmt.Errorf("%s on %s: %w", c.solver, c.structure, err)
		}
		res := bench.Result{Solver: c.solver, Structure: c.structure, N: models[0].N, Edges: len(models[0].Edges),
			MedianNs: med, AllocsPerOp: allocs, CheckedExact: c.check}
		results = append(results, res)
		fmt.Fprintf(w, row, res.Solver, res.Structure, strconv.Itoa(res.N), strconv.Itoa(res.Edges), bench.Duration(med), strconv.FormatFloat(allocs, 'f', 1, 64), strconv.FormatBool(res.CheckedExact))
	}
	if !quick {
		rs, err := runStructures(ctx, seed, w, row)
		if err != nil {
			return err
		}
		results = append(results, rs...)
	}
	fmt.Fprintln(w)
	for _, line := range bench.Ratios(results) {
		fmt.Fprintln(w, line)
	}
	return writeCSV(filepath.Join(out, "solvers.csv"), results)
}

// runStructures measures the structureCases, printing each row with the
// format row.
func runStructures(ctx context.Context, seed uint64, w io.Writer, row string) ([]bench.Result, error) {
	cs, err := structureCases()
	if err != nil {
		return nil, err
	}
	var results []bench.Result
	for i, c := range cs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r := rand.New(rand.NewPCG(seed, uint64(1000+i)))
		ws := bench.Weights(r, c.s, c.count)
		m, err := c.s.NewSolver(c.solver)
		if err != nil {
			return nil, fmt.Errorf("%s on %s: %w", c.solver, c.structure, err)
		}
		if c.ref != nil {
			if err := bench.CheckExactMaximizer(c.s, m, ws, c.ref); err != nil {
				return nil, fmt.Errorf("%s on %s: not exact: %w", c.solver, c.structure, err)
			}
		}
		med, allocs, err := bench.MeasureMaximizer(m, c.s.Vars(), ws, c.rounds)
		if err != nil {
			return nil, fmt.Errorf("%s on %s: %w", c.solver, c.structure, err)
		}
		res := bench.Result{Solver: c.solver, Structure: c.structure, N: c.n, Edges: c.edges,
			MedianNs: med, AllocsPerOp: allocs, CheckedExact: c.ref != nil}
		results = append(results, res)
		fmt.Fprintf(w, row, res.Solver, res.Structure, strconv.Itoa(res.N), strconv.Itoa(res.Edges), bench.Duration(med), strconv.FormatFloat(allocs, 'f', 1, 64), strconv.FormatBool(res.CheckedExact))
	}
	return results, nil
}

func writeCSV(path string, results []bench.Result) error {
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	cw.Write([]string{"solver", "structure", "n", "edges", "median_ns", "allocs_per_op", "checked_exact"})
	for _, r := range results {
		cw.Write([]string{r.Solver, r.Structure, strconv.Itoa(r.N), strconv.Itoa(r.Edges),
			strconv.FormatFloat(r.MedianNs, 'f', 0, 64), strconv.FormatFloat(r.AllocsPerOp, 'f', 2, 64), strconv.FormatBool(r.CheckedExact)})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return runfolder.WriteFile(path, b.Bytes())
}
