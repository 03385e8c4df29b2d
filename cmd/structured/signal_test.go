package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/argmaxvae/argmaxvae/internal/cmdtest"
)

// TestMain runs the command itself when the test binary is started as a
// helper process (STRUCTURED_ARGS holds its arguments as JSON).
func TestMain(m *testing.M) {
	if a := os.Getenv("STRUCTURED_ARGS"); a != "" {
		var args []string
		if err := json.Unmarshal([]byte(a), &args); err != nil {
			panic(err)
		}
		os.Args = append([]string{"structured"}, args...)
		main()
	}
	os.Exit(m.Run())
}

// Issue 18 item 2: SIGTERM during the evaluation (here the exact −log p(x)
// over 2²⁰ codes, minutes of work after a one-step epoch) ends the process
// within seconds, with status 130 and "interrupted": true in summary.json.
func TestSIGTERMDuringEvaluation(t *testing.T) {
	if testing.Short() {
		t.Skip("loads Fashion-MNIST")
	}
	out := filepath.Join(t.TempDir(), "run")
	args, _ := json.Marshal([]string{"-n", "20", "-kl-exact", "0", "-limit", "100", "-epochs", "1", "-threads", "1", "-out", out})
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "STRUCTURED_ARGS="+string(args))
	var stderr cmdtest.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	// The cost estimate is printed after the data are loaded, just before
	// the one-step epoch; a few seconds later the run is evaluating.
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(stderr.String(), "cost estimate") {
		select {
		case err := <-done:
			if strings.Contains(stderr.String(), "fashion") {
				t.Skip(stderr.String())
			}
			t.Fatalf("exited early (%v): %s", err, stderr.String())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("no cost estimate after a minute: %s", stderr.String())
		}
	}
	time.Sleep(3 * time.Second)
	select {
	case err := <-done:
		t.Fatalf("the evaluation finished before the signal (%v): make it longer; %s", err, stderr.String())
	default:
	}
	start := time.Now()
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Fatalf("still running 15 s after SIGTERM: %s", stderr.String())
	}
	t.Logf("ended %v after SIGTERM; stderr:\n%s", time.Since(start).Round(time.Millisecond), stderr.String())
	if code := cmd.ProcessState.ExitCode(); code != 130 {
		t.Errorf("exit status %d, want 130; %s", code, stderr.String())
	}
	var sum struct {
		Interrupted bool `json:"interrupted"`
	}
	b, err := os.ReadFile(filepath.Join(out, "summary.json"))
	if err != nil || json.Unmarshal(b, &sum) != nil || !sum.Interrupted {
		t.Errorf("summary.json %q (%v): want \"interrupted\": true", b, err)
	}
}
