package main

import (
	"fmt"

	"github.com/argmaxvae/argmaxvae/argmax"
)

// readme:structure

// Interval is a structure of our own: N binary variables whose ones form
// one contiguous, non-empty run (a window in a sequence). Its features are
// the unary one-hots, w[2i+zᵢ], so Dim = 2N and every weight is of any
// sign. Implementing argmax.Constrained tells the trainer which codes
// exist (exact likelihoods and the prior visit only those), and
// argmax.Neighbourhood which codes f̃ evaluates.
type Interval struct{ N int }

func (s Interval) Name() string          { return fmt.Sprintf("interval of %d", s.N) }
func (s Interval) Vars() int             { return s.N }
func (s Interval) States() int           { return 2 }
func (s Interval) Dim() int              { return 2 * s.N }
func (s Interval) Signs() []argmax.Sign  { return make([]argmax.Sign, s.Dim()) }
func (s Interval) Solvers() []string     { return []string{"kadane", "exhaustive"} }
func (s Interval) Feasible(z []int) bool { return runs(z[:s.N]) == 1 }

func (s Interval) AddFeatures(z []int, scale float32, dst []float32) {
	for i, b := range z[:s.N] {
		dst[2*i+b] += scale
	}
}

func (s Interval) NewSolver(name string) (argmax.Maximizer, error) {
	switch name {
	case "kadane":
		return kadane{s}, nil
	case "exhaustive":
		return argmax.NewEnumerator(s) // the generic exact solver, for small structures
	}
	return nil, fmt.Errorf("interval: no solver %q", name)
}

// Neighbour implements argmax.Neighbourhood: the codes the direct
// estimator's f̃ evaluates around an interval z are intervals too (the
// default, one variable changed, would split or empty it). Adding item i
// stretches the interval to i; removing it keeps the longer side, or moves
// a one-item interval to a neighbouring item.
func (s Interval) Neighbour(z []int, i, state int, dst []int) bool {
	lo, hi := -1, -1
	for j, b := range z[:s.N] {
		if b == 1 {
			if lo < 0 {
				lo = j
			}
			hi = j
		}
	}
	switch {
	case state == z[i]:
	case state == 1:
		lo, hi = min(lo, i), max(hi, i)
	case lo == hi: // removing the only item: the next one (or the previous)
		if s.N == 1 {
			return false
		}
		lo = i + 1
		if lo == s.N {
			lo = i - 1
		}
		hi = lo
	case i-lo >= hi-i: // keep the longer side, the left one on a tie
		hi = i - 1
	default:
		lo = i + 1
	}
	for j := range dst[:s.N] {
		dst[j] = 0
		if lo <= j && j <= hi {
			dst[j] = 1
		}
	}
	return true
}

// kadane finds the best interval in O(N): the maximum-sum non-empty run of
// the gains gᵢ = w[2i+1] − w[2i], plus Σᵢ w[2i].
type kadane struct{ s Interval }

func (k kadane) Maximize(w []float64, z []int) (float64, error) {
	if len(w) != k.s.Dim() || len(z) < k.s.N {
		return 0, fmt.Errorf("interval: len(w) = %d, len(z) = %d for %d variables", len(w), len(z), k.s.N)
	}
	base, best, bestLo, bestHi := 0.0, 0.0, 0, 0
	cur, lo := 0.0, 0
	for i := 0; i < k.s.N; i++ {
		base += w[2*i]
		g := w[2*i+1] - w[2*i]
		if i == 0 || cur < 0 {
			cur, lo = g, i
		} else {
			cur += g
		}
		if i == 0 || cur > best {
			best, bestLo, bestHi = cur, lo, i
		}
	}
	for i := range z[:k.s.N] {
		z[i] = 0
		if bestLo <= i && i <= bestHi {
			z[i] = 1
		}
	}
	return base + best, nil
}

// readme:end

// runs counts the runs of ones in z.
func runs(z []int) int {
	n := 0
	for i, b := range z {
		if b == 1 && (i == 0 || z[i-1] == 0) {
			n++
		}
		if b != 0 && b != 1 {
			return -1
		}
	}
	return n
}
