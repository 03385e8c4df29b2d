package cli

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/argmaxvae/argmaxvae/internal/runfolder"
)

// checkOut checks the folder of every -out flag ([Out]) given on fs's
// command line with [CheckFolder], before any work starts.
func checkOut(fs *flag.FlagSet) error {
	var err error
	fs.Visit(func(f *flag.Flag) {
		if o, ok := f.Value.(outFlag); ok && err == nil {
			e := CheckFolder(f.Value.String())
			if e == nil {
				e = checkKind(f.Value.String(), o.kind)
			}
			if e != nil {
				err = Usagef("-%s %s: %v", f.Name, f.Value.String(), e)
			}
		}
	})
	return err
}

// checkKind refuses a run folder to a grid and a grid's folder to a run:
// their files would mix (a grid's table beside a run's checkpoint).
func checkKind(dir string, kind folderKind) error {
	switch kind {
	case gridFolder:
		for _, name := range []string{runfolder.CheckpointFile, runfolder.ConfigFile} {
			if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
				return fmt.Errorf("holds a training run (%s), and a grid writes a folder per cell into -out; choose another folder", name)
			}
		}
	case runFolder:
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if e.IsDir() {
				if _, err := os.Stat(filepath.Join(dir, e.Name(), runfolder.ConfigFile)); err == nil {
					return fmt.Errorf("holds a grid's runs (%s), and a run keeps its files in -out itself; choose another folder", filepath.Join(e.Name(), runfolder.ConfigFile))
				}
			}
		}
	}
	return nil
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

// CheckFile reports why path cannot be read as an input file (a model,
// a checkpoint): it does not exist, or it is not a regular file (a folder;
// a FIFO, whose read would wait for a writer; a device such as /dev/zero,
// whose read never ends). Commands call it on their file flags before
// any work.
func CheckFile(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		kind := "not a regular file"
		switch {
		case fi.IsDir():
			kind = "a folder, not a file"
		case fi.Mode()&fs.ModeNamedPipe != 0:
			kind = "a named pipe, not a regular file"
		case fi.Mode()&fs.ModeDevice != 0:
			kind = "a device, not a regular file"
		}
		return fmt.Errorf("%s is %s", path, kind)
	}
	return nil
}
