package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestStatus(t *testing.T) {
	for _, c := range []struct {
		err  error
		want int
	}{
		{nil, 0},
		{flag.ErrHelp, 0},
		{Usagef("-n %d", 0), 2},
		{fmt.Errorf("cell 3: %w", Usage(errors.New("bad"))), 2},
		{fmt.Errorf("epoch 2: %w", context.Canceled), 130},
		{errors.New("disk full"), 1},
	} {
		if got := Status(c.err); got != c.want {
			t.Errorf("Status(%v) = %d, want %d", c.err, got, c.want)
		}
	}
	var b bytes.Buffer
	if Report("cmd", Usagef("-x 3: want ≤ 2"), &b) != 2 || b.String() != "cmd: -x 3: want ≤ 2\n" {
		t.Errorf("Report wrote %q", b.String())
	}
}

func TestLists(t *testing.T) {
	fs := NewFlagSet("t", io.Discard)
	ks := Ints(fs, "k", []int{10, 20}, 2, 100, "")
	seeds := Uint64s(fs, "seeds", []uint64{1}, "")
	eps := Floats(fs, "eps", []float64{1}, Positive, "")
	names := Strings(fs, "names", []string{"a"}, "")
	if err := Parse(fs, []string{"-k", "3, 4,,5", "-eps", "0.5,2", "-names", "x,y"}); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(*ks, *seeds, *eps, *names) != "[3 4 5] [1] [0.5 2] [x y]" {
		t.Errorf("got %v %v %v %v", *ks, *seeds, *eps, *names)
	}
	for _, args := range [][]string{
		{"-k", "1"}, {"-k", "3,3"}, {"-seeds", "1,2,1"}, {"-names", "x,y,x"}, {"-k", "x"}, {"-k", ","}, {"-seeds", "-1"}, {"-eps", "0"}, {"-eps", "NaN"}, {"-eps", "inf"}, {"-names", ""}, {"extra"},
	} {
		fs := NewFlagSet("t", io.Discard)
		Ints(fs, "k", nil, 2, 100, "")
		Uint64s(fs, "seeds", nil, "")
		Floats(fs, "eps", nil, Positive, "")
		Strings(fs, "names", nil, "")
		if err := Parse(fs, args); !IsUsage(err) {
			t.Errorf("%q: err %v, want a usage error", args, err)
		}
	}
}

// A list that MayBeEmpty allows takes "" as the empty list; the others
// still refuse it.
func TestMayBeEmpty(t *testing.T) {
	fs := NewFlagSet("t", io.Discard)
	opt := Strings(fs, "opt", []string{"a", "b"}, "")
	req := Strings(fs, "req", []string{"c"}, "")
	MayBeEmpty(fs, "opt")
	if err := Parse(fs, []string{"-opt", ""}); err != nil || len(*opt) != 0 || len(*req) != 1 {
		t.Errorf("-opt \"\": err %v, opt %q, req %q", err, *opt, *req)
	}
	if err := Parse(fs, []string{"-req", " , "}); !IsUsage(err) {
		t.Errorf("-req \" , \": err %v, want a usage error", err)
	}
	defer func() {
		if recover() == nil {
			t.Error("MayBeEmpty of a flag that is not a list did not panic")
		}
	}()
	fs.Int("n", 0, "")
	MayBeEmpty(fs, "n")
}

func TestIntIn(t *testing.T) {
	var n int
	fs := NewFlagSet("t", io.Discard)
	IntIn(fs, &n, "n", 5, 1, 10, "why", "")
	if n != 5 {
		t.Fatalf("default %d", n)
	}
	err := Parse(fs, []string{"-n", "11"})
	if !IsUsage(err) || !strings.Contains(err.Error(), "-n") || !strings.Contains(err.Error(), "want 1 to 10 (why)") {
		t.Errorf("-n 11: %v", err)
	}
	var th int
	fs = NewFlagSet("t", io.Discard)
	Threads(fs, &th)
	if err := Parse(fs, []string{"-threads", strconv.Itoa(MaxThreads + 1)}); !IsUsage(err) || !strings.Contains(err.Error(), "-threads") {
		t.Errorf("-threads beyond MaxThreads: %v", err)
	}
	// More threads than this machine's CPUs repeat a run made on a larger
	// machine: allowed.
	if err := Parse(fs, []string{"-threads", strconv.Itoa(runtime.NumCPU() + 1)}); err != nil || th != runtime.NumCPU()+1 {
		t.Errorf("-threads beyond the CPUs: %v (%d)", err, th)
	}
	if ResolveThreads(0) != runtime.NumCPU() || ResolveThreads(1) != 1 {
		t.Error("ResolveThreads")
	}
}

