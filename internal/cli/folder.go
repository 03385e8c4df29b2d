package cli

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// checkOut checks the folder of every -out flag ([Out]) given on fs's
// command line with [CheckFolder], before any work starts.
func checkOut(fs *flag.FlagSet) error {
	var err error
	fs.Visit(func(f *flag.Flag) {
		if _, ok := f.Value.(outFlag); ok && err == nil {
			if e := CheckFolder(f.Value.String()); e != nil {
				err = Usagef("-%s %s: %v", f.Name, f.Value.String(), e)
			}
		}
	})
	return err
}

// CheckFolder reports why path cannot be, or become, a folder this
// process writes in: a part of it that is a file, a symbolic link that
// loops or points nowhere, a place where no folder can be made (a
// read-only file system, /proc, a folder without write permission). It
// leaves nothing behind: the test is a folder made and removed at once in
// the nearest existing folder on the path. It does not see a disk that
// is full (that is found, and left clean, when the files are written).
func CheckFolder(path string) error {
	p := filepath.Clean(path)
	for {
		fi, err := os.Stat(p)
		if err == nil {
			if !fi.IsDir() {
				return fmt.Errorf("%s is a file, not a folder", p)
			}
			break
		}
		if !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) {
			return err // a loop of symbolic links, a permission, an I/O error
		}
		if target, lerr := os.Readlink(p); lerr == nil {
			return fmt.Errorf("%s is a symbolic link to %s, which does not exist", p, target)
		}
		parent := filepath.Dir(p)
		if parent == p {
			return err
		}
		p = parent
	}
	probe, err := os.MkdirTemp(p, ".argmaxvae-probe-")
	if err != nil {
		return fmt.Errorf("cannot make a folder in %s: %w", p, errors.Unwrap(err))
	}
	return os.Remove(probe)
}
