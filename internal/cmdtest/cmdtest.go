// Package cmdtest holds what the commands' tests share: [Cancelled] runs
// a command's run function under a cancelled context, as cli.Main's first
// SIGINT or SIGTERM leaves it, and checks that it stops; [Buffer] collects
// a child process's output while the test reads it. Only tests import it.
package cmdtest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Run is a command's run function (cli.Main's argument).
type Run func(ctx context.Context, args []string, stdout, stderr io.Writer) error

// Cancelled runs run with args and -out in a fresh folder under a
// cancelled context, and fails t unless it returns context.Canceled and
// no summary.json under the folder records a finished run. It returns
// the summaries written (an interrupted run writes one). A run that
// cannot load Fashion-MNIST skips t.
func Cancelled(t *testing.T, run Run, args ...string) (summaries []string) {
	t.Helper()
	if testing.Short() {
		t.Skip("loads a data set")
	}
	out := filepath.Join(t.TempDir(), "out")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := run(ctx, append(args, "-out", out), io.Discard, io.Discard)
	if err != nil && strings.Contains(err.Error(), "fashion") {
		t.Skip(err)
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
	filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Name() == "summary.json" {
			b, _ := os.ReadFile(p)
			summaries = append(summaries, string(b))
			if !strings.Contains(string(b), `"interrupted": true`) {
				t.Errorf("%s records a finished run after the cancel: %s", p, b)
			}
		}
		return nil
	})
	return summaries
}

// Buffer is a bytes.Buffer that a child process writes (exec.Cmd's Stdout
// or Stderr) while the test reads it.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *Buffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *Buffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
