package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/argmaxvae/argmaxvae/bench"
	"github.com/argmaxvae/argmaxvae/qip"
)

// qpboStructure is a family of pair graphs on n variables.
type qpboStructure struct {
	name  string
	pairs func(r *rand.Rand, n int) [][2]int
	sizes func(n int) int // the n actually used for a requested n (grids are square)
}

func qpboStructures() []qpboStructure {
	side := func(n int) int { return int(math.Round(math.Sqrt(float64(n)))) }
	return []qpboStructure{
		{"chain", func(_ *rand.Rand, n int) [][2]int { return bench.ChainPairs(n) }, func(n int) int { return n }},
		{"grid", func(_ *rand.Rand, n int) [][2]int { s := side(n); return bench.GridPairs(s, s) }, func(n int) int { s := side(n); return s * s }},
		{"sparse-deg3", func(r *rand.Rand, n int) [][2]int { return bench.RandomPairs(r, n, 3) }, func(n int) int { return n }},
		{"sparse-deg4", func(r *rand.Rand, n int) [][2]int { return bench.RandomPairs(r, n, 4) }, func(n int) int { return n }},
		{"complete", func(_ *rand.Rand, n int) [][2]int { return bench.CompletePairs(n) }, func(n int) int { return n }},
	}
}

// qpboModels draws count models of structure st on about n variables with
// negative-weight fraction p and pair weight scale (see bench.Frustrated).
func qpboModels(st qpboStructure, n int, p, scale float64, count int, seed uint64) []*argmax.Model {
	return qpboModelsOf(bench.Frustrated, st, n, p, scale, count, seed)
}

// qpboModelsOf is qpboModels with the weight generator gen.
func qpboModelsOf(gen func(*rand.Rand, int, [][2]int, float64, float64) *argmax.Model, st qpboStructure, n int, p, scale float64, count int, seed uint64) []*argmax.Model {
	r := rand.New(rand.NewPCG(seed, uint64(n)*1000+uint64(p*100)+uint64(scale*1e6)))
	n = st.sizes(n)
	ms := make([]*argmax.Model, count)
	for i := range ms {
		ms[i] = gen(r, n, st.pairs(r, n), p, scale)
	}
	return ms
}

// runQPBOCrossover times branch and bound against QPBO (+ branch and bound
// on the remainder) on general-sign models small enough for both, every
// solve of both checked to agree, and prints the ratio bnb/qpbo: where it
// exceeds 1, QPBO is faster. The measurements behind Choose's thresholds.
func runQPBOCrossover(ctx context.Context, w io.Writer, seed uint64, count int) error {
	const row = "%-12s %5s %4s %6s %12s %12s %9s %9s\n"
	fmt.Fprintf(w, row, "structure", "p", "n", "edges", "bnb", "qpbo", "bnb/qpbo", "labelled")
	bnb := func() argmax.PairwiseSolver { return &argmax.BranchAndBound{} }
	qp := func() argmax.PairwiseSolver { return &argmax.QPBO{} }
	for _, st := range qpboStructures() {
		for _, p := range []float64{0.1, 0.5} {
			for _, n := range []int{8, 16, 24, 32, 48, 64} {
				if err := ctx.Err(); err != nil {
					return err
				}
				if st.name == "complete" && n > 32 {
					continue
				}
				ms := qpboModels(st, n, p, 1, count, seed)
				if err := agree(ms); err != nil {
					return fmt.Errorf("%s p=%g n=%d: %w", st.name, p, n, err)
				}
				b := bench.RunSolver(bnb, ms)
				q := bench.RunSolver(qp, ms)
				if b.Err != nil || q.Err != nil {
					return fmt.Errorf("%s p=%g n=%d: bnb: %v, qpbo: %v", st.name, p, n, b.Err, q.Err)
				}
				fmt.Fprintf(w, row, st.name, strconv.FormatFloat(p, 'g', -1, 64), strconv.Itoa(ms[0].N), strconv.Itoa(len(ms[0].Edges)),
					bench.Duration(b.MedianNs), bench.Duration(q.MedianNs), fmt.Sprintf("%.2f×", b.MedianNs/q.MedianNs), bench.FormatLabelled(q.Labelled))
			}
		}
	}
	return nil
}

