package bench

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/argmaxvae/argmaxvae/argmax"
)

// Weights returns count weight vectors for s, each of length s.Dim() with
// independent standard normal coordinates.
func Weights(r *rand.Rand, s argmax.Structure, count int) [][]float64 {
	ws := make([][]float64, count)
	for i := range ws {
		ws[i] = make([]float64, s.Dim())
		for j := range ws[i] {
			ws[i][j] = r.NormFloat64()
		}
	}
	return ws
}

// MeasureMaximizer is [Measure] for a structure's [argmax.Maximizer]: it
// solves each weight vector rounds times with m (after one warm-up pass),
// timing every solve, and returns the median time per solve and the mean
// heap allocations per solve. n is the length of a code.
func MeasureMaximizer(m argmax.Maximizer, n int, ws [][]float64, rounds int) (medianNs, allocs float64, err error) {
	z := make([]int, n)
	return measure(len(ws), rounds, func(i int) error {
		_, err := m.Maximize(ws[i], z)
		return err
	})
}

// CheckExactMaximizer compares m with the reference ref (for instance
// [argmax.Enumerate] or [CompleteTreeEnumerate]) on every weight vector:
// m's code must be feasible and attain m's value ([argmax.Score]), and the
// values must agree to 1e-9 relative.
func CheckExactMaximizer(s argmax.Structure, m argmax.Maximizer, ws [][]float64, ref func(w []float64, z []int) (float64, error)) error {
	n := s.Vars()
	z, zr := make([]int, n), make([]int, n)
	for i, w := range ws {
		got, err := m.Maximize(w, z)
		if err != nil {
			return fmt.Errorf("instance %d: %w", i, err)
		}
		want, err := ref(w, zr)
		if err != nil {
			return fmt.Errorf("instance %d: reference: %w", i, err)
		}
		if !argmax.Feasible(s, z) {
			return fmt.Errorf("instance %d: the solver's code %v is not feasible", i, z)
		}
		tol := 1e-9 * math.Max(1, math.Max(math.Abs(got), math.Abs(want)))
		sc, err := argmax.Score(s, w, z)
		if err != nil {
			return fmt.Errorf("instance %d: %w", i, err)
		}
		if math.Abs(got-want) > tol || math.Abs(sc-got) > tol {
			return fmt.Errorf("instance %d: solver value %v (its code scores %v), reference %v", i, got, sc, want)
		}
	}
	return nil
}

// Enumerate returns [argmax.Enumerate] on s as a reference for
// [CheckExactMaximizer].
func Enumerate(s argmax.Structure) func(w []float64, z []int) (float64, error) {
	return func(w []float64, z []int) (float64, error) { return argmax.Enumerate(s, w, z) }
}

// CompleteTreeEnumerate returns the reference for spanning trees of the
// complete graph on n nodes (edges in [argmax.CompleteGraph] order), where
// enumerating all 2^E codes is out of reach: it visits the n^(n−2)
// labelled trees through their Prüfer sequences and returns the best
// value Σ_e w[2e+z_e] and its code. O(n^(n−2)·n²); 262,144 trees for
// n = 8.
func CompleteTreeEnumerate(n int) func(w []float64, z []int) (float64, error) {
	return func(w []float64, z []int) (float64, error) {
		if n < 2 || len(w) != n*(n-1) || len(z) < n*(n-1)/2 {
			return 0, fmt.Errorf("bench: CompleteTreeEnumerate(%d) needs len(w) = %d and a code of %d edges", n, n*(n-1), n*(n-1)/2)
		}
		index := func(a, b int) int { // position of (min, max) in CompleteGraph
			if a > b {
				a, b = b, a
			}
			return a*n - a*(a+1)/2 + b - a - 1
		}
		base, gain := 0.0, make([]float64, n*(n-1)/2)
		for e := range gain {
			base += w[2*e]
			gain[e] = w[2*e+1] - w[2*e]
		}
		seq := make([]int, max(0, n-2))
		deg := make([]int, n)
		tree := make([]int, n-1)
		best, bestTree := math.Inf(-1), make([]int, n-1)
		for {
			// Decode the Prüfer sequence into n−1 edges.
			for v := range deg {
				deg[v] = 1
			}
			for _, x := range seq {
				deg[x]++
			}
			for i, x := range seq {
				leaf := 0
				for deg[leaf] != 1 {
					leaf++
				}
				tree[i] = index(leaf, x)
				deg[leaf]--
				deg[x]--
			}
			u := -1
			for v := range deg {
				if deg[v] == 1 {
					if u < 0 {
						u = v
					} else {
						tree[n-2] = index(u, v)
					}
				}
			}
			v := base
			for _, e := range tree {
				v += gain[e]
			}
			if v > best {
				best = v
				copy(bestTree, tree)
			}
			i := 0
			for ; i < len(seq); i++ {
				if seq[i]++; seq[i] < n {
					break
				}
				seq[i] = 0
			}
			if i == len(seq) {
				break
			}
		}
		clear(z[:n*(n-1)/2])
		for _, e := range bestTree {
			z[e] = 1
		}
		value := 0.0 // in the order of argmax.Score
		for e := range gain {
			value += w[2*e+z[e]]
		}
		return value, nil
	}
}
