package bench

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/argmaxvae/argmaxvae/argmax"
)

// ChainPairs returns the n−1 pairs (i, i+1) of a chain on n variables.
func ChainPairs(n int) [][2]int {
	ps := make([][2]int, 0, max(n-1, 0))
	for i := 0; i+1 < n; i++ {
		ps = append(ps, [2]int{i, i + 1})
	}
	return ps
}

// GridPairs returns the pairs of a w×h 4-connected grid, variables
// numbered row by row.
func GridPairs(w, h int) [][2]int {
	ps := make([][2]int, 0, 2*w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := y*w + x
			if x+1 < w {
				ps = append(ps, [2]int{i, i + 1})
			}
			if y+1 < h {
				ps = append(ps, [2]int{i, i + w})
			}
		}
	}
	return ps
}

// RandomPairs returns n·degree/2 distinct random pairs on n variables
// (average degree degree).
func RandomPairs(r *rand.Rand, n int, degree float64) [][2]int {
	want := int(float64(n)*degree/2 + 0.5)
	want = min(want, n*(n-1)/2)
	seen := make(map[[2]int]bool, want)
	ps := make([][2]int, 0, want)
	for len(ps) < want {
		i, j := r.IntN(n), r.IntN(n)
		if i == j {
			continue
		}
		p := [2]int{min(i, j), max(i, j)}
		if !seen[p] {
			seen[p] = true
			ps = append(ps, p)
		}
	}
	return ps
}

// CompletePairs returns the n(n−1)/2 pairs of the complete graph.
func CompletePairs(n int) [][2]int {
	ps := make([][2]int, 0, n*(n-1)/2)
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			ps = append(ps, [2]int{i, j})
		}
	}
	return ps
}

// Frustrated returns a binary model on n variables with the given pairs:
// unaries ~ N(0,1) and pair weights scale·|N(0,1)|, each negated with
// probability negFrac. negFrac = 0 is supermodular, 0.5 is N(0, scale²)
// general signs, small values are the weakly frustrated models an encoder
// with mostly attractive pairs produces. In 0/1 variables a pair weight w
// is an Ising coupling of w/4 (and fields w/4), so scale = 1 is coupling
// weak against the unaries; scale = 4 makes them comparable.
func Frustrated(r *rand.Rand, n int, pairs [][2]int, negFrac, scale float64) *argmax.Model {
	m := &argmax.Model{N: n, K: 2, Unary: make([]float64, 2*n), Edges: make([]argmax.Edge, len(pairs))}
	for i := 0; i < n; i++ {
		m.Unary[2*i+1] = r.NormFloat64()
	}
	for e, p := range pairs {
		w := scale * math.Abs(r.NormFloat64())
		if r.Float64() < negFrac {
			w = -w
		}
		m.Edges[e] = argmax.Edge{I: p[0], J: p[1], W: w}
	}
	return m
}

// Ising returns the binary form of a spin glass with couplings on the
// given pairs: Jᵢⱼ = scale·|N(0,1)|, each negated with probability
// negFrac, and fields hᵢ ~ N(0, ¼), maximizing Σ Jᵢⱼsᵢsⱼ + Σ hᵢsᵢ over
// s = 2z − 1 ∈ {−1,1}ⁿ. In z that is the pair weight 4Jᵢⱼ with the unary
// 2hᵢ − 2Σⱼ Jᵢⱼ (up to a constant). Unlike [Frustrated], whose 0/1 pair
// weights carry fields w/4 that anchor the variables, the only field here
// is h, so a negative coupling is fully frustrating: on grids with half
// the couplings negative this is the hard case for roof duality.
func Ising(r *rand.Rand, n int, pairs [][2]int, negFrac, scale float64) *argmax.Model {
	m := &argmax.Model{N: n, K: 2, Unary: make([]float64, 2*n), Edges: make([]argmax.Edge, len(pairs))}
	for i := 0; i < n; i++ {
		m.Unary[2*i+1] = r.NormFloat64() // 2h with h ~ N(0, 1/4)
	}
	for e, p := range pairs {
		j := scale * math.Abs(r.NormFloat64())
		if r.Float64() < negFrac {
			j = -j
		}
		m.Edges[e] = argmax.Edge{I: p[0], J: p[1], W: 4 * j}
		m.Unary[2*p[0]+1] -= 2 * j
		m.Unary[2*p[1]+1] -= 2 * j
	}
	return m
}

// QPBORun is the outcome of solving models with one solver: the median
// wall time of the solves that succeeded, the mean fraction of variables
// roof duality labelled (for QPBO), and how many solves failed.
type QPBORun struct {
	MedianNs float64
	Labelled float64 // mean fraction labelled by QPBO; NaN for other solvers
	Solved   int
	Failed   int
	Err      error // the first failure
}

// RunSolver solves each model once with a fresh solver from newSolver
// (after one warm-up solve of the first model, whose time is not counted),
// timing each solve. If the solver is a *argmax.QPBO it also records the
// fraction of variables labelled by roof duality. Failures (for instance a
// remainder too large for branch and bound) are counted, not fatal.
func RunSolver(newSolver func() argmax.PairwiseSolver, models []*argmax.Model) QPBORun {
	s := newSolver()
	z := make([]int, maxN(models))
	var run QPBORun
	run.Labelled = math.NaN()
	if len(models) > 0 {
		s.Solve(models[0], z) // warm-up: buffers, caches
	}
	var times []float64
	lab, labN := 0.0, 0
	for _, m := range models {
		start := time.Now()
		_, err := s.Solve(m, z)
		d := float64(time.Since(start).Nanoseconds())
		if q, ok := s.(*argmax.QPBO); ok {
			// Labelled is set by roof duality even when the remainder fails.
			lab += float64(q.Labelled()) / float64(m.N)
			labN++
		}
		if err != nil {
			run.Failed++
			if run.Err == nil {
				run.Err = err
			}
			continue
		}
		run.Solved++
		times = append(times, d)
	}
	if labN > 0 {
		run.Labelled = lab / float64(labN)
	}
	if len(times) > 0 {
		slices.Sort(times)
		run.MedianNs = times[len(times)/2]
	}
	return run
}

// FormatLabelled formats a labelled fraction as a percentage, or "–".
func FormatLabelled(f float64) string {
	if math.IsNaN(f) {
		return "–"
	}
	return fmt.Sprintf("%.1f%%", 100*f)
}
