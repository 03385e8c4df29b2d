package main

import (
	"bytes"
	"context"
	"errors"
	"github.com/argmaxvae/argmaxvae/internal/cli"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/argmaxvae/argmaxvae/dataset"
	"github.com/argmaxvae/argmaxvae/internal/experiment"
	"github.com/argmaxvae/argmaxvae/internal/runfolder"
	"github.com/argmaxvae/argmaxvae/nn"
	"github.com/argmaxvae/argmaxvae/report"
	"github.com/argmaxvae/argmaxvae/train"
)

func TestBadFlags(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{},
		{"-run", dir, "-images", "0"},
		{"-run", dir, "-scale", "0"},
		{"-run", filepath.Join(dir, "missing")},
		{"-run", dir}, // no config.json
		{"-run", dir, "extra"},
	} {
		err := run(context.Background(), args, io.Discard, io.Discard)
		var u cli.UsageError
		if !errors.As(err, &u) {
			t.Errorf("%q: err = %v, want a usage error", args, err)
		}
	}
}

// mnistRun writes a run folder of an untrained chain VAE on MNIST (from
// the Go module cache): config.json and best.bin, as a training command
// leaves them. It returns the folder and the VAE.
func mnistRun(t *testing.T) (string, *train.VAE) {
	t.Helper()
	dir := t.TempDir()
	s := &experiment.Spec{Command: "structured", Data: "mnist", Estimator: "direct", Epochs: 1, Eps0: 1, EpsMin: 0.1,
		N: 6, K: 3, Structure: "chain", Solver: "viterbi", Batch: 100, LR: 1e-3, Seed: 3, Hidden: 8, Threads: 1, Out: dir}
	v, err := buildVAE(s)
	if err != nil {
		t.Fatal(err)
	}
	if err := report.WriteJSON(filepath.Join(dir, experiment.ConfigFile), s); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := nn.Save(&buf, v.Params()); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, experiment.BestFile), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, v
}

// readCodes returns codes.csv's codes and labels.
func readCodes(t *testing.T, path string, n int) ([]int, []string) {
	t.Helper()
	header, rows, err := report.ReadCSV(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(header) != n+2 || header[0] != "index" || header[1] != "label" || header[2] != "z0" {
		t.Fatalf("codes.csv header %v", header)
	}
	var codes []int
	var labels []string
	for b, row := range rows {
		if row[0] != strconv.Itoa(b) {
			t.Fatalf("row %d has index %s", b, row[0])
		}
		labels = append(labels, row[1])
		for _, f := range row[2:] {
			s, err := strconv.Atoi(f)
			if err != nil {
				t.Fatal(err)
			}
			codes = append(codes, s)
		}
	}
	return codes, labels
}

// The command writes the codes of every test image, equal to the VAE's
// Encode, with the labels, and a picture of the traversals of the size the
// layout implies; from a checkpoint and config.json, and from a model file.
func TestCodesAndTraversals(t *testing.T) {
	dir, v := mnistRun(t)
	sp, err := dataset.Load("mnist", dataset.Options{})
	if err != nil {
		t.Skip(err)
	}
	x := nn.Mat{Rows: sp.Test.N, Cols: sp.Test.D, Data: sp.Test.X}
	want, err := v.Encode(t.Context(), x)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "latents")
	var stdout bytes.Buffer
	if err := run(context.Background(), []string{"-run", dir, "-out", out, "-images", "2", "-scale", "1", "-threads", "1"}, &stdout, io.Discard); err != nil {
		t.Fatal(err)
	}
	codes, labels := readCodes(t, filepath.Join(out, CodesFile), 6)
	if !slices.Equal(codes, want) {
		t.Fatal("codes.csv differs from Encode")
	}
	if labels[0] != strconv.Itoa(sp.Test.Labels[0]) || len(labels) != sp.Test.N {
		t.Errorf("labels: %d rows, first %q, want %d rows, first %d", len(labels), labels[0], sp.Test.N, sp.Test.Labels[0])
	}
	// 6 latents ≥ 3 states: 2 + 6 columns; 2 images × 3 states + a gap row.
	if w, h := pngSize(t, filepath.Join(out, TraversalsFile)); w != 8*28+7 || h != 7*28+6 {
		t.Errorf("traversals.png is %d×%d, want %d×%d", w, h, 8*28+7, 7*28+6)
	}
	// The exported model file encodes as the run's model does.
	f, err := os.Open(filepath.Join(out, train.ModelFile))
	if err != nil {
		t.Fatal(err)
	}
	exported, err := train.ReadModel(f, train.ModelOptions{})
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if z, err := exported.Encode(t.Context(), x); err != nil || !slices.Equal(z, want) {
		t.Errorf("the exported model.bin encodes differently (%v)", err)
	}
	if !strings.Contains(stdout.String(), "10000 codes") {
		t.Errorf("stdout %q", stdout.String())
	}

	// A model file in the folder is preferred, and gives the same codes.
	var buf bytes.Buffer
	if err := v.WriteModel(&buf); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, train.ModelFile), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(dir, experiment.BestFile))
	out2 := filepath.Join(t.TempDir(), "latents")
	if err := run(context.Background(), []string{"-run", dir, "-out", out2, "-images", "2", "-latents", "2", "-scale", "1"}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	// 2 latents shown < 3 states: 2 + 3 columns; 2 images × 2 latents + a gap row.
	if w, h := pngSize(t, filepath.Join(out2, TraversalsFile)); w != 5*28+4 || h != 5*28+4 {
		t.Errorf("traversals.png with -latents 2 is %d×%d, want %d×%d", w, h, 5*28+4, 5*28+4)
	}
	if codes2, _ := readCodes(t, filepath.Join(out2, CodesFile), 6); !slices.Equal(codes2, want) {
		t.Error("codes from model.bin differ from Encode")
	}
	// A cancelled context stops the encoding.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := run(ctx, []string{"-run", dir, "-out", out2}, io.Discard, io.Discard); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	// -images beyond the test set, or a picture beyond report's size, is
	// a usage error before the test set is encoded or anything written
	// (the first was clamped, the second failed after the encoding).
	for _, c := range [][2]string{{"100000", "-images 100000: more than the"}, {"2000", "is too large"}} {
		out3 := filepath.Join(t.TempDir(), "none")
		err := run(context.Background(), []string{"-run", dir, "-out", out3, "-images", c[0]}, io.Discard, io.Discard)
		if !cli.IsUsage(err) || !strings.Contains(err.Error(), c[1]) {
			t.Errorf("-images %s: %v, want a usage error with %q", c[0], err, c[1])
		}
		if _, err := os.Stat(out3); err == nil {
			t.Errorf("-images %s: wrote %s", c[0], out3)
		}
	}
}

