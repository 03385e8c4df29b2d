package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/argmaxvae/argmaxvae/internal/cli"
	"github.com/argmaxvae/argmaxvae/internal/cmdtest"
	"github.com/argmaxvae/argmaxvae/internal/semirun"
)

// TestBadFlagsRefusedBeforeData: every bad flag is a usage error naming it,
// returned before any data is read (the folder stays empty).
func TestBadFlagsRefusedBeforeData(t *testing.T) {
	for _, c := range []struct{ args, want string }{
		{"-data omniglot", "-data"},
		{"-estimator reinforce", "-estimator"},
		{"-labels 55", "multiple of 10"},
		{"-labels -10", "-labels"},
		{"-labels 60000", "50,000"},
		{"-epochs 0", "-epochs"},
		{"-lr NaN", "-lr"},
		{"-eps-sup 2", "-eps-sup"},
		{"-alpha -1", "-alpha"},
		{"-batch 0", "-batch"},
		{"-gaussian-dim 0", "-gaussian-dim"},
		// Issue 18 item 3: sizes whose model or steps cannot fit in memory
		// are refused before anything is allocated, naming the flag.
		{"-gaussian-dim 100000000", "-gaussian-dim"},
		{"-batch 100000000", "-batch"},
		// Not silently clamped: the labelled images added to a step come
		// from the -labels ones.
		{"-labels 20 -label-batch 30", "-label-batch 30"},
		// Issue 18 item 9: the bounds the other commands have.
		{"-threads 1000", "-threads"},
		{"-anneal +Inf", "-anneal"},
	} {
		dir := t.TempDir()
		var out, errb bytes.Buffer
		err := semirun.Run(context.Background(), append(strings.Fields(c.args), "-out", dir), &out, &errb)
		var u cli.UsageError
		if !errors.As(err, &u) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want a usage error naming %q", c.args, err, c.want)
		}
		if ents, _ := os.ReadDir(dir); len(ents) != 0 {
			t.Errorf("%s: %d files written", c.args, len(ents))
		}
	}
}

// A minibatch larger than the training images is refused (an epoch would
// have no step: at 6e61429 the run "trained" with a loss of 0), and
// nothing is written.
func TestBatchLargerThanData(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	var out, errb bytes.Buffer
	err := semirun.Run(context.Background(), []string{"-limit", "1000", "-batch", "2000", "-epochs", "1", "-out", dir}, &out, &errb)
	var u cli.UsageError
	if !errors.As(err, &u) || !strings.Contains(err.Error(), "-batch 2000") {
		t.Fatalf("-batch 2000 on 1,000 images: %v", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the refused run made its folder: %v", err)
	}
}

// TestRunAndResume trains one short epoch on 1,000 MNIST images, refuses a
// second fresh run in the same folder and a resume with other flags, and
// resumes with the same flags.
func TestRunAndResume(t *testing.T) {
	dir := t.TempDir()
	args := []string{"-data", "mnist", "-labels", "20", "-epochs", "1", "-limit", "1000", "-out", dir}
	var out, errb bytes.Buffer
	if err := semirun.Run(context.Background(), args, &out, &errb); err != nil {
		t.Fatalf("%v\n%s", err, errb.String())
	}
	if !strings.Contains(out.String(), "test accuracy") {
		t.Fatalf("output %q", out.String())
	}
	for _, f := range []string{semirun.MetricsFile, semirun.CurvesFile, semirun.Figure4File, "config.json", "checkpoint.bin", "summary.json"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	if err := semirun.Run(context.Background(), args, &out, &errb); err == nil || !strings.Contains(err.Error(), "-resume") {
		t.Fatalf("second run in a used folder: %v", err)
	}
	other := append(append([]string(nil), args...), "-resume", "-lr", "0.002")
	// Issue 18 item 8: the refusal names the field that differs (it
	// printed the whole config), and a resume may extend -epochs.
	if err := semirun.Run(context.Background(), other, &out, &errb); err == nil || !strings.Contains(err.Error(), "(lr 0.001, asked 0.002)") {
		t.Fatalf("resume with another -lr: %v", err)
	}
	more := []string{"-data", "mnist", "-labels", "20", "-epochs", "2", "-limit", "1000", "-out", dir, "-resume"}
	if err := semirun.Run(context.Background(), more, &out, &errb); err != nil {
		t.Fatalf("resume to 2 epochs: %v", err)
	}
	if s, ok, err := semirun.Finished(semirun.Config{}, dir); ok || err == nil {
		t.Errorf("Finished of another config: %v %v %v", s, ok, err)
	}
}

// Issue 18 item 2 on this command's path: the context cli.Main cancels on
// SIGINT or SIGTERM reaches the training (whose epochs, evaluations and
// likelihoods check it: train's ctx_test, semisup's cancel_test).
func TestCancelledRunStops(t *testing.T) {
	cmdtest.Cancelled(t, semirun.Run, "-limit", "1000", "-labels", "20", "-epochs", "1")
}