// The helper process: a command that ignores cancellation (it stands for
// work that does not look at its context), so that only the second signal
// can end it.
func TestMain(m *testing.M) {
	if os.Getenv("CLI_TEST_HELPER") == "stubborn" {
		Main("stubborn", func(ctx context.Context, _ []string, stdout, _ io.Writer) error {
			fmt.Fprintln(stdout, "ready")
			<-ctx.Done()
			fmt.Fprintln(stdout, "cancelled")
			time.Sleep(time.Minute)
			return nil
		})
	}
	if os.Getenv("CLI_TEST_HELPER") == "polite" {
		Main("polite", func(ctx context.Context, _ []string, stdout, _ io.Writer) error {
			fmt.Fprintln(stdout, "ready")
			<-ctx.Done()
			return fmt.Errorf("stopped: %w", ctx.Err())
		})
	}
	if os.Getenv("CLI_TEST_HELPER") == "printer" {
		Main("printer", func(ctx context.Context, _ []string, stdout, _ io.Writer) error {
			fmt.Fprintln(stdout, "the result")
			return nil
		})
	}
	os.Exit(m.Run())
}

// helper starts this test binary as the helper command kind and waits for
// it to say it is ready.
func helper(t *testing.T, kind string) (*exec.Cmd, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "CLI_TEST_HELPER="+kind)
	var out, errb bytes.Buffer
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = io.MultiWriter(&out, pw), &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan struct{})
	go func() {
		buf := make([]byte, 64)
		pr.Read(buf)
		close(ready)
		io.Copy(io.Discard, pr)
	}()
	select {
	case <-ready:
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatal("helper did not start")
	}
	t.Cleanup(func() { pw.Close() })
	return cmd, &out, &errb
}

func wait(t *testing.T, cmd *exec.Cmd, within time.Duration) int {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
		return cmd.ProcessState.ExitCode()
	case <-time.After(within):
		cmd.Process.Kill()
		<-done
		t.Fatalf("still running %v after the signal", within)
	}
	return -1
}

// A first SIGTERM cancels the context; a command that returns its error
// exits with 130.
func TestFirstSignalCancels(t *testing.T) {
	cmd, _, errb := helper(t, "polite")
	cmd.Process.Signal(syscall.SIGTERM)
	if code := wait(t, cmd, 5*time.Second); code != ExitInterrupted {
		t.Errorf("exit status %d, want %d; stderr %q", code, ExitInterrupted, errb.String())
	}
	if !strings.Contains(errb.String(), "again to quit") || !strings.Contains(errb.String(), "polite: interrupted: stopped: context canceled") {
		t.Errorf("stderr %q", errb.String())
	}
}

// A second SIGINT ends a command that does not stop within a second, with
// status 130 and a message.
func TestSecondSignalForcesExit(t *testing.T) {
	cmd, out, errb := helper(t, "stubborn")
	cmd.Process.Signal(os.Interrupt)
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(out.String(), "cancelled") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cmd.Process.Signal(os.Interrupt)
	code := wait(t, cmd, 10*time.Second) // the command itself sleeps a minute
	if code != ExitInterrupted || !strings.Contains(errb.String(), "quitting now") {
		t.Errorf("exit %d, stderr %q", code, errb.String())
	}
}

func TestRenameFlags(t *testing.T) {
	err := RenameFlags(Usagef("-n 1: -structure matching wants n ≥ 2 (-n, -k), not-a-flag -nx"), map[string]string{"n": "-matching-n", "k": "-states"})
	if !IsUsage(err) || err.Error() != "-matching-n 1: -structure matching wants n ≥ 2 (-matching-n, -states), not-a-flag -nx" {
		t.Errorf("got %v", err)
	}
	for _, c := range [][2]string{
		{"-hidden, -n, -k: too big", "-hidden, -k: too big"},
		{"-n, -k: too big", "-k: too big"},
		{"-hidden, -n: too big", "-hidden: too big"},
	} {
		if got := RenameFlags(errors.New(c[0]), map[string]string{"n": ""}); got.Error() != c[1] || IsUsage(got) {
			t.Errorf("%q: got %v, want %q", c[0], got, c[1])
		}
	}
	if RenameFlags(nil, nil) != nil {
		t.Error("nil")
	}
}