// A checkpoint of other networks than config.json describes is refused,
// naming the parameter.
func TestMismatchedCheckpoint(t *testing.T) {
	dir, _ := mnistRun(t)
	if _, err := dataset.Load("mnist", dataset.Options{}); err != nil {
		t.Skip(err)
	}
	s := &experiment.Spec{Data: "mnist", Estimator: "direct", Epochs: 1, Eps0: 1, EpsMin: 0.1,
		N: 6, K: 3, Structure: "chain", Batch: 100, LR: 1e-3, Seed: 3, Hidden: 9, Threads: 1}
	other, err := buildVAE(s)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := nn.Save(&buf, other.Params()); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "other.bin"), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	err = run(context.Background(), []string{"-run", dir, "-model", "other.bin", "-out", t.TempDir()}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "encoder.l1") {
		t.Errorf("mismatched checkpoint: %v", err)
	}
}

// pngSize returns the width and height of a PNG file.
func pngSize(t *testing.T, path string) (int, int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img.Bounds().Dx(), img.Bounds().Dy()
}

// buildVAE checks s and builds its model for 784-pixel images.
func buildVAE(s *experiment.Spec) (*train.VAE, error) {
	b, err := experiment.Check(s, nil)
	if err != nil {
		return nil, err
	}
	return b.VAE(784)
}

// Folders and models latents cannot read are refused before any data set
// is read (here none can be: the data set's variable names a missing
// folder), each naming the problem.
func TestRefusedBeforeTheData(t *testing.T) {
	t.Setenv("ARGMAXVAE_MNIST", filepath.Join(t.TempDir(), "no-data"))
	dir, v := mnistRun(t)
	var state bytes.Buffer
	if err := nn.Save(&state, v.Params()); err != nil {
		t.Fatal(err)
	}
	started := t.TempDir() // a run whose first epoch is not done
	cfg, _ := os.ReadFile(filepath.Join(dir, experiment.ConfigFile))
	os.WriteFile(filepath.Join(started, experiment.ConfigFile), cfg, 0o644)
	if err := runfolder.Commit(started, runfolder.Checkpoint{State: state.Bytes(), BestIndex: -1}); err != nil {
		t.Fatal(err)
	}
	semi := t.TempDir()
	os.WriteFile(filepath.Join(semi, experiment.ConfigFile), []byte(`{"command": "semisup", "data": "mnist", "labels": 100}`), 0o644)
	legacy := t.TempDir()
	os.WriteFile(filepath.Join(legacy, experiment.ConfigFile), []byte(`{"data": "mnist", "labels": 100}`), 0o644)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-run", semi}, "describes a run of semisup"},
		{[]string{"-run", legacy}, "names no command or structure"},
		{[]string{"-run", dir, "-out", dir}, "is the run folder itself"},
		{[]string{"-run", dir, "-out", dir + string(filepath.Separator)}, "is the run folder itself"},
		{[]string{"-run", dir, "-model", "/dev/zero"}, "/dev/zero is a device, not a regular file"},
		{[]string{"-run", dir, "-model", "."}, "is a folder, not a file"},
		{[]string{"-run", dir, "-model", filepath.Join(dir, "missing.bin")}, filepath.Join(dir, "missing.bin") + ": no such file"},
		{[]string{"-run", started}, "no epoch trained yet"},
	} {
		err := run(context.Background(), append(c.args[:len(c.args):len(c.args)], "-threads", "1"), io.Discard, io.Discard)
		if !cli.IsUsage(err) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v; want a usage error with %q", c.args, err, c.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "latents")); err == nil {
		t.Error("a refused command made its output folder")
	}
}
