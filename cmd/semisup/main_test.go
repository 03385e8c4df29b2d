package main

import (
	"bytes"
	"context"
	"errors"
	"github.com/argmaxvae/argmaxvae/internal/cli"
	"strings"
	"testing"

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
	} {
		dir := t.TempDir()
		var out, errb bytes.Buffer
		err := semirun.Run(context.Background(), append(strings.Fields(c.args), "-out", dir), &out, &errb)
		var u cli.UsageError
		if !errors.As(err, &u) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want a usage error naming %q", c.args, err, c.want)
		}
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
	if err := semirun.Run(context.Background(), args, &out, &errb); err == nil || !strings.Contains(err.Error(), "-resume") {
		t.Fatalf("second run in a used folder: %v", err)
	}
	other := append(append([]string(nil), args...), "-resume", "-lr", "0.002")
	if err := semirun.Run(context.Background(), other, &out, &errb); err == nil || !strings.Contains(err.Error(), "different run") {
		t.Fatalf("resume with another -lr: %v", err)
	}
	more := []string{"-data", "mnist", "-labels", "20", "-epochs", "1", "-limit", "1000", "-out", dir, "-resume"}
	if err := semirun.Run(context.Background(), more, &out, &errb); err != nil {
		t.Fatalf("resume: %v", err)
	}
}
