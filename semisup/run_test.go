package semisup

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/argmaxvae/argmaxvae/internal/driver"
	"github.com/argmaxvae/argmaxvae/nn"
)

// synth returns a small labelled data set: class c lights up pixel block c
// plus noise, so that a classifier can learn it.
func synth(n int, seed uint64) (nn.Mat, []int) {
	const D, K = 16, 4
	r := rand.New(rand.NewPCG(seed, 1))
	x := nn.NewMat(n, D)
	y := make([]int, n)
	for i := 0; i < n; i++ {
		y[i] = i % K
		for d := 0; d < D; d++ {
			p := 0.1
			if d/4 == y[i] {
				p = 0.9
			}
			if r.Float64() < p {
				x.Set(i, d, 1)
			}
		}
	}
	return x, y
}

func synthData(t *testing.T) Data {
	t.Helper()
	tr, try := synth(400, 1)
	va, vay := synth(100, 2)
	te, tey := synth(100, 3)
	lab, err := Labelled(try, 4, 8, 9)
	if err != nil {
		t.Fatal(err)
	}
	return Data{Train: tr, Valid: va, Test: te, TrainLabels: try, ValidLabels: vay, TestLabels: tey, Labelled: lab}
}

func synthModel(t *testing.T) *Model {
	t.Helper()
	m, err := New(Sizes{D: 16, K: 4, C: 2, Hidden: 16, Base: 8, DiscHidden: 8, ContHidden: 4, ContMid: 6, DecHidden: 16}, rand.New(rand.NewPCG(4, 4)))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func strip(h []Row) []Row {
	out := append([]Row(nil), h...)
	for i := range out {
		out[i].Seconds, out[i].EvalSeconds = 0, 0
	}
	return out
}

// TestRunReproducibleAndResumable: the same seed gives the same history;
// a run stopped after 10 epochs and resumed to 20 equals a 20-epoch run; the
// run folder holds a readable checkpoint, metrics and figure.
func TestRunReproducibleAndResumable(t *testing.T) {
	data := synthData(t)
	set := Settings{Epochs: 20, Batch: 20, LabelBatch: 4, Seed: 5, LR: 3e-3, BoundValid: 50, BoundEvery: 1}
	full, err := Run(context.Background(), synthModel(t), Direct{}, data, set)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Run(context.Background(), synthModel(t), Direct{}, data, set)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := strip(full), strip(again); !equalRows(a, b) {
		t.Fatalf("same seed, different runs:\n%v\n%v", a, b)
	}
	dir := t.TempDir()
	s2 := set
	s2.Epochs, s2.Dir = 10, dir
	if _, err := Run(context.Background(), synthModel(t), Direct{}, data, s2); err != nil {
		t.Fatal(err)
	}
	s2.Epochs, s2.Resume = 20, true
	resumed, err := Run(context.Background(), synthModel(t), Direct{}, data, s2)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := strip(full), strip(resumed); !equalRows(a, b) {
		t.Fatalf("resumed run differs:\n%v\n%v", a, b)
	}
	if h, err := driver.History[Row](dir); err != nil || !equalRows(strip(h), strip(full)) {
		t.Errorf("the checkpoint's history: %v, %v", h, err)
	}
	// The supervised signal is learnt: the blocks make the classes easy
	// (0.91 measured; chance is 0.25).
	if acc := full[len(full)-1].TestAccArgmax; acc < 0.8 {
		t.Errorf("test accuracy %.2f after 20 epochs on separable data, want ≥ 0.8", acc)
	}
}

func equalRows(a, b []Row) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.Epoch != y.Epoch || x.TrainLoss != y.TrainLoss || x.ValidNELBO != y.ValidNELBO || x.TestAccArgmax != y.TestAccArgmax ||
			x.TestAccSample != y.TestAccSample || !(x.TestNELBO == y.TestNELBO || x.TestNELBO != x.TestNELBO && y.TestNELBO != y.TestNELBO) {
			return false
		}
	}
	return true
}

