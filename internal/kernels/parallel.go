package kernels

import (
	"sync"
	"sync/atomic"
)

// workers is the number of goroutines a large call is split across
// (SetWorkers; 0 is read as 1).
var workers atomic.Int32

// SetWorkers records n (< 1: 1) as the worker count. Package nn's
// SetThreads calls it; nothing else should.
func SetWorkers(n int) { workers.Store(int32(max(1, n))) }

// Workers returns the worker count, at least 1.
func Workers() int { return max(1, int(workers.Load())) }

// MinParWork is the least work (multiply-adds for products, elements for
// the element-wise kernels) worth splitting: below it, handing half to a
// second goroutine (a few µs, more when its thread must wake) costs more
// than it saves.
const MinParWork = 1 << 18

// Parts returns the number of ranges ParallelRows would cut n rows into
// (groups of align ≥ 1, work as for ParallelRows): 1 when there is one
// worker, when work < MinParWork or when n has fewer than two groups.
// Callers test Parts(…) > 1 before building ParallelRows's closure, so
// that the serial path allocates nothing.
func Parts(n, align, work int) int {
	w := Workers()
	align = max(1, align)
	groups := (n + align - 1) / align
	if w <= 1 || work < MinParWork || groups < 2 {
		return 1
	}
	return min(w, groups)
}

// ParallelRows runs fn on contiguous ranges [lo, hi) that cover [0, n),
// one per worker, cutting only at multiples of align (< 1: 1) so that
// each range starts on a whole group of rows; the first range runs on the
// calling goroutine. It runs fn(0, n) alone when Parts(n, align, work) is
// 1. Each range is computed by the same code as a serial call would use
// on it, so results are the same bit for bit whenever fn's rows are
// independent (each range writes only its own rows), whatever the worker
// count. The parallel path allocates the goroutines and fn's closure (a
// few small objects per call).
func ParallelRows(n, align, work int, fn func(lo, hi int)) {
	align = max(1, align)
	w := Parts(n, align, work)
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
