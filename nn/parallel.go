package nn

import (
	"sync"
	"sync/atomic"
)

// workers is the number of goroutines the package's own kernels split a
// large call across: the AVX-512 products of gemm512.c and the per-row
// log-likelihood kernels. [SetThreads] sets it (0 is read as 1).
var workers atomic.Int32

// setWorkers records n (< 1: 1) as the package's worker count.
func setWorkers(n int) { workers.Store(int32(max(1, n))) }

// numWorkers returns the package's worker count, at least 1.
func numWorkers() int { return max(1, int(workers.Load())) }

// minParWork is the least work (multiply-adds for products, elements for
// the element-wise kernels) worth splitting: below it, handing half to a
// second goroutine (a few µs, more when its thread must wake) costs more
// than it saves.
const minParWork = 1 << 18

// parts returns the number of ranges parRows would cut n rows into
// (groups of align, work as for parRows): 1 when there is one worker,
// when work < minParWork or when n has fewer than two groups. Callers test
// parts(…) > 1 before building parRows's closure, so that the serial path
// allocates nothing.
func parts(n, align, work int) int {
	w := numWorkers()
	groups := (n + align - 1) / align
	if w <= 1 || work < minParWork || groups < 2 {
		return 1
	}
	return min(w, groups)
}

// parRows runs fn on contiguous ranges [lo, hi) that cover [0, n), one per
// worker, cutting only at multiples of align (≥ 1) so that each range
// starts on a whole group of rows; the first range runs on the calling
// goroutine. It runs fn(0, n) alone when parts(n, align, work) is 1. Each
// range is computed by the same code as a serial call would use on it, so
// results are the same bit for bit whenever fn's rows are independent,
// whatever the worker count. The parallel path allocates the goroutines
// and fn's closure (a few small objects per call).
func parRows(n, align, work int, fn func(lo, hi int)) {
	w := parts(n, align, work)
	if w == 1 {
		fn(0, n)
		return
	}
	groups := (n + align - 1) / align
	var wg sync.WaitGroup
	for k := 1; k < w; k++ {
		lo, hi := min(n, k*groups/w*align), min(n, (k+1)*groups/w*align)
		wg.Go(func() { fn(lo, hi) })
	}
	fn(0, min(n, groups/w*align))
	wg.Wait()
}

// ParallelRows runs fn on contiguous ranges [lo, hi) covering [0, n),
// cut at multiples of align (≥ 1), one per goroutine of the count
// [SetThreads] set, the first on the calling goroutine; with one
// goroutine, or when work (elements or multiply-adds in total) is too
// small to pay for a second one, it calls fn(0, n). Callers keep results
// independent of the split by having each range write only its own rows.
func ParallelRows(n, align, work int, fn func(lo, hi int)) {
	parRows(n, max(1, align), work, fn)
}

// Workers returns the number of goroutines [ParallelRows] and the
// package's own kernels split large work across (see [SetThreads]).
func Workers() int { return numWorkers() }
