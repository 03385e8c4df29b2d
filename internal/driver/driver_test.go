package driver

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/argmaxvae/argmaxvae/internal/runfolder"
)

// rec is the toy model's epoch record.
type rec struct {
	Epoch       int
	Loss, Valid float64
}

// toy is a deterministic model: its state is an epoch count and a value
// w; an epoch changes w, the validation score goes down and up so the
// best epoch is not the last. Cancel, if set, is called at step Cancel
// of TrainEpoch (an interrupt) or in Evaluate when CancelEval is set.
type toy struct {
	epoch      int
	w          float64
	lossScale  float64
	cancelAt   int // cancel in the TrainEpoch of this epoch (1-based), 0: never
	cancelEval bool
	cancel     func()
}

func (m *toy) Epoch() int { return m.epoch }

func (m *toy) TrainEpoch(ctx context.Context, h []rec) (rec, error) {
	m.w = m.w*0.7 + float64(m.epoch+1)
	if m.cancelAt == m.epoch+1 && !m.cancelEval {
		m.cancel()
	}
	if err := ctx.Err(); err != nil {
		return rec{}, err // w changed: the driver must put it back
	}
	m.epoch++
	scale := m.lossScale
	if scale == 0 {
		scale = 1
	}
	return rec{Epoch: m.epoch, Loss: scale * m.w}, nil
}

func (m *toy) Evaluate(ctx context.Context, e *rec) error {
	if m.cancelEval && m.cancelAt == m.epoch {
		m.cancel()
		return ctx.Err()
	}
	e.Valid = math.Abs(float64(m.epoch) - 2.2) // best at epoch 2
	return nil
}

func (m *toy) MarshalBinary() ([]byte, error) {
	b := binary.LittleEndian.AppendUint64(nil, uint64(m.epoch))
	return binary.LittleEndian.AppendUint64(b, math.Float64bits(m.w)), nil
}

func (m *toy) UnmarshalBinary(b []byte) error {
	if len(b) != 16 {
		return fmt.Errorf("toy state of %d bytes", len(b))
	}
	m.epoch, m.w = int(binary.LittleEndian.Uint64(b)), math.Float64frombits(binary.LittleEndian.Uint64(b[8:]))
	return nil
}

type cfg struct {
	Seed   int `json:"seed"`
	Epochs int `json:"epochs"`
}

func settings(dir string, epochs int) Settings[rec] {
	return Settings[rec]{Epochs: epochs, Dir: dir, Config: cfg{1, epochs}, Free: []string{"epochs"},
		Score: func(e rec) float64 { return e.Valid }, Loss: func(e rec) float64 { return e.Loss }, MaxLoss: 1e6,
		Log: &bytes.Buffer{}}
}

