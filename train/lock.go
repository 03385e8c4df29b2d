package train

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// lockDir takes an exclusive lock on a run folder: it creates dir/LockFile
// holding this process's pid. A lock left by a process that no longer runs
// is taken over (with a note on stderr); one held by a live process is an
// error naming it. The returned function releases the lock.
func lockDir(dir string) (func(), error) {
	path := filepath.Join(dir, LockFile)
	for attempt := 0; attempt < 2; attempt++ {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
		if err == nil {
			fmt.Fprintf(f, "%d\n", os.Getpid())
			f.Close()
			return func() { os.Remove(path) }, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("locking %s: %w", dir, err)
		}
		b, _ := os.ReadFile(path)
		pid, perr := strconv.Atoi(strings.TrimSpace(string(b)))
		if perr == nil && pid != os.Getpid() && alive(pid) {
			return nil, fmt.Errorf("run folder %s is in use by process %d (lock file %s); wait for it or choose another folder", dir, pid, path)
		}
		fmt.Fprintf(os.Stderr, "taking over the stale lock %s (process %s no longer runs)\n", path, strings.TrimSpace(string(b)))
		os.Remove(path)
	}
	return nil, fmt.Errorf("could not lock %s", dir)
}

// alive reports whether a process with this pid exists.
func alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// LockDir takes the exclusive lock [Fit] takes on a run folder (dir/LockFile
// holding this process's pid; a stale lock is taken over), for drivers
// other than Fit that keep a run folder. Call the returned function to
// release it.
func LockDir(dir string) (unlock func(), err error) { return lockDir(dir) }

// WriteAtomic writes b to path through path.tmp, fsync and rename, so that
// a reader sees the old file or the new one, never a part.
func WriteAtomic(path string, b []byte) error { return writeAtomic(path, b) }
