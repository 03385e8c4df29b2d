//go:build unix

package runfolder

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// alive reports whether a process with this id exists (signal 0 checks
// without sending; EPERM means it exists under another user) and is not a
// zombie (a killed run its parent has not yet waited for, which /proc
// shows in state Z).
func alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	if err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	_, state := procStat(pid)
	return state != "Z"
}

// procStat returns a process's command name and state letter from
// /proc/PID/stat ("pid (comm) S ..."), or "", "" where there is no /proc.
func procStat(pid int) (comm, state string) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return "", ""
	}
	s := string(b)
	open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 0 || end < open {
		return "", ""
	}
	comm = s[open+1 : end]
	if f := strings.Fields(s[end+1:]); len(f) > 0 {
		state = f[0]
	}
	return comm, state
}

// processName names the process pid for a message: "process 12 (categorical)",
// or "process 12" where its name is unknown.
func processName(pid int) string {
	if comm, _ := procStat(pid); comm != "" {
		return "process " + strconv.Itoa(pid) + " (" + comm + ")"
	}
	return "process " + strconv.Itoa(pid)
}
