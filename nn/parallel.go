package nn

import "github.com/argmaxvae/argmaxvae/internal/kernels"

// The package's own kernels split large calls across the worker count
// [SetThreads] sets, with the module's one row splitter
// (internal/kernels); these are its names here.

// setWorkers records n (< 1: 1) as the worker count.
func setWorkers(n int) { kernels.SetWorkers(n) }

// numWorkers returns the worker count, at least 1.
func numWorkers() int { return kernels.Workers() }

// minParWork is the least work worth splitting (kernels.MinParWork).
const minParWork = kernels.MinParWork

// parts is kernels.Parts: the number of ranges parRows would use.
func parts(n, align, work int) int { return kernels.Parts(n, align, work) }

// parRows is kernels.ParallelRows: fn on ranges of rows cut at multiples
// of align, one per worker, bit-identical to a serial call when fn's rows
// are independent.
func parRows(n, align, work int, fn func(lo, hi int)) { kernels.ParallelRows(n, align, work, fn) }
