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
	return inChunks(n, len(b.solvers), func(k, i int) (err error) {
		vals[i], err = b.solvers[k].Solve(models[i], zs[i])
		return err
	})
}

// MaxBatch is [Batch] for a [Structure]'s [Maximizer]s: one solver per
// worker, kept between calls.
type MaxBatch struct {
	solvers []Maximizer
}

// NewMaxBatch returns a MaxBatch with the given number of workers (≤ 0:
// runtime.GOMAXPROCS(0)), each with a solver of s named name.
func NewMaxBatch(s Structure, name string, workers int) (*MaxBatch, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	b := &MaxBatch{solvers: make([]Maximizer, workers)}
	for i := range b.solvers {
		m, err := s.NewSolver(name)
		if err != nil {
			return nil, err
		}
		b.solvers[i] = m
	}
	return b, nil
}

// Solve maximizes ⟨ws[i], φ(z)⟩ into zs[i] and stores the value in
// vals[i], like [Batch.Solve].
func (b *MaxBatch) Solve(ws [][]float64, zs [][]int, vals []float64) error {
	n := len(ws)
	if len(zs) != n || len(vals) != n {
		return fmt.Errorf("%w: batch of %d weight vectors with %d outputs and %d values", ErrShape, n, len(zs), len(vals))
	}
	return inChunks(n, len(b.solvers), func(k, i int) (err error) {
		vals[i], err = b.solvers[k].Maximize(ws[i], zs[i])
		return err
	})
}

// inChunks runs solve(k, i) for i < n, worker k taking the contiguous
// chunk [k·n/w, (k+1)·n/w) of w = min(workers, n) goroutines (in the
// caller's goroutine when w ≤ 1). It returns the error of the
// lowest-index item that failed, naming that index.
func inChunks(n, workers int, solve func(k, i int) error) error {
	w := min(workers, n)
	if w <= 1 {
		for i := 0; i < n; i++ {
			if err := solve(0, i); err != nil {
				return fmt.Errorf("batch model %d: %w", i, err)
			}
		}
		return nil
	}
	errs := make([]error, w)
	var wg sync.WaitGroup
	for k := 0; k < w; k++ {
		lo, hi := k*n/w, (k+1)*n/w
		wg.Add(1)
		go func(k, lo, hi int) {
			defer wg.Done()
			for i := lo; i < hi; i++ {
				if err := solve(k, i); err != nil {
					errs[k] = fmt.Errorf("batch model %d: %w", i, err)
					return
				}
			}
		}(k, lo, hi)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
