package experiment

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/argmaxvae/argmaxvae/internal/cli"
	"github.com/argmaxvae/argmaxvae/internal/runfolder"
)

// execute runs a categorical spec in s.Out as cmd/categorical does.
func execute(t *testing.T, s Spec, resume bool) (Summary, error) {
	t.Helper()
	data, tr, err := setup(&s)
	if err != nil {
		t.Fatal(err)
	}
	return CategoricalRun(&s, data, tr, io.Discard, false).Execute(context.Background(), resume)
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Issue 18 items 1, 5 and 7 on the commands' path (Execute): a launch the
// lock refuses, a new run over a finished one and a failed resume write
// nothing; the refusals are usage errors naming the folder and what to
// do; a resume of a missing folder creates nothing.
func TestRunFolderRefusals(t *testing.T) {
	if testing.Short() {
		t.Skip("loads MNIST")
	}
	s := validSpec()
	s.Command, s.Limit, s.Threads, s.Out = "test", 200, 1, t.TempDir()
	if _, err := execute(t, s, false); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, f := range []string{CheckpointFile, BestFile, ConfigFile, SummaryFile, MetricsFile} {
		files[f] = read(t, filepath.Join(s.Out, f))
	}
	unchanged := func(what string) {
		t.Helper()
		for f, b := range files {
			if read(t, filepath.Join(s.Out, f)) != b {
				t.Errorf("%s: %s changed", what, f)
			}
		}
	}
	// 18.5: started again without -resume.
	_, err := execute(t, s, false)
	var u cli.UsageError
	if !errors.As(err, &u) || !strings.Contains(err.Error(), s.Out) || !strings.Contains(err.Error(), "-resume") {
		t.Errorf("new run over a finished one: %v", err)
	}
	unchanged("new run over a finished one")
	// 18.1: a second launch while the folder is in use (by our parent).
	lock := filepath.Join(s.Out, runfolder.LockFile)
	os.WriteFile(lock, []byte(strconv.Itoa(os.Getppid())+"\n"), 0o644)
	other := s
	other.LR, other.Epochs = 0.01, 2
	for _, resume := range []bool{false, true} {
		if _, err := execute(t, other, resume); err == nil || !strings.Contains(err.Error(), "in use by process") {
			t.Errorf("launch into a locked folder (resume %v): %v", resume, err)
		}
		unchanged("a launch the lock refused")
	}
	os.Remove(lock)
	// 18.7: a resume of another run is refused naming the field.
	if _, err := execute(t, other, true); !errors.As(err, &u) || !strings.Contains(err.Error(), "lr 0.001, asked 0.01") {
		t.Errorf("resume of another run: %v", err)
	}
	unchanged("a refused resume")
	// 18.7: a resume of a folder that does not exist.
	missing := s
	missing.Out = filepath.Join(t.TempDir(), "nothing")
	if _, err := execute(t, missing, true); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("resume of a missing folder: %v", err)
	}
	if _, err := os.Stat(missing.Out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("resume of a missing folder created it: %v", err)
	}
}

// Issue 18.9's last case: categorical -lr 1e9 diverged to a loss of 1e21
// and exited 0; now it stops with an error saying so, nothing committed
// past epoch 0.
func TestDivergedRunStops(t *testing.T) {
	if testing.Short() {
		t.Skip("loads MNIST")
	}
	s := validSpec()
	s.Command, s.Limit, s.Threads, s.Epochs, s.LR, s.Hidden, s.Batch, s.Out = "test", 1000, 1, 3, 1e9, 300, 100, t.TempDir()
	_, err := execute(t, s, false)
	if err == nil || !strings.Contains(err.Error(), "diverged") || !strings.Contains(err.Error(), "learning rate") {
		t.Fatalf("-lr 1e9: %v", err)
	}
	if m := read(t, filepath.Join(s.Out, MetricsFile)); strings.Count(m, "\n") != 1 {
		t.Errorf("metrics.csv of a diverged run has epochs:\n%s", m)
	}
}