func uninterrupted(t *testing.T, epochs int) Result[rec] {
	t.Helper()
	res, err := Run(context.Background(), &toy{}, settings("", epochs))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func same(a, b Result[rec]) bool {
	return fmt.Sprint(a.History, a.BestIndex, a.Best) == fmt.Sprint(b.History, b.BestIndex, b.Best)
}

// Interrupted in training or in evaluation, and resumed with more epochs,
// a run equals an uninterrupted one; the model is put back to the last
// completed epoch.
func TestInterruptAndResumeEqualUninterrupted(t *testing.T) {
	want := uninterrupted(t, 5)
	for _, eval := range []bool{false, true} {
		dir := t.TempDir()
		ctx, cancel := context.WithCancel(context.Background())
		m := &toy{cancelAt: 3, cancelEval: eval, cancel: cancel}
		res, err := Run(ctx, m, settings(dir, 5))
		if !errors.Is(err, context.Canceled) || !res.Interrupted || len(res.History) != 2 || m.epoch != 2 {
			t.Fatalf("eval %v: interrupted run: %d epochs, model at %d, %v", eval, len(res.History), m.epoch, err)
		}
		if _, err := Run(context.Background(), &toy{}, func() Settings[rec] { s := settings(dir, 4); s.Resume = true; return s }()); err != nil {
			t.Fatal(err)
		}
		s := settings(dir, 5)
		s.Resume = true
		got, err := Run(context.Background(), &toy{}, s)
		if err != nil {
			t.Fatal(err)
		}
		if !same(got, want) {
			t.Errorf("eval %v: resumed %v, uninterrupted %v", eval, got, want)
		}
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Issue 18.1: a launch the lock refuses writes nothing, config.json
// included.
func TestLockedFolderIsNotWritten(t *testing.T) {
	dir := t.TempDir()
	if _, err := Run(context.Background(), &toy{}, settings(dir, 2)); err != nil {
		t.Fatal(err)
	}
	before := readFile(t, filepath.Join(dir, runfolder.ConfigFile))
	os.WriteFile(filepath.Join(dir, runfolder.LockFile), []byte(strconv.Itoa(os.Getppid())+"\n"), 0o644)
	for _, resume := range []bool{false, true} {
		s := settings(dir, 3)
		s.Config, s.Resume = cfg{2, 3}, resume
		if _, err := Run(context.Background(), &toy{}, s); err == nil || !strings.Contains(err.Error(), "in use by process") {
			t.Fatalf("resume %v: err %v", resume, err)
		}
		if after := readFile(t, filepath.Join(dir, runfolder.ConfigFile)); after != before {
			t.Errorf("resume %v: the refused launch rewrote config.json:\n%s", resume, after)
		}
	}
}

// Issue 18.5: a new run in a folder that holds one is refused, naming
// the folder and -resume, and changes nothing.
func TestNewRunDoesNotReplaceARun(t *testing.T) {
	dir := t.TempDir()
	if _, err := Run(context.Background(), &toy{}, settings(dir, 3)); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, f := range []string{runfolder.CheckpointFile, runfolder.BestFile, runfolder.ConfigFile} {
		files[f] = readFile(t, filepath.Join(dir, f))
	}
	_, err := Run(context.Background(), &toy{}, settings(dir, 3))
	if !errors.Is(err, runfolder.ErrRefused) || !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), "-resume") ||
		!strings.Contains(err.Error(), "3 epochs") {
		t.Fatalf("new run over a finished one: %v", err)
	}
	for f, b := range files {
		if readFile(t, filepath.Join(dir, f)) != b {
			t.Errorf("%s changed", f)
		}
	}
	// A damaged checkpoint cannot be resumed either: the refusal says so
	// and says to remove the folder, instead of sending the user to
	// -resume (which refuses it and said "train again").
	ckpt := filepath.Join(dir, runfolder.CheckpointFile)
	damaged := files[runfolder.CheckpointFile][:20]
	os.WriteFile(ckpt, []byte(damaged), 0o644)
	_, err = Run(context.Background(), &toy{}, settings(dir, 3))
	if !errors.Is(err, runfolder.ErrRefused) || !strings.Contains(err.Error(), "cannot be resumed") || !strings.Contains(err.Error(), "remove the folder") ||
		strings.Contains(err.Error(), "-resume") {
		t.Errorf("new run over a damaged checkpoint: %v", err)
	}
	if readFile(t, ckpt) != damaged {
		t.Error("the damaged checkpoint changed")
	}
}

// Issue 18.6: a missing, damaged or stale best.bin is found at resume,
// before training, and rewritten from the checkpoint, which keeps the
// best state; the run then finishes as an uninterrupted one.
func TestBestStateRecovered(t *testing.T) {
	want := uninterrupted(t, 5)
	for _, damage := range []string{"missing", "damaged", "stale"} {
		dir := t.TempDir()
		if _, err := Run(context.Background(), &toy{}, settings(dir, 4)); err != nil { // best: epoch 2
			t.Fatal(err)
		}
		best := filepath.Join(dir, runfolder.BestFile)
		switch damage {
		case "missing":
			os.Remove(best)
		case "damaged":
			os.WriteFile(best, []byte("garbage"), 0o644)
		case "stale":
			b, _ := (&toy{epoch: 4, w: 1}).MarshalBinary()
			os.WriteFile(best, b, 0o644)
		}
		s := settings(dir, 5)
		s.Resume = true
		var log bytes.Buffer
		s.Log = &log
		trained := false
		s.Finish = func(r Result[rec]) error {
			trained = true
			if got := readFile(t, best); got != string(want.Best) {
				t.Errorf("%s: best.bin not restored before the end", damage)
			}
			return nil
		}
		got, err := Run(context.Background(), &toy{}, s)
		if err != nil || !trained {
			t.Fatalf("%s: %v", damage, err)
		}
		if !same(got, want) {
			t.Errorf("%s: %v, want %v", damage, got, want)
		}
		if !strings.Contains(log.String(), "rewritten from") || !strings.Contains(log.String(), "epoch 2") {
			t.Errorf("%s: note %q", damage, log.String())
		}
	}
}

// Issue 18.7: a full disk during a commit fails the run with the write's
// error, leaves no temporary file, keeps the previous epoch's checkpoint
// (which resumes to the uninterrupted run), at whatever byte it fails.
func TestDiskFullDuringCommit(t *testing.T) {
	want := uninterrupted(t, 5)
	for budget := int64(0); budget < 700; budget += 23 {
		dir := t.TempDir()
		restore := runfolder.FailWritesAfter(budget)
		_, err := Run(context.Background(), &toy{}, settings(dir, 5))
		restore()
		if err == nil {
			continue // the budget sufficed
		}
		if !errors.Is(err, runfolder.ErrDiskFull) {
			t.Fatalf("budget %d: %v", budget, err)
		}
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.Contains(e.Name(), ".tmp") {
				t.Errorf("budget %d: %s left", budget, e.Name())
			}
		}
		if _, err := os.Stat(filepath.Join(dir, runfolder.CheckpointFile)); err != nil {
			continue // failed before the first commit: nothing to resume
		}
		s := settings(dir, 5)
		s.Resume = true
		got, err := Run(context.Background(), &toy{}, s)
		if err != nil {
			t.Fatalf("budget %d: resume: %v", budget, err)
		}
		if !same(got, want) {
			t.Errorf("budget %d: resumed %v, want %v", budget, got, want)
		}
	}
}

