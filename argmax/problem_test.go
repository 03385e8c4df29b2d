package argmax_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/argmaxvae/argmaxvae/argmax"
)

// checkProblem solves (s, w) with Solve and with enumeration and checks
// that both maxima agree, that z is feasible and that Score(z) equals
// own(z), the problem's score written from its natural inputs.
func checkProblem(t *testing.T, label string, s argmax.Structure, w []float64, own func(z []int) float64) []int {
	t.Helper()
	z, v, err := argmax.Solve(s, w)
	if err != nil {
		t.Fatalf("%s: %v", label, err)
	}
	ref := make([]int, s.Vars())
	want, err := argmax.Enumerate(s, w, ref)
	if err != nil {
		t.Fatalf("%s: enumeration: %v", label, err)
	}
	if !argmax.Feasible(s, z) || math.Abs(v-want) > 1e-9*(1+math.Abs(want)) {
		t.Fatalf("%s: z %v value %v, enumeration %v", label, z, v, want)
	}
	for _, c := range [][]int{z, ref} {
		if sc, mine := mustScore(t, s, w, c), own(c); math.Abs(sc-mine) > 1e-9*(1+math.Abs(mine)) {
			t.Fatalf("%s: code %v scores %v by the layout, %v by the inputs", label, c, sc, mine)
		}
	}
	return z
}

// TestProblems (issue 17 item 2): each structure built from its natural
// inputs (gains, edge weights, a score or cost matrix, unary and
// transition tables, θ and an edge list), in float32 and float64, solves
// to the enumerated maximum, scores codes as the inputs say, and reads z
// back as items, edges or a permutation.
func TestProblems(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 2))
	for trial := 0; trial < 60; trial++ {
		// k-subset from gains (float32), read back as items.
		n := 1 + r.IntN(9)
		gains := make([]float32, n)
		for i := range gains {
			gains[i] = float32(r.NormFloat64())
		}
		k := r.IntN(n + 1)
		sub, w, err := argmax.SubsetProblem(gains, k)
		if err != nil {
			t.Fatal(err)
		}
		z := checkProblem(t, "subset", sub, w, func(z []int) float64 {
			v := 0.0
			for i, b := range z {
				v += float64(b) * float64(gains[i])
			}
			return v
		})
		items, err := sub.Chosen(z)
		if err != nil || len(items) != k {
			t.Fatalf("Chosen(%v) = %v, %v", z, items, err)
		}
		for _, i := range items {
			for j := range gains { // the k largest gains
				if !slices.Contains(items, j) && gains[j] > gains[i] {
					t.Fatalf("items %v of gains %v leave out a larger gain %d", items, gains, j)
				}
			}
		}

		// Spanning tree from edge weights, read back as edges.
		nodes := 2 + r.IntN(4)
		edges := argmax.CompleteGraph(nodes)
		ew := make([]float64, len(edges))
		for e := range ew {
			ew[e] = r.NormFloat64()
		}
		tree, w, err := argmax.TreeProblem(nodes, edges, ew)
		if err != nil {
			t.Fatal(err)
		}
		z = checkProblem(t, "tree", tree, w, func(z []int) float64 {
			v := 0.0
			for e, b := range z {
				v += float64(b) * ew[e]
			}
			return v
		})
		te, err := tree.TreeEdges(z)
		if err != nil || len(te) != nodes-1 {
			t.Fatalf("TreeEdges(%v) = %v, %v", z, te, err)
		}

		// Matching from a score matrix and from a cost matrix.
		m := 1 + r.IntN(5)
		a := make([][]float32, m)
		for i := range a {
			a[i] = make([]float32, m)
			for j := range a[i] {
				a[i][j] = float32(r.IntN(7) - 3)
			}
		}
		sumOf := func(z []int) float64 {
			v := 0.0
			for i, j := range z {
				v += float64(a[i][j])
			}
			return v
		}
		match, w, err := argmax.MatchingProblem(a)
		if err != nil {
			t.Fatal(err)
		}
		best := sumOf(checkProblem(t, "matching", match, w, sumOf))
		cmatch, w, err := argmax.MatchingCostProblem(a)
		if err != nil {
			t.Fatal(err)
		}
		z = checkProblem(t, "matching cost", cmatch, w, func(z []int) float64 { return -sumOf(z) })
		perm, err := cmatch.Permutation(z)
		if err != nil || !slices.Equal(perm, z) {
			t.Fatalf("Permutation(%v) = %v, %v", z, perm, err)
		}
		if least := sumOf(perm); least > best {
			t.Fatalf("least cost %v above the largest score %v", least, best)
		}

		// Chain from unary and transition tables, per link or shared.
		cn, ck := 1+r.IntN(4), 2+r.IntN(2)
		unary := make([][]float64, cn)
		for i := range unary {
			unary[i] = make([]float64, ck)
			for s := range unary[i] {
				unary[i][s] = r.NormFloat64()
			}
		}
		tables := 1
		if cn > 1 && r.IntN(2) == 0 {
			tables = cn - 1
		}
		trans := make([][][]float64, tables)
		for t := range trans {
			trans[t] = make([][]float64, ck)
			for a := range trans[t] {
				trans[t][a] = make([]float64, ck)
				for b := range trans[t][a] {
					trans[t][a][b] = r.NormFloat64()
				}
			}
		}
		chain, w, err := argmax.ChainProblem(unary, trans)
		if err != nil {
			t.Fatal(err)
		}
		checkProblem(t, "chain", chain, w, func(z []int) float64 {
			v := 0.0
			for i, s := range z {
				v += unary[i][s]
				if i > 0 {
					v += trans[min(i-1, tables-1)][z[i-1]][s]
				}
			}
			return v
		})

		// Pairwise from θ and an edge list, either sign pattern.
		pn := 2 + r.IntN(6)
		theta := make([]float64, pn)
		for i := range theta {
			theta[i] = r.NormFloat64()
		}
		var pe [][2]int
		var pw []float64
		nonneg := r.IntN(2) == 0
		for i := 0; i < pn; i++ {
			for j := i + 1; j < pn; j++ {
				if r.IntN(2) == 0 {
					v := r.NormFloat64()
					if nonneg {
						v = math.Abs(v)
					}
					pe, pw = append(pe, [2]int{i, j}), append(pw, v)
				}
			}
		}
		pair, w, err := argmax.PairwiseProblem(theta, pe, pw)
		if err != nil {
			t.Fatal(err)
		}
		allNonneg := !slices.ContainsFunc(pw, func(v float64) bool { return v < 0 })
		if pair.Supermodular != (allNonneg && len(pe) > 0) || nonneg && len(pe) > 0 && !pair.Supermodular {
			t.Fatalf("Supermodular = %v for weights %v", pair.Supermodular, pw)
		}
		checkProblem(t, "pairwise", pair, w, func(z []int) float64 {
			v := 0.0
			for i, b := range z {
				v += float64(b) * theta[i]
			}
			for e, ij := range pe {
				v += float64(z[ij[0]]*z[ij[1]]) * pw[e]
			}
			return v
		})
	}
}

