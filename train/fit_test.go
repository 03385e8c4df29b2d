package train

import (
	"bytes"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/argmaxvae/argmaxvae/internal/driver"
	"github.com/argmaxvae/argmaxvae/internal/runfolder"
	"github.com/argmaxvae/argmaxvae/nn"
)

// fitFixture is a small run: 3 binary latents, 240 random images, batch 16,
// 6 epochs, direct (folded).
// With $ARGMAXVAE_FIT_ROWS set (the kill test's children) the training
// set has that many images instead.
func fitFixture(t testing.TB) (*Trainer, Data) {
	v := tinyVAE(t, 70, 10, 3, 2, false, false, "")
	tr, err := NewTrainer(v, &Direct{}, Options{LR: 1e-2, Batch: 16, Schedule: Schedule{Start: 1, Min: 0.1, Rate: 1e-3, Every: 5}, Seed: 71})
	if err != nil {
		t.Fatal(err)
	}
	rows := 240
	if n, err := strconv.Atoi(os.Getenv("ARGMAXVAE_FIT_ROWS")); err == nil {
		rows = n
	}
	return tr, Data{Train: randomImages(72, rows, 10), Valid: randomImages(73, 60, 10), Test: randomImages(74, 60, 10)}
}

// same compares two histories, NaN equal to NaN.
func same(a, b []Epoch) bool { return fmt.Sprint(a) == fmt.Sprint(b) }

// comparable strips the clock fields from a history.
func comparable(h []Epoch) []Epoch {
	out := make([]Epoch, len(h))
	for i, e := range h {
		e.Wall, e.SolverSeconds, e.EvalSeconds, e.TestLik.Seconds = 0, 0, 0, 0
		out[i] = e
	}
	return out
}

// historyOf returns the run history in dir's checkpoint.
func historyOf(t *testing.T, dir string) []Epoch {
	c, err := runfolder.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	var h []Epoch
	if err := gob.NewDecoder(bytes.NewReader(c.History)).Decode(&h); err != nil {
		t.Fatal(err)
	}
	return comparable(h)
}

// cancelAfter wraps an estimator and cancels a context after n steps: an
// interrupt in the middle of an epoch.
type cancelAfter struct {
	Estimator
	n      int
	cancel func()
}

func (c *cancelAfter) Step(ctx context.Context, v *VAE, x nn.Mat, r *rand.Rand, temp float64) (Stats, error) {
	if c.n--; c.n == 0 {
		c.cancel()
	}
	return c.Estimator.Step(context.Background(), v, x, r, temp)
}

// An interrupt in the middle of an epoch drops that epoch; resuming gives
// exactly the history of an uninterrupted run.
func TestFitInterruptMidEpochResumesExactly(t *testing.T) {
	ref, data := fitFixture(t)
	want, err := Fit(context.Background(), ref, data, Settings{Epochs: 6})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	tr, _ := fitFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	tr.est = &cancelAfter{Estimator: tr.est, n: 15*2 + 7, cancel: cancel} // 15 steps an epoch: stop inside epoch 3
	sum, err := Fit(ctx, tr, data, Settings{Epochs: 6, Dir: dir})
	if !errors.Is(err, context.Canceled) || !sum.Interrupted || sum.Epochs != 2 || tr.epoch != 2 {
		t.Fatalf("interrupted run: %+v, trainer at epoch %d, err %v; want 2 epochs and context.Canceled", sum, tr.epoch, err)
	}
	tr2, _ := fitFixture(t)
	got, err := Fit(context.Background(), tr2, data, Settings{Epochs: 6, Dir: dir, Resume: true})
	if err != nil {
		t.Fatal(err)
	}
	if got.FinalTest != want.FinalTest || got.BestEpoch != want.BestEpoch || !same(historyOf(t, dir), comparable(fitHistory(t, want, ref))) {
		t.Errorf("resumed run differs: final %v (best %d), uninterrupted %v (best %d)", got.FinalTest, got.BestEpoch, want.FinalTest, want.BestEpoch)
	}
}

// fitHistory reruns the reference to get its history through a recorder.
func fitHistory(t *testing.T, _ Summary, _ *Trainer) []Epoch {
	tr, data := fitFixture(t)
	var rec historyRecorder
	if _, err := Fit(context.Background(), tr, data, Settings{Epochs: 6}, &rec); err != nil {
		t.Fatal(err)
	}
	return rec.h
}

type historyRecorder struct{ h []Epoch }

func (r *historyRecorder) Start(h []Epoch) error         { r.h = append([]Epoch(nil), h...); return nil }
func (r *historyRecorder) Record(e Epoch) error          { r.h = append(r.h, e); return nil }
func (r *historyRecorder) Finish(Summary, []Epoch) error { return nil }

