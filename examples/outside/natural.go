package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/argmaxvae/argmaxvae/argmax"
)

// solveNatural builds problems from natural inputs (float32 gains, edge
// weights, score and cost matrices, unary and transition tables, θ and an
// edge list), solves each, reads the answer back in the inputs' terms
// (items, edges, a permutation, states) and checks that the value the
// solver reports is the one recomputed here from the inputs and the
// answer, and that no other answer scores more (enumeration).
func solveNatural() error {
	r := rand.New(rand.NewPCG(12, 12))
	norm := func(n int) []float32 {
		v := make([]float32, n)
		for i := range v {
			v[i] = float32(r.NormFloat64())
		}
		return v
	}
	matrix := func(n, m int) [][]float32 {
		a := make([][]float32, n)
		for i := range a {
			a[i] = norm(m)
		}
		return a
	}
	// best checks that value is h of the recomputed answer (within float32
	// rounding of the inputs) and the maximum over all codes.
	best := func(s argmax.Structure, w []float64, value, recomputed float64) error {
		if math.Abs(value-recomputed) > 1e-5*(1+math.Abs(value)) {
			return fmt.Errorf("%s: value %v, but the answer scores %v from the inputs", s.Name(), value, recomputed)
		}
		want, err := argmax.Enumerate(s, w, make([]int, s.Vars()))
		if err != nil {
			return err
		}
		if math.Abs(value-want) > 1e-9*(1+math.Abs(want)) {
			return fmt.Errorf("%s: value %v, enumeration %v", s.Name(), value, want)
		}
		return nil
	}
	for trial := 0; trial < 20; trial++ {
		// The 3 items of largest total gain out of 9.
		gains := norm(9)
		sub, w, err := argmax.SubsetProblem(gains, 3)
		if err != nil {
			return err
		}
		z, v, err := argmax.Solve(sub, w)
		if err != nil {
			return err
		}
		items, err := sub.Chosen(z)
		if err != nil {
			return err
		}
		sum := 0.0
		for _, i := range items {
			sum += float64(gains[i])
		}
		if err := best(sub, w, v, sum); err != nil || len(items) != 3 {
			return fmt.Errorf("items %v: %v", items, err)
		}

		// The heaviest spanning tree of a 6-node graph.
		edges := argmax.CompleteGraph(6)[:12]
		weights := norm(len(edges))
		tree, w, err := argmax.TreeProblem(6, edges, weights)
		if err != nil {
			return err
		}
		if z, v, err = argmax.Solve(tree, w); err != nil {
			return err
		}
		chosen, err := tree.TreeEdges(z)
		if err != nil {
			return err
		}
		sum = 0
		for _, e := range chosen {
			sum += float64(weights[slices.Index(edges, e)])
		}
		if err := best(tree, w, v, sum); err != nil || len(chosen) != 5 {
			return fmt.Errorf("tree %v: %v", chosen, err)
		}

		// The assignment of least total cost.
		cost := matrix(5, 5)
		match, w, err := argmax.MatchingCostProblem(cost)
		if err != nil {
			return err
		}
		if z, v, err = argmax.Solve(match, w); err != nil {
			return err
		}
		perm, err := match.Permutation(z)
		if err != nil {
			return err
		}
		sum = 0
		for i, j := range perm {
			sum -= float64(cost[i][j]) // the value is the negated cost
		}
		if err := best(match, w, v, sum); err != nil {
			return fmt.Errorf("permutation %v: %v", perm, err)
		}

		// The best state sequence of a chain, one transition table per link.
		unary := matrix(5, 3)
		transition := make([][][]float32, 4)
		for t := range transition {
			transition[t] = matrix(3, 3)
		}
		chain, w, err := argmax.ChainProblem(unary, transition)
		if err != nil {
			return err
		}
		if z, v, err = argmax.Solve(chain, w); err != nil {
			return err
		}
		sum = 0
		for i, st := range z {
			sum += float64(unary[i][st])
			if i > 0 {
				sum += float64(transition[i-1][z[i-1]][st])
			}
		}
		if err := best(chain, w, v, sum); err != nil {
			return fmt.Errorf("states %v: %v", z, err)
		}

		// A binary pairwise problem on a cycle, weights of any sign.
		theta := norm(7)
		pairs := append(argmax.ChainPairs(7), [2]int{6, 0})
		pw := norm(len(pairs))
		pair, w, err := argmax.PairwiseProblem(theta, pairs, pw)
		if err != nil {
			return err
		}
		if z, v, err = argmax.Solve(pair, w); err != nil {
			return err
		}
		sum = 0
		for i, t := range theta {
			sum += float64(t) * float64(z[i])
		}
		for e, p := range pairs {
			sum += float64(pw[e]) * float64(z[p[0]]*z[p[1]])
		}
		if err := best(pair, w, v, sum); err != nil {
			return fmt.Errorf("z %v: %v", z, err)
		}
	}
	fmt.Println("natural inputs: subsets from gains, trees from edge weights, matchings from costs, chains from tables, pairwise from θ and edges: 20 problems each, answers read back, values recomputed from the inputs and equal to enumeration's")
	return nil
}
