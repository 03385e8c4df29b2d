//go:build unix

package nn

import (
	"syscall"
	"time"
)

// cpuTime returns the user+system CPU time of the process so far (all
// threads, OpenBLAS's included). Benchmarks report it next to wall time
// because the machine is shared: CPU time per op is what the code costs.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
