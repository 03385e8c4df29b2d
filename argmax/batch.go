package argmax

import (
	"fmt"
	"runtime"
	"sync"
)

// Batch maximizes many weight vectors of one [Structure] across
// goroutines, with one solver per worker kept between calls (so repeated
// batches reuse the solvers' buffers). Results equal those of one solver
// applied in sequence, as every solver is deterministic and each item is
// solved on its own. A Batch is not safe for concurrent use: one call at a
// time (each call runs its workers itself).
type Batch struct {
	solvers []Maximizer
}

// NewBatch returns a Batch with the given number of workers (≤ 0 means
// runtime.GOMAXPROCS(0)), each with a solver of s named solver.
func NewBatch(s Structure, solver string, workers int) (*Batch, error) {
	if err := checkStructure(s); err != nil {
		return nil, err
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	b := &Batch{solvers: make([]Maximizer, workers)}
	for i := range b.solvers {
		m, err := s.NewSolver(solver)
		if err != nil {
			return nil, err
		}
		b.solvers[i] = m
	}
	return b, nil
}

// Workers returns the number of workers.
func (b *Batch) Workers() int { return len(b.solvers) }

// Maximize maximizes ⟨ws[i], φ(z)⟩ into zs[i] and stores the maximum in
// vals[i]; the three slices must have equal lengths. Worker k takes the
// contiguous items [k·n/w, (k+1)·n/w). It returns the error of the
// lowest-index item that failed, naming that index.
func (b *Batch) Maximize(ws [][]float64, zs [][]int, vals []float64) error {
	n := len(ws)
	if len(zs) != n || len(vals) != n {
		return fmt.Errorf("%w: batch of %d weight vectors with %d outputs and %d values", ErrShape, n, len(zs), len(vals))
	}
	w := min(len(b.solvers), n)
	if w <= 1 {
		for i := 0; i < n; i++ {
			var err error
			if vals[i], err = b.solvers[0].Maximize(ws[i], zs[i]); err != nil {
				return fmt.Errorf("batch item %d: %w", i, err)
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
				var err error
				if vals[i], err = b.solvers[k].Maximize(ws[i], zs[i]); err != nil {
					errs[k] = fmt.Errorf("batch item %d: %w", i, err)
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
