package argmax

import (
	"fmt"
	"runtime"
	"sync"
)

// Batch solves batches of independent models across goroutines. Each worker
// owns one Solver made by the factory, kept between calls, so repeated
// batches reuse the solvers' buffers. Results are identical to solving the
// models one after another with a single solver, because every solver is
// deterministic and each model is solved on its own.
type Batch struct {
	solvers []Solver
}

// NewBatch returns a Batch with the given number of workers (≤ 0 means
// runtime.GOMAXPROCS(0)), each with a solver from newSolver.
func NewBatch(newSolver func() Solver, workers int) *Batch {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	b := &Batch{solvers: make([]Solver, workers)}
	for i := range b.solvers {
		b.solvers[i] = newSolver()
	}
	return b
}

// Workers returns the number of worker goroutines.
func (b *Batch) Workers() int { return len(b.solvers) }

// Solve solves models[i] into zs[i] and stores the value in vals[i]. The
// slices must have equal lengths. It returns the error of the lowest-index
// model that failed, naming that index.
func (b *Batch) Solve(models []*Model, zs [][]int, vals []float64) error {
	n := len(models)
	if len(zs) != n || len(vals) != n {
		return fmt.Errorf("%w: batch of %d models with %d outputs and %d values", ErrShape, n, len(zs), len(vals))
	}
	w := min(len(b.solvers), n)
	if w <= 1 {
		for i := range models {
			v, err := b.solvers[0].Solve(models[i], zs[i])
			if err != nil {
				return fmt.Errorf("batch model %d: %w", i, err)
			}
			vals[i] = v
		}
		return nil
	}
	errs := make([]error, w)
	var wg sync.WaitGroup
	// Contiguous chunks: worker k takes models [k·n/w, (k+1)·n/w).
	for k := 0; k < w; k++ {
		lo, hi := k*n/w, (k+1)*n/w
		wg.Add(1)
		go func(s Solver, k, lo, hi int) {
			defer wg.Done()
			for i := lo; i < hi; i++ {
				v, err := s.Solve(models[i], zs[i])
				if err != nil {
					errs[k] = fmt.Errorf("batch model %d: %w", i, err)
					return
				}
				vals[i] = v
			}
		}(b.solvers[k], k, lo, hi)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
