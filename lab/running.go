package lab

import (
	"fmt"
	"math"
)

// Running accumulates the per-coordinate mean and variance of a stream of
// equally long vectors by Welford's algorithm (numerically stable, one
// pass, O(d) memory). The zero value is empty; Reset or the first Add
// sizes it. Not safe for concurrent use.
type Running struct {
	n        int
	mean, m2 []float64
}

// NewRunning returns an empty accumulator of d coordinates.
func NewRunning(d int) *Running {
	r := &Running{}
	r.Reset(d)
	return r
}

// Reset empties r and sizes it for d coordinates.
func (r *Running) Reset(d int) {
	r.n = 0
	r.mean, r.m2 = make([]float64, d), make([]float64, d)
}

// Add folds in x, which must have r's length (the first Add of a zero
// Running sets it); a vector of another length is an error, and r is left
// unchanged. O(d).
func (r *Running) Add(x []float64) error {
	if r.mean == nil {
		r.Reset(len(x))
	}
	if len(x) != len(r.mean) {
		return fmt.Errorf("lab: Running.Add of %d coordinates to an accumulator of %d", len(x), len(r.mean))
	}
	r.n++
	for j, v := range x {
		d := v - r.mean[j]
		r.mean[j] += d / float64(r.n)
		r.m2[j] += d * (v - r.mean[j])
	}
	return nil
}

// N is the number of vectors added.
func (r *Running) N() int { return r.n }

// Mean returns the per-coordinate means (r's own slice: do not change it).
func (r *Running) Mean() []float64 { return r.mean }

// Var returns coordinate j's sample variance (n − 1 in the denominator;
// NaN with fewer than two vectors).
func (r *Running) Var(j int) float64 {
	if r.n < 2 {
		return math.NaN()
	}
	return r.m2[j] / float64(r.n-1)
}

// SE2 returns Σ_j Var(j)/n: the squared norm of the mean's standard error.
func (r *Running) SE2() float64 {
	s := 0.0
	for j := range r.m2 {
		s += r.Var(j) / float64(r.n)
	}
	return s
}

// MeanVar returns the mean over coordinates of the sample variance.
func (r *Running) MeanVar() float64 {
	s := 0.0
	for j := range r.m2 {
		s += r.Var(j)
	}
	return s / float64(len(r.m2))
}
