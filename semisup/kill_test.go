package semisup

import (
	"context"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/argmaxvae/argmaxvae/internal/driver"
)

// killSettings is the run the kill test's children make: 8 epochs of the
// synthetic data, in dir.
func killSettings(dir string) Settings {
	_, err := os.Stat(filepath.Join(dir, "checkpoint.bin"))
	return Settings{Epochs: 8, Batch: 20, LabelBatch: 4, Seed: 5, LR: 3e-3, BoundValid: 50, BoundEvery: 1, Dir: dir, Resume: err == nil}
}

// TestRunChild is the process TestRunSurvivesKill starts and kills; it
// does nothing in a normal test run.
func TestRunChild(t *testing.T) {
	dir := os.Getenv("SEMISUP_CHILD_DIR")
	if dir == "" {
		t.Skip("helper process of TestRunSurvivesKill")
	}
	driver.DieAt(os.Getenv("SEMISUP_DIE_AT"))
	if _, err := Run(context.Background(), synthModel(t), Direct{}, synthData(t), killSettings(dir)); err != nil {
		t.Fatal(err)
	}
}

// Killing a semi-supervised run at any moment — at random times, and
// exactly between the writes of an epoch's commit — leaves a folder that
// resumes (through the same driver as train.Fit), and the finished run's
// history equals an uninterrupted run's.
func TestRunSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills child processes")
	}
	set := killSettings(t.TempDir())
	set.Dir, set.Resume = "", false
	want, err := Run(context.Background(), synthModel(t), Direct{}, synthData(t), set)
	if err != nil {
		t.Fatal(err)
	}
	child := func(dir, dieAt string) *exec.Cmd {
		c := exec.Command(os.Args[0], "-test.run=^TestRunChild$", "-test.count=1")
		c.Env = append(os.Environ(), "SEMISUP_CHILD_DIR="+dir, "SEMISUP_DIE_AT="+dieAt)
		return c
	}
	finished := func(dir string) []Row {
		h, err := Run(context.Background(), synthModel(t), Direct{}, synthData(t), killSettings(dir))
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		return h
	}
	for _, at := range []string{"between checkpoint and recorders@2", "between best and checkpoint@3"} {
		dir := t.TempDir()
		if err := child(dir, at).Run(); err == nil {
			t.Fatalf("%s: the child did not die", at)
		}
		if err := child(dir, "").Run(); err != nil {
			t.Fatalf("%s: resume failed: %v", at, err)
		}
		if got := finished(dir); !equalRows(strip(got), strip(want)) {
			t.Errorf("%s: resumed history differs from an uninterrupted run", at)
		}
	}
	start := time.Now()
	if err := child(t.TempDir(), "").Run(); err != nil {
		t.Fatal(err)
	}
	bound := time.Since(start) / 4
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(2, 2))
	landed := 0 // kills that landed while the run ran; a run that
	// finished first makes the delays shorter
	for try := 0; try < 24 && landed < 6; try++ {
		c := child(dir, "")
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(r.Int64N(int64(bound))))
		c.Process.Kill()
		if err := c.Wait(); err != nil {
			landed++
		} else {
			bound = max(bound/2, time.Millisecond)
		}
	}
	if got := finished(dir); !equalRows(strip(got), strip(want)) {
		t.Errorf("after %d kills: history differs from an uninterrupted run", landed)
	}
	if landed < 2 {
		t.Errorf("only %d kills landed: the test did not test much", landed)
	}
}
