package runfolder

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// WriteFile writes b to path atomically: to a temporary file in the same
// folder (missing folders are created), fsync, then rename over path, so
// a reader — or a run killed at any moment — sees the old file or the new
// one, never a part. On every failure (a full disk, a write error, a
// failed sync or rename) the temporary file is removed and path is left
// as it was.
//
// A path that exists and is not a regular file is never renamed over
// (which, for root, would replace /dev/null or /dev/full with a plain
// file): a device or a named pipe is written in place, as a stream, and a
// folder is an error.
func WriteFile(path string, b []byte) error {
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		if fi.IsDir() {
			return fmt.Errorf("writing %s: a folder, not a file", path)
		}
		return writeInPlace(path, b)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	f, err := create(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	tmp := f.Name()
	fail := func(err error) error {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if _, err := f.Write(b); err != nil {
		return fail(err)
	}
	if err := f.Chmod(0o644); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// writeInPlace writes b to the existing non-regular file path (a device,
// a named pipe) without creating, truncating or renaming anything.
func writeInPlace(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// WriteJSON writes v as indented JSON (two spaces, trailing newline) with
// [WriteFile]. Values JSON cannot represent (NaN, ±Inf, channels, …) are
// an error and leave path as it was.
func WriteJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("JSON %s: %w", path, err)
	}
	return WriteFile(path, append(b, '\n'))
}

// file is what WriteFile writes through.
type file interface {
	io.WriteCloser
	Name() string
	Chmod(os.FileMode) error
	Sync() error
}

// create opens WriteFile's temporary file; FailWritesAfter replaces it.
var create = func(dir, pattern string) (file, error) { return os.CreateTemp(dir, pattern) }

// FailWritesAfter makes the writes of [WriteFile] fail once n bytes in
// total have been written from now on, as a full disk would (the error
// wraps syscall.ENOSPC's text "no space left on device"), until restore
// is called. It is for tests of the fault paths (not safe for use
// concurrent with WriteFile).
func FailWritesAfter(n int64) (restore func()) {
	old := create
	left := n
	create = func(dir, pattern string) (file, error) {
		f, err := old(dir, pattern)
		if err != nil {
			return nil, err
		}
		return &fullDisk{file: f, left: &left}, nil
	}
	return func() { create = old }
}

// fullDisk is a file whose writes fail once the shared budget is spent.
type fullDisk struct {
	file
	left *int64
}

// ErrDiskFull is the error of a write [FailWritesAfter] fails.
var ErrDiskFull = fmt.Errorf("no space left on device (simulated)")

func (f *fullDisk) Write(b []byte) (int, error) {
	if int64(len(b)) <= *f.left {
		*f.left -= int64(len(b))
		return f.file.Write(b)
	}
	n := int(max(*f.left, 0))
	*f.left = 0
	f.file.Write(b[:n])
	return n, ErrDiskFull
}
