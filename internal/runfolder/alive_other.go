//go:build !unix

package runfolder

import (
	"os"
	"strconv"
)

// processName names the process pid for a message.
func processName(pid int) string { return "process " + strconv.Itoa(pid) }

// alive reports whether a process with this id exists: on Windows
// os.FindProcess opens the process and fails when there is none; where
// that tells nothing, a lock is taken to be held (never taken over).
func alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	p.Release()
	return true
}
