package nn

import "sync"

// Two-way parallelism for the largest kernels of a training step. With
// [SetThreads] of 2 or more, a kernel whose work splits into two
// independent halves (disjoint output rows, columns or elements) runs one
// half on a helper goroutine while the caller runs the other, so that each
// output is computed by the same operations in the same order as by one
// thread: results do not depend on the thread count.
//
// The helper is one long-lived goroutine fed through a channel, so a split
// does not allocate. A kernel is split only when its work exceeds
// splitMinWork (in nanoseconds of one thread, from the callers' cost
// estimates), which keeps the goroutine hand-off (a few microseconds) small
// against the time saved. Callers that find the helper busy (concurrent
// use of nn from several goroutines) run both halves themselves.

// halves is a kernel split in two: half(0) and half(1) may run
// concurrently and together do the whole work.
type halves interface {
	half(part int)
}

// splitMinWork is the estimated single-thread time, in nanoseconds, above
// which a kernel is split.
const splitMinWork = 40_000

var helper struct {
	sync.Mutex // held by the caller of a split for its duration
	once       sync.Once
	jobs       chan halves
	done       chan struct{}
	runs       int // number of splits run (tests)
}

// parallel reports whether kernels should be split: two or more threads
// were asked for.
func parallel(work float64) bool { return work >= splitMinWork && Threads() >= 2 }

// split2 runs h.half(0) and h.half(1), on two goroutines when work (the
// estimated single-thread time in ns) is large enough and two threads were
// asked for, else one after the other on the caller. h must not be shared
// with other goroutines (kernels that keep their job in a package variable
// use acquireHelper and runHelper instead).
func split2(h halves, work float64) {
	if !acquireHelper(work) {
		h.half(0)
		h.half(1)
		return
	}
	runHelper(h)
}

// acquireHelper reports whether a kernel of the given work should be split
// and, if so, reserves the helper: the caller then fills its job and must
// call runHelper.
func acquireHelper(work float64) bool {
	return parallel(work) && helper.TryLock()
}

// runHelper runs h.half(1) on the helper goroutine and h.half(0) on the
// caller, waits for both and releases the helper.
func runHelper(h halves) {
	defer helper.Unlock()
	helper.once.Do(func() {
		helper.jobs = make(chan halves)
		helper.done = make(chan struct{})
		go func() {
			for j := range helper.jobs {
				j.half(1)
				helper.done <- struct{}{}
			}
		}()
	})
	helper.runs++
	helper.jobs <- h
	h.half(0)
	<-helper.done
}