// A flag of an earlier version is refused with its new spelling.
func TestRenamedFlags(t *testing.T) {
	for _, c := range []struct{ cmd, flag, want string }{
		{"structured", "-states", "-states: the states are -k now (structured -help lists the flags)"},
		{"table1", "-seed", "the seeds of the grid are -seeds"},
		{"figure1", "-batch", "-examples"},
		{"structured", "-nope", "flag provided but not defined: -nope (structured -help lists the flags)"},
	} {
		fs := NewFlagSet(c.cmd, io.Discard)
		err := Parse(fs, []string{c.flag, "3"})
		if !IsUsage(err) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %s: %v, want %q", c.cmd, c.flag, err, c.want)
		}
	}
}

// SIGHUP (the terminal closed) stops a command as SIGTERM does; started
// with SIGHUP ignored (nohup), the command keeps ignoring it.
func TestHangup(t *testing.T) {
	cmd, _, errb := helper(t, "polite")
	cmd.Process.Signal(syscall.SIGHUP)
	if code := wait(t, cmd, 10*time.Second); code != ExitInterrupted || !strings.Contains(errb.String(), "polite: interrupted") {
		t.Errorf("after SIGHUP: exit %d, stderr %q; want %d", code, errb.String(), ExitInterrupted)
	}
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh to start a process with SIGHUP ignored")
	}
	cmd = exec.Command(sh, "-c", `trap "" HUP; exec "$0" -test.run=^$`, os.Args[0])
	cmd.Env = append(os.Environ(), "CLI_TEST_HELPER=polite")
	pr, pw := io.Pipe()
	defer pw.Close()
	cmd.Stdout = pw
	ready := make(chan struct{})
	go func() {
		buf := make([]byte, 64)
		pr.Read(buf)
		close(ready)
		io.Copy(io.Discard, pr)
	}()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ready:
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatal("helper did not start")
	}
	cmd.Process.Signal(syscall.SIGHUP)
	cmd.Process.Signal(syscall.SIGTERM) // the SIGHUP was ignored, so this is the first signal
	if code := wait(t, cmd, 10*time.Second); code != ExitInterrupted {
		t.Errorf("nohup, SIGHUP then SIGTERM: exit %d; want %d", code, ExitInterrupted)
	}
}

// A write to standard output that fails turns success into status 1 with
// a message, and a reader gone away (a closed pipe) does not kill the
// command with SIGPIPE.
func TestLostStdout(t *testing.T) {
	run := func(stdout func(cmd *exec.Cmd) func()) (int, string) {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "CLI_TEST_HELPER=printer")
		var errb bytes.Buffer
		cmd.Stderr = &errb
		done := stdout(cmd)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done()
		code := wait(t, cmd, 20*time.Second)
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			t.Errorf("killed by %v", ws.Signal())
		}
		return code, errb.String()
	}
	if full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0); err == nil {
		code, msg := run(func(cmd *exec.Cmd) func() { cmd.Stdout = full; return func() { full.Close() } })
		if code != ExitFailure || !strings.Contains(msg, "printer: writing to standard output") || !strings.Contains(msg, "no space left") {
			t.Errorf("stdout on /dev/full: exit %d, stderr %q; want %d and the write's error", code, msg, ExitFailure)
		}
	}
	code, msg := run(func(cmd *exec.Cmd) func() {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		r.Close() // no reader: the write gets EPIPE (or SIGPIPE)
		cmd.Stdout = w
		return func() { w.Close() }
	})
	if code != ExitFailure || !strings.Contains(msg, "broken pipe") {
		t.Errorf("stdout a closed pipe: exit %d, stderr %q; want %d and broken pipe", code, msg, ExitFailure)
	}
	code, msg = run(func(cmd *exec.Cmd) func() { return func() {} }) // stdout is /dev/null
	if code != ExitOK || msg != "" {
		t.Errorf("stdout /dev/null: exit %d, stderr %q", code, msg)
	}
}

