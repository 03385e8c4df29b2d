package dataset

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A data file that is a FIFO, a device or a folder is refused before it
// is opened, for every data set: before, a FIFO blocked the load forever
// (until someone wrote to it) and /dev/zero was parsed as data.
func TestDataFileNotRegular(t *testing.T) {
	files := map[string]string{"mnist": trainImagesFile, "fashion": trainImagesFile,
		"binarized-mnist": "binarized_mnist_train.amat", "omniglot": omniglotBackgroundNPZ}
	for name, file := range files {
		for _, kind := range []string{"fifo", "device", "folder"} {
			dir := t.TempDir()
			path := filepath.Join(dir, file)
			var err error
			switch kind {
			case "fifo":
				err = syscall.Mkfifo(path, 0o644)
			case "device":
				err = os.Symlink("/dev/zero", path)
			case "folder":
				err = os.Mkdir(path, 0o755)
			}
			if err != nil {
				t.Skip(kind, err)
			}
			done := make(chan error, 1)
			go func() { _, err := Load(name, Options{Dir: dir}); done <- err }()
			select {
			case err = <-done:
			case <-time.After(30 * time.Second): // a blocked open never returns
				os.WriteFile(path, nil, 0) // unblock it (a writer opens the FIFO)
				t.Fatalf("%s with a %s for %s: still loading after 30 s", name, kind, file)
			}
			if err == nil || !strings.Contains(err.Error(), "not a regular file") {
				t.Errorf("%s with a %s for %s: %v; want \"not a regular file\"", name, kind, file, err)
			}
		}
	}
}