// agree checks that QPBO and branch and bound find the same optimum on
// every model.
func agree(ms []*argmax.Model) error {
	var q argmax.QPBO
	var b argmax.BranchAndBound
	for i, m := range ms {
		z := make([]int, m.N)
		vq, err := q.Solve(m, z)
		if err != nil {
			return err
		}
		if math.Abs(m.Score(z)-vq) > 1e-9*math.Max(1, math.Abs(vq)) {
			return fmt.Errorf("model %d: QPBO's z scores %v, it returned %v", i, m.Score(z), vq)
		}
		vb, err := b.Solve(m, z)
		if err != nil {
			return err
		}
		if math.Abs(vq-vb) > 1e-9*math.Max(1, math.Abs(vb)) {
			return fmt.Errorf("model %d: QPBO %v, branch and bound %v", i, vq, vb)
		}
	}
	return nil
}

// runQPBOScaling solves chains, square grids and random sparse graphs
// (and complete graphs at n = 100 for contrast) with weights of both kinds
// (bench.Frustrated's 0/1 weights and bench.Ising's spin glasses, fraction
// p of negative pair weights) at each size, by QPBO,
// printing the median time, the mean fraction roof duality labelled and
// how many instances the solver could not finish (a general-sign remainder
// component above MaxBranchAndBound, or bnb's node limit).
func runQPBOScaling(ctx context.Context, w io.Writer, seed uint64, count int, sizes []int, ps, scales []float64) error {
	fmt.Fprintf(w, "| n | structure | weights | p (negative pairs) | pair scale | edges | solver | median time | labelled by QPBO | solved |\n")
	fmt.Fprintf(w, "|---:|---|---|---:|---:|---:|---|---:|---:|---:|\n")
	kinds := []struct {
		name string
		gen  func(*rand.Rand, int, [][2]int, float64, float64) *argmax.Model
	}{{"0/1", bench.Frustrated}, {"ising", bench.Ising}}
	for _, n := range sizes {
		for _, st := range qpboStructures() {
			if st.name == "complete" && n > 100 {
				continue
			}
			for _, kind := range kinds {
				for _, scale := range scales {
					for _, p := range ps {
						if err := ctx.Err(); err != nil {
							return err
						}
						ms := qpboModelsOf(kind.gen, st, n, p, scale, count, seed)
						q := bench.RunSolver(func() argmax.PairwiseSolver { return &argmax.QPBO{} }, ms)
						med := "–"
						if q.Solved > 0 {
							med = bench.Duration(q.MedianNs)
						}
						fmt.Fprintf(w, "| %d | %s | %s | %g | %g | %d | qpbo | %s | %s | %d/%d |\n", ms[0].N, st.name, kind.name, p, scale, len(ms[0].Edges), med, bench.FormatLabelled(q.Labelled), q.Solved, len(ms))
						if q.Err != nil {
							fmt.Fprintf(w, "|  |  |  |  |  |  |  | first failure: %s | | |\n", shortErr(q.Err))
						}
						if q.Failed > 0 && n <= 100 {
							// What Choose's QPBO does with package qip loaded:
							// the MILP solver takes the large remainder.
							qm := bench.RunSolver(func() argmax.PairwiseSolver { return &argmax.QPBO{Large: qip.New()} }, ms)
							med := "–"
							if qm.Solved > 0 {
								med = bench.Duration(qm.MedianNs)
							}
							fmt.Fprintf(w, "| %d | %s | %s | %g | %g | %d | qpbo+milp | %s | %s | %d/%d |\n", ms[0].N, st.name, kind.name, p, scale, len(ms[0].Edges), med, bench.FormatLabelled(qm.Labelled), qm.Solved, len(ms))
						}
					}
				}
			}
		}
	}
	return nil
}

// shortErr keeps an error's first 140 bytes for a table cell.
func shortErr(err error) string {
	s := err.Error()
	if len(s) > 140 {
		s = s[:140] + "…"
	}
	return s
}
