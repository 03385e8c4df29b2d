// Package memory refuses, before anything is allocated, work whose
// memory grows with the user's input beyond what the machine has: a
// command estimates the bytes a run will hold from its flags and calls
// [Check], which compares the estimate with half the machine's memory
// (MemTotal in /proc/meminfo) and returns an error naming the flags that
// make it big. A fatal out-of-memory in Go cannot be recovered, and it
// would leave a run folder locked and half written; a refusal leaves
// nothing. Where the machine's memory cannot be read nothing is refused.
package memory

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
)

// Term is one part of an estimate: Bytes of memory, and the flags whose
// values make it grow (for the error message).
type Term struct {
	Bytes float64
	Flags string
}

// Check returns an error when the terms add up to more than half of the
// machine's memory (see [Budget]); the error names the flags of the
// largest term, the total and the machine's memory.
func Check(terms ...Term) error {
	budget := Budget()
	if budget == 0 || len(terms) == 0 {
		return nil
	}
	total, big := 0.0, 0
	for i, t := range terms {
		total += t.Bytes
		if t.Bytes > terms[big].Bytes {
			big = i
		}
	}
	if total > float64(budget) {
		return fmt.Errorf("%s: the run would hold about %s, more than half of this machine's %s; use smaller values",
			terms[big].Flags, size(total), size(float64(2*budget)))
	}
	return nil
}

func size(b float64) string {
	if b >= 1<<30 {
		return fmt.Sprintf("%.1f GB", b/(1<<30))
	}
	return fmt.Sprintf("%.0f MB", b/(1<<20))
}

var (
	once   sync.Once
	budget uint64
)

// Budget returns half the machine's memory in bytes, or 0 where it cannot
// be read.
func Budget() uint64 {
	once.Do(func() {
		f, err := os.Open("/proc/meminfo")
		if err != nil {
			return
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) >= 2 && fields[0] == "MemTotal:" {
				if kb, err := strconv.ParseUint(fields[1], 10, 64); err == nil {
					budget = kb * 1024 / 2
				}
				return
			}
		}
	})
	return budget
}