// TestRunCancelKeepsCommittedEpochs: a cancelled run returns the context's
// error and the epochs it finished; its folder resumes from the last
// committed epoch (here epoch 0, committed before training) to the run an
// uninterrupted one gives.
func TestRunCancelKeepsCommittedEpochs(t *testing.T) {
	data := synthData(t)
	set := Settings{Epochs: 2, Batch: 20, Seed: 3}
	want, err := Run(context.Background(), synthModel(t), GSM{}, data, set)
	if err != nil {
		t.Fatal(err)
	}
	set.Dir = t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if h, err := Run(ctx, synthModel(t), GSM{}, data, set); !errors.Is(err, context.Canceled) || len(h) != 0 {
		t.Fatalf("cancelled run: %d epochs, %v", len(h), err)
	}
	set.Resume = true
	got, err := Run(context.Background(), synthModel(t), GSM{}, data, set)
	if err != nil {
		t.Fatal(err)
	}
	if !equalRows(strip(got), strip(want)) {
		t.Fatalf("resumed run differs:\n%v\n%v", got, want)
	}
}

// A new run in a folder that holds one is refused, naming the folder and
// -resume; a resume may extend the epochs.
func TestRunRefusesToReplaceARun(t *testing.T) {
	data := synthData(t)
	dir := t.TempDir()
	set := Settings{Epochs: 1, Batch: 20, Dir: dir}
	if _, err := Run(context.Background(), synthModel(t), Direct{}, data, set); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(dir, "checkpoint.bin"))
	if _, err := Run(context.Background(), synthModel(t), Direct{}, data, set); err == nil ||
		!strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), "-resume") {
		t.Fatalf("second new run: %v", err)
	}
	if after, _ := os.ReadFile(filepath.Join(dir, "checkpoint.bin")); string(after) != string(before) {
		t.Fatal("the refused run changed the checkpoint")
	}
	set.Resume, set.Epochs = true, 2
	h, err := Run(context.Background(), synthModel(t), Direct{}, data, set)
	if err != nil || len(h) != 2 {
		t.Fatalf("resume to 2 epochs: %d epochs, %v", len(h), err)
	}
}

// TestDataCheckAndLabelled: bad data and impossible label requests are
// refused with errors naming the problem.
func TestDataCheckAndLabelled(t *testing.T) {
	data := synthData(t)
	bad := data
	bad.TestLabels = append([]int(nil), data.TestLabels...)
	bad.TestLabels[3] = 7
	if err := bad.Check(4, 16); err == nil || !strings.Contains(err.Error(), "test label 7") {
		t.Errorf("label out of range: %v", err)
	}
	if _, err := Labelled(data.TrainLabels, 4, 6, 1); err == nil || !strings.Contains(err.Error(), "multiple") {
		t.Errorf("6 labels over 4 classes: %v", err)
	}
	if _, err := Labelled(data.TrainLabels, 4, 404, 1); err == nil || !strings.Contains(err.Error(), "fewer") {
		t.Errorf("more labels than examples: %v", err)
	}
	lab, err := Labelled(data.TrainLabels, 4, 40, 3)
	if err != nil {
		t.Fatal(err)
	}
	count := make([]int, 4)
	seen := map[int]bool{}
	for _, i := range lab {
		count[data.TrainLabels[i]]++
		if seen[i] {
			t.Fatalf("index %d drawn twice", i)
		}
		seen[i] = true
	}
	for c, n := range count {
		if n != 10 {
			t.Errorf("class %d has %d labelled examples, want 10", c, n)
		}
	}
}

// TestMajorityMap maps clusters to their most frequent label.
func TestMajorityMap(t *testing.T) {
	assign := []int{0, 0, 0, 1, 1, 2}
	labels := []int{2, 2, 1, 0, 0, 1}
	mp := MajorityMap(assign, labels, 3)
	if mp[0] != 2 || mp[1] != 0 || mp[2] != 1 {
		t.Fatalf("map %v, want [2 0 1]", mp)
	}
	if a := Accuracy(assign, labels, mp); a != 5.0/6 {
		t.Fatalf("accuracy %g, want 5/6", a)
	}
}
