package bench

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"time"

	"github.com/argmaxvae/argmaxvae/argmax"
)

// Result is one row of the solver table.
type Result struct {
	Solver, Structure string
	N, Edges          int
	MedianNs          float64 // median wall time of one solve
	AllocsPerOp       float64 // heap allocations per solve, after a warm-up solve
	CheckedExact      bool    // every model's value was compared with exhaustive enumeration
}

// Measure solves each model rounds times with s (after one warm-up pass),
// timing every solve, and returns the median time per solve and the mean
// heap allocations per solve. Solving is sequential on the calling
// goroutine.
func Measure(s argmax.PairwiseSolver, models []*argmax.Model, rounds int) (medianNs, allocs float64, err error) {
	z := make([]int, maxN(models))
	return measure(len(models), rounds, func(i int) error {
		_, err := s.Solve(models[i], z)
		return err
	})
}

// measure runs solve(i) for i < count once as a warm-up, then rounds
// times timing each call, and returns the median time and the mean heap
// allocations per call.
func measure(count, rounds int, solve func(i int) error) (medianNs, allocs float64, err error) {
	for i := 0; i < count; i++ {
		if err := solve(i); err != nil {
			return 0, 0, err
		}
	}
	times := make([]float64, 0, rounds*count)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for r := 0; r < rounds; r++ {
		for i := 0; i < count; i++ {
			start := time.Now()
			if err := solve(i); err != nil {
				return 0, 0, err
			}
			times = append(times, float64(time.Since(start).Nanoseconds()))
		}
	}
	runtime.ReadMemStats(&after)
	slices.Sort(times)
	// The times slice was allocated before the first ReadMemStats.
	allocs = float64(after.Mallocs-before.Mallocs) / float64(len(times))
	return times[len(times)/2], allocs, nil
}

// CheckExact compares s with exhaustive enumeration on every model: the
// values must agree to 1e-9 relative and s's assignment must attain its
// value.
func CheckExact(s argmax.PairwiseSolver, models []*argmax.Model) error {
	var ref argmax.GrayCode
	for i, m := range models {
		z, zr := make([]int, m.N), make([]int, m.N)
		got, err := s.Solve(m, z)
		if err != nil {
			return fmt.Errorf("model %d: %w", i, err)
		}
		want, err := ref.Solve(m, zr)
		if err != nil {
			return fmt.Errorf("model %d: reference: %w", i, err)
		}
		tol := 1e-9 * math.Max(1, math.Max(math.Abs(got), math.Abs(want)))
		if math.Abs(got-want) > tol || math.Abs(m.Score(z)-got) > tol {
			return fmt.Errorf("model %d: solver value %v (assignment scores %v), exhaustive %v", i, got, m.Score(z), want)
		}
	}
	return nil
}

func maxN(models []*argmax.Model) int {
	n := 0
	for _, m := range models {
		n = max(n, m.N)
	}
	return n
}
