package main

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Issue 18 item 2 on this command's path: the context cli.Main cancels on
// SIGINT or SIGTERM reaches the training (train.Fit or semisup.Run, whose
// epochs, evaluations and likelihoods check it: train's and semisup's
// cancel tests): a cancelled run stops before training an epoch, returns
// context.Canceled, and what it wrote says it was interrupted.
func TestCancelledRunStops(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a data set")
	}
	out := filepath.Join(t.TempDir(), "out")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := run(ctx, []string{"-limit", "200", "-epochs", "3", "-threads", "1", "-out", out}, io.Discard, io.Discard)
	if err != nil && strings.Contains(err.Error(), "fashion") {
		t.Skip(err)
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
	var summaries []string
	filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Name() == "summary.json" {
			b, _ := os.ReadFile(p)
			summaries = append(summaries, string(b))
		}
		return nil
	})
	if len(summaries) != 1 || !strings.Contains(summaries[0], `"interrupted": true`) || !strings.Contains(summaries[0], `"epochs": 0`) {
		t.Errorf("summary.json: %q, want one saying interrupted after 0 epochs", summaries)
	}
}