// Issue 18.7: a resume that fails — a different run, a damaged or old
// checkpoint — rewrites nothing; a resume of a folder that does not
// exist creates nothing.
func TestFailedResumeWritesNothing(t *testing.T) {
	dir := t.TempDir()
	if _, err := Run(context.Background(), &toy{}, settings(dir, 2)); err != nil {
		t.Fatal(err)
	}
	config := readFile(t, filepath.Join(dir, runfolder.ConfigFile))
	ckpt := filepath.Join(dir, runfolder.CheckpointFile)
	good := readFile(t, ckpt)
	for name, c := range map[string]struct {
		ckpt string
		cfg  cfg
		want string
	}{
		"different run": {good, cfg{7, 3}, "seed 1, asked 7"},
		"damaged":       {good[:len(good)-3], cfg{1, 3}, "damaged"},
		"old format":    {"ARGMAXNN" + good[8:], cfg{1, 3}, "older version"},
		// -resume -epochs 1 of a 2-epoch run trained nothing and rewrote
		// config.json with "epochs": 1 beside a summary of 2 epochs.
		"fewer epochs": {good, cfg{1, 1}, "holds 2 epochs, more than the 1 asked"},
	} {
		os.WriteFile(ckpt, []byte(c.ckpt), 0o644)
		s := settings(dir, c.cfg.Epochs)
		s.Resume, s.Config = true, c.cfg
		if _, err := Run(context.Background(), &toy{}, s); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v", name, err)
		}
		if readFile(t, filepath.Join(dir, runfolder.ConfigFile)) != config {
			t.Errorf("%s: config.json rewritten", name)
		}
	}
	missing := filepath.Join(t.TempDir(), "nothing")
	s := settings(missing, 3)
	s.Resume = true
	if _, err := Run(context.Background(), &toy{}, s); !errors.Is(err, runfolder.ErrRefused) || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("resume of a missing folder: %v", err)
	}
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("resume of a missing folder created it: %v", err)
	}
}

// A training loss that is not finite or above MaxLoss stops the run with
// an error saying it diverged, before the epoch is committed.
func TestDivergenceStops(t *testing.T) {
	for _, scale := range []float64{1e7, math.Inf(1), math.NaN()} {
		dir := t.TempDir()
		res, err := Run(context.Background(), &toy{lossScale: scale}, settings(dir, 3))
		if err == nil || !strings.Contains(err.Error(), "diverged") || !strings.Contains(err.Error(), "learning rate") || len(res.History) != 0 {
			t.Errorf("loss scale %v: %d epochs, %v", scale, len(res.History), err)
		}
	}
}

// History reads back the committed history of a run folder, and says
// when there is none.
func TestHistory(t *testing.T) {
	dir := t.TempDir()
	res, err := Run(context.Background(), &toy{}, settings(dir, 3))
	if err != nil {
		t.Fatal(err)
	}
	h, err := History[rec](dir)
	if err != nil || fmt.Sprint(h) != fmt.Sprint(res.History) {
		t.Errorf("History = %v, %v; want %v", h, err, res.History)
	}
	if _, err := History[rec](t.TempDir()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("empty folder: %v", err)
	}
}

// A run folder that cannot be made (its parent is a file) is an error
// naming the folder.
func TestFolderThatCannotBeMade(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, []byte("x"), 0o644)
	dir := filepath.Join(file, "run")
	if _, err := Run(context.Background(), &toy{}, settings(dir, 1)); err == nil || !strings.Contains(err.Error(), "cannot make the run folder "+dir) {
		t.Errorf("run under a file: %v", err)
	}
}