// TestProblemErrors: inconsistent inputs are refused with ErrShape (or
// ErrEdge), and the readers refuse infeasible codes.
func TestProblemErrors(t *testing.T) {
	for name, err := range map[string]error{
		"subset k > n":        second(argmax.SubsetProblem([]float64{1, 2}, 3)),
		"tree weights":        second(argmax.TreeProblem(3, argmax.CompleteGraph(3), []float64{1})),
		"tree disconnected":   second(argmax.TreeProblem(3, [][2]int{{0, 1}}, []float64{1})),
		"matching ragged":     second(argmax.MatchingProblem([][]float64{{1, 2}, {3}})),
		"matching empty":      second(argmax.MatchingProblem[float64](nil)),
		"chain empty":         second(argmax.ChainProblem[float64](nil, nil)),
		"chain ragged unary":  second(argmax.ChainProblem([][]float64{{1, 2}, {3}}, [][][]float64{{{0, 0}, {0, 0}}})),
		"chain tables":        second(argmax.ChainProblem([][]float64{{1, 2}, {3, 4}, {5, 6}}, make([][][]float64, 3))),
		"chain table rows":    second(argmax.ChainProblem([][]float64{{1, 2}, {3, 4}}, [][][]float64{{{0, 0}}})),
		"pairwise weights":    second(argmax.PairwiseProblem([]float64{1, 2}, [][2]int{{0, 1}}, nil)),
		"pairwise edge range": second(argmax.PairwiseProblem([]float64{1, 2}, [][2]int{{0, 2}}, []float64{1})),
	} {
		if !errors.Is(err, argmax.ErrShape) && !errors.Is(err, argmax.ErrEdge) {
			t.Errorf("%s: %v, want ErrShape or ErrEdge", name, err)
		}
	}
	sub := must(argmax.NewKSubset(3, 1))
	if _, err := sub.Chosen([]int{1, 1, 0}); !errors.Is(err, argmax.ErrShape) {
		t.Errorf("Chosen of two items of a 1-subset: %v", err)
	}
	tree := must(argmax.NewSpanningTree(3, argmax.CompleteGraph(3)))
	if _, err := tree.TreeEdges([]int{1, 1, 1}); !errors.Is(err, argmax.ErrShape) {
		t.Errorf("TreeEdges of a cycle: %v", err)
	}
	m := must(argmax.NewMatching(3))
	if _, err := m.Permutation([]int{0, 0, 1}); !errors.Is(err, argmax.ErrShape) {
		t.Errorf("Permutation of a repeat: %v", err)
	}
}

// second returns the error of a three-result constructor.
func second[S any](_ S, _ []float64, err error) error { return err }
