package runfolder

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// LockFile is the lock's name inside a run folder.
const LockFile = "lock"

// Lock takes the exclusive lock on the run folder dir, which must exist:
// it creates dir/LockFile holding this process's id, atomically (the file
// appears with its content, so a second launch never reads it empty). A
// lock whose process no longer runs is taken over, with a note on
// stderr; one held by a live process — this one included — is an error
// naming it. Call the returned function to release the lock.
//
// Once it holds the lock, Lock removes the temporary files that a writer
// killed in the middle of a [WriteFile] left in dir (.NAME.*.tmp): no
// other process writes there while the lock is held, and a checkpoint's
// temporary file is as large as the checkpoint.
func Lock(dir string) (unlock func(), err error) {
	path := filepath.Join(dir, LockFile)
	for attempt := 0; attempt < 3; attempt++ {
		err := createWith(path, []byte(strconv.Itoa(os.Getpid())+"\n"))
		if err == nil {
			sweep(dir)
			return func() { os.Remove(path) }, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("locking %s: %w", dir, err)
		}
		b, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue // released meanwhile
		}
		if err != nil {
			return nil, fmt.Errorf("locking %s: %w", dir, err)
		}
		owner := strings.TrimSpace(string(b))
		pid, perr := strconv.Atoi(owner)
		if perr == nil && (pid == os.Getpid() || alive(pid)) {
			return nil, inUse(dir, pid, path)
		}
		if takeOver(path, b) {
			fmt.Fprintf(os.Stderr, "taking over the stale lock %s (process %q no longer runs)\n", path, owner)
		}
	}
	return nil, fmt.Errorf("could not lock %s: its lock file %s keeps changing", dir, path)
}

// Busy reports, reading only, whether another live process holds dir's
// lock: the error [Lock] would return, or nil. Commands call it before
// their other checks of a folder, so that a run in progress is named as
// such rather than as a finished one.
func Busy(dir string) error {
	path := filepath.Join(dir, LockFile)
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid == os.Getpid() || !alive(pid) {
		return nil
	}
	return inUse(dir, pid, path)
}

// inUse is the error of a folder locked by the live process pid.
func inUse(dir string, pid int, path string) error {
	return fmt.Errorf("run folder %s is in use by %s (lock file %s); wait for it or choose another folder (if that process is not a run of this folder, remove the lock file)", dir, processName(pid), path)
}

// createWith creates path holding b, failing with fs.ErrExist if it
// exists: b goes to a temporary file that is then hard-linked to path.
func createWith(path string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Link(f.Name(), path)
}

// takeOver removes the stale lock file path if it still holds stale: it
// renames it aside first, so that of two processes taking over the same
// stale lock only one removes it, and one that finds a fresh lock there
// instead puts it back.
func takeOver(path string, stale []byte) bool {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.stale")
	if err != nil {
		return false
	}
	aside := f.Name()
	f.Close()
	if err := os.Rename(path, aside); err != nil {
		os.Remove(aside)
		return false
	}
	defer os.Remove(aside)
	if b, err := os.ReadFile(aside); err != nil || string(b) != string(stale) {
		os.Link(aside, path) // someone's fresh lock: give it back
		return false
	}
	return true
}

// sweep removes WriteFile's temporary files left in dir, but not those of
// a launch taking the lock (.lock.*.tmp, .lock.*.stale).
func sweep(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		n := e.Name()
		if e.Type().IsRegular() && strings.HasPrefix(n, ".") && strings.HasSuffix(n, ".tmp") && !strings.HasPrefix(n, "."+LockFile+".") {
			os.Remove(filepath.Join(dir, n))
		}
	}
}