// CheckFolder refuses, naming the part at fault, every -out that cannot
// be or become a folder, and leaves nothing behind.
func TestCheckFolder(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	os.WriteFile(file, nil, 0o644)
	os.Symlink("loop", filepath.Join(dir, "loop"))
	os.Symlink(filepath.Join(dir, "missing", "x"), filepath.Join(dir, "dangling"))
	os.Mkdir(filepath.Join(dir, "run"), 0o755)
	for _, c := range []struct{ path, want string }{
		{file, "file is a file, not a folder"},
		{filepath.Join(file, "sub", "x"), "file is a file, not a folder"},
		{filepath.Join(dir, "loop"), "too many levels of symbolic links"},
		{filepath.Join(dir, "loop", "x"), "too many levels of symbolic links"},
		{filepath.Join(dir, "dangling"), "dangling is a symbolic link to " + filepath.Join(dir, "missing", "x") + ", which does not exist"},
		{filepath.Join(dir, "run"), ""},
		{filepath.Join(dir, "a", "b", "c"), ""},
		{"/proc/argmaxvae-test", "cannot make a folder in /proc"},
	} {
		if c.path == "/proc/argmaxvae-test" && runtime.GOOS != "linux" {
			continue
		}
		err := CheckFolder(c.path)
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("CheckFolder(%s) = %v; want %q", c.path, err, c.want)
		}
	}
	left, _ := os.ReadDir(dir)
	if len(left) != 4 { // file, loop, dangling, run
		t.Errorf("left in the folder: %v", left)
	}
	if e, _ := os.ReadDir(filepath.Join(dir, "run")); len(e) > 0 {
		t.Errorf("left in run: %v", e)
	}
	fs := NewFlagSet("cmd", io.Discard)
	var out string
	Out(fs, &out, "results")
	if err := Parse(fs, []string{"-out", file}); !IsUsage(err) || !strings.Contains(err.Error(), "-out "+file+": ") {
		t.Errorf("Parse -out FILE: %v; want a usage error naming -out", err)
	}
	fs = NewFlagSet("cmd", io.Discard)
	Out(fs, &out, "results")
	if err := Parse(fs, []string{"-out", "-"}); !IsUsage(err) || !strings.Contains(err.Error(), "not standard output") {
		t.Errorf("Parse -out -: %v", err)
	}
}

// A grid refuses a folder holding a run, and a run a folder holding a
// grid's runs: their files would mix. Other folders pass both.
func TestRunAndGridFolders(t *testing.T) {
	dir := t.TempDir()
	run, grid, plain := filepath.Join(dir, "run"), filepath.Join(dir, "grid"), filepath.Join(dir, "plain")
	os.MkdirAll(filepath.Join(grid, "cell"), 0o755)
	os.WriteFile(filepath.Join(grid, "cell", "config.json"), []byte("{}"), 0o644)
	os.MkdirAll(filepath.Join(plain, "latents"), 0o755)
	os.Mkdir(run, 0o755)
	os.WriteFile(filepath.Join(run, "checkpoint.bin"), nil, 0o644)
	parse := func(register func(*flag.FlagSet, *string, string), out string) error {
		fs := NewFlagSet("cmd", io.Discard)
		var p string
		register(fs, &p, "")
		return Parse(fs, []string{"-out", out})
	}
	for _, c := range []struct {
		register func(*flag.FlagSet, *string, string)
		out      string
		want     string
	}{
		{GridOut, run, "holds a training run (checkpoint.bin)"},
		{RunOut, grid, "holds a grid's runs (" + filepath.Join("cell", "config.json") + ")"},
		{GridOut, grid, ""}, {RunOut, run, ""}, {Out, run, ""}, {Out, grid, ""},
		{GridOut, plain, ""}, {RunOut, plain, ""}, {RunOut, filepath.Join(dir, "new"), ""},
	} {
		err := parse(c.register, c.out)
		if c.want == "" && err != nil || c.want != "" && (!IsUsage(err) || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("-out %s: %v; want %q", c.out, err, c.want)
		}
	}
}

// CheckFile names what an input path is when it is not a regular file.
func TestCheckFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f")
	os.WriteFile(file, []byte("x"), 0o644)
	fifo := filepath.Join(dir, "fifo")
	syscall.Mkfifo(fifo, 0o644)
	for path, want := range map[string]string{file: "", dir: "a folder, not a file", fifo: "a named pipe", "/dev/zero": "a device",
		filepath.Join(dir, "missing"): "no such file"} {
		if _, err := os.Stat(path); err != nil && want != "no such file" {
			continue // no FIFO or /dev/zero here
		}
		err := CheckFile(path)
		if want == "" && err != nil || want != "" && (err == nil || !strings.Contains(err.Error(), want)) {
			t.Errorf("CheckFile(%s) = %v; want %q", path, err, want)
		}
	}
}