// A second Fit on a folder in use is refused, naming the process; a lock
// left by a dead process is taken over.
func TestFitLocksTheRunFolder(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, LockFile), []byte(strconv.Itoa(os.Getppid())+"\n"), 0o644)
	tr, data := fitFixture(t)
	if _, err := Fit(context.Background(), tr, data, Settings{Epochs: 1, Dir: dir}); err == nil || !errorContains(err, "in use by process") {
		t.Errorf("folder locked by a live process: err = %v", err)
	}
	os.WriteFile(filepath.Join(dir, LockFile), []byte("999999999\n"), 0o644)
	if _, err := Fit(context.Background(), tr, data, Settings{Epochs: 1, Dir: dir}); err != nil {
		t.Errorf("stale lock not taken over: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, LockFile)); !os.IsNotExist(err) {
		t.Errorf("lock not released: %v", err)
	}
}

func errorContains(err error, s string) bool { return err != nil && contains(err.Error(), s) }

func contains(a, b string) bool {
	return len(b) == 0 || (len(a) >= len(b) && (a[:len(b)] == b || contains(a[1:], b)))
}

// TestFitChild is the process the kill test starts and kills; it does
// nothing in a normal test run.
func TestFitChild(t *testing.T) {
	dir := os.Getenv("ARGMAXVAE_FIT_CHILD_DIR")
	if dir == "" {
		t.Skip("helper process of TestFitSurvivesKill")
	}
	driver.DieAt(os.Getenv("ARGMAXVAE_FIT_DIE_AT"))
	tr, data := fitFixture(t)
	_, err := os.Stat(filepath.Join(dir, CheckpointFile))
	if _, err := Fit(context.Background(), tr, data, Settings{Epochs: 6, Dir: dir, Resume: err == nil}); err != nil {
		t.Fatal(err)
	}
}

// Killing the training process at any moment — at random times, and
// exactly between the writes of an epoch's commit — leaves a folder that
// resumes, and the finished run's history equals an uninterrupted run's.
func TestFitSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills child processes")
	}
	t.Setenv("ARGMAXVAE_FIT_ROWS", "10000") // about 0.1 s an epoch: long enough to be killed mid-way
	want := comparable(fitHistory(t, Summary{}, nil))
	child := func(dir, dieAt string) *exec.Cmd {
		c := exec.Command(os.Args[0], "-test.run=^TestFitChild$", "-test.count=1")
		c.Env = append(os.Environ(), "ARGMAXVAE_FIT_CHILD_DIR="+dir, "ARGMAXVAE_FIT_DIE_AT="+dieAt)
		return c
	}
	// Exactly at the commit points.
	for _, at := range []string{"between best and checkpoint@1", "between best and checkpoint@3", "between checkpoint and recorders@2"} {
		dir := t.TempDir()
		if err := child(dir, at).Run(); err == nil {
			t.Fatalf("%s: the child did not die", at)
		}
		if err := child(dir, "").Run(); err != nil {
			t.Fatalf("%s: resume failed: %v", at, err)
		}
		if got := historyOf(t, dir); !same(got, want) {
			t.Errorf("%s: resumed history differs from an uninterrupted run", at)
		}
	}
	// At random moments: time one whole run, then kill -9 until eight
	// kills have landed, at random delays up to a quarter of that time
	// (each restart resumes), then let the run finish.
	start := time.Now()
	if err := child(t.TempDir(), "").Run(); err != nil {
		t.Fatal(err)
	}
	whole := time.Since(start)
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(1, 1))
	bound := whole / 4
	landed, progress := 0, []int{}
	// On a loaded machine a run can finish before its kill: then the
	// delays shrink, and a finished folder is checked and replaced.
	for try := 0; try < 24 && landed < 8; try++ {
		c := child(dir, "")
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(r.Int64N(int64(bound))))
		c.Process.Kill()
		if err := c.Wait(); err != nil {
			landed++ // killed while running
		} else {
			bound = max(bound/2, time.Millisecond)
		}
		if _, err := os.Stat(filepath.Join(dir, CheckpointFile)); err == nil {
			progress = append(progress, len(historyOf(t, dir)))
			if progress[len(progress)-1] == 6 {
				if got := historyOf(t, dir); !same(got, want) {
					t.Errorf("after kills: history differs from an uninterrupted run")
				}
				dir = t.TempDir()
			}
		}
	}
	if err := child(dir, "").Run(); err != nil {
		t.Fatalf("resume after %d kills failed: %v", landed, err)
	}
	t.Logf("a whole run takes %v; %d kills landed while it ran; epochs committed after each: %v", whole, landed, progress)
	if got := historyOf(t, dir); !same(got, want) {
		t.Errorf("after %d kills: history differs from an uninterrupted run", landed)
	}
	if landed < 2 {
		t.Errorf("only %d kills landed: the test did not test much", landed)
	}
}
