package dataset

import (
	"fmt"
	"os"
)

// checkRegular refuses, before it is opened, a data file that is not a
// regular file: opening a FIFO blocks until someone writes it (the
// command would hang in the data load, deaf to Ctrl-C), and a device such
// as /dev/zero or /dev/urandom never ends. A missing file keeps its
// not-exist error.
func checkRegular(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file (mode %v)", path, fi.Mode().Type())
	}
	return nil
}

// openRegular is os.Open after [checkRegular].
func openRegular(path string) (*os.File, error) {
	if err := checkRegular(path); err != nil {
		return nil, err
	}
	return os.Open(path)
}
