package runfolder

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// tmpFiles lists the temporary files left in dir.
func tmpFiles(t *testing.T, dir string) []string {
	t.Helper()
	var left []string
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp") || strings.Contains(e.Name(), ".stale") {
			left = append(left, e.Name())
		}
	}
	return left
}

// A write that fails part-way (a full disk) leaves the old file as it was
// and no temporary file, whatever the byte at which it fails.
func TestWriteFileDiskFull(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f")
	if err := WriteFile(path, []byte("old")); err != nil {
		t.Fatal(err)
	}
	for _, n := range []int64{0, 1, 5, 9} {
		restore := FailWritesAfter(n)
		err := WriteFile(path, []byte("0123456789"))
		restore()
		if !errors.Is(err, ErrDiskFull) {
			t.Fatalf("budget %d: err %v, want ErrDiskFull", n, err)
		}
		if b, _ := os.ReadFile(path); string(b) != "old" {
			t.Errorf("budget %d: file now %q, want the old content", n, b)
		}
		if left := tmpFiles(t, dir); len(left) > 0 {
			t.Errorf("budget %d: temporary files left: %v", n, left)
		}
	}
	if err := WriteFile(path, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "new" {
		t.Errorf("after restore: %q", b)
	}
}

func TestCheckpointRoundTripAndDamage(t *testing.T) {
	dir := t.TempDir()
	in := Checkpoint{State: []byte("state"), Best: []byte("best"), Epochs: 3, BestIndex: 1, History: []byte("hist")}
	if err := Commit(dir, in); err != nil {
		t.Fatal(err)
	}
	out, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(out) != fmt.Sprint(in) {
		t.Fatalf("round trip: %+v, want %+v", out, in)
	}
	if s, err := ReadState(filepath.Join(dir, CheckpointFile)); err != nil || string(s) != "state" {
		t.Errorf("ReadState: %q, %v", s, err)
	}
	path := filepath.Join(dir, CheckpointFile)
	good, _ := os.ReadFile(path)
	for i := range good {
		bad := append([]byte(nil), good...)
		bad[i] ^= 0x10
		os.WriteFile(path, bad, 0o644)
		if _, err := Load(dir); err == nil {
			t.Fatalf("byte %d flipped: loaded", i)
		}
	}
	for n := 0; n < len(good); n++ {
		os.WriteFile(path, good[:n], 0o644)
		if _, err := Load(dir); err == nil {
			t.Fatalf("truncated to %d bytes: loaded", n)
		}
	}
	os.WriteFile(path, []byte("ARGMAXNN\x01\x00\x00\x00"), 0o644)
	if _, err := Load(dir); !errors.Is(err, ErrOldFormat) || !strings.Contains(err.Error(), "another folder") {
		t.Errorf("old format: %v", err)
	}
	os.Remove(path)
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "no checkpoint") {
		t.Errorf("missing: %v", err)
	}
}

// Diff names every field that differs, with both values, and skips the
// free ones; CheckConfig and Finished refuse a different run naming them.
func TestDiffNamesTheFields(t *testing.T) {
	type cfg struct {
		Data   string  `json:"data"`
		LR     float64 `json:"lr"`
		Epochs int     `json:"epochs"`
		New    int     `json:"new,omitempty"`
	}
	old := []byte(`{"data": "mnist", "lr": 0.001, "epochs": 10}`)
	d, err := Diff(old, cfg{"fashion", 0.001, 20, 0}, "epochs")
	if err != nil || len(d) != 1 || d[0] != "data mnist, asked fashion" {
		t.Errorf("Diff = %q, %v", d, err)
	}
	d, _ = Diff(old, cfg{"mnist", 0.01, 10, 3})
	if strings.Join(d, "; ") != "lr 0.001, asked 0.01; new (absent), asked 3" {
		t.Errorf("Diff = %q", d)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, ConfigFile), old, 0o644)
	err = CheckConfig(dir, cfg{"mnist", 0.01, 10, 0}, "epochs")
	if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "lr 0.001, asked 0.01") {
		t.Errorf("CheckConfig: %v", err)
	}
	// Another command's run: named, and the list is bounded.
	other := []byte(`{"command": "semisup", "a": 1, "b": 2, "c": 3, "d": 4, "e": 5, "f": 6, "g": 7, "h": 8, "i": 9, "j": 10}`)
	odir := t.TempDir()
	os.WriteFile(filepath.Join(odir, ConfigFile), other, 0o644)
	type cat struct {
		Command string `json:"command"`
		Data    string `json:"data"`
	}
	err = CheckConfig(odir, cat{"categorical", "mnist"}, "command")
	if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "holds a run of semisup, not of categorical") ||
		!strings.Contains(err.Error(), "and 3 more") || len(err.Error()) > 400 {
		t.Errorf("another command's run: %v", err)
	}
	if ok, err := Finished(dir, cfg{"mnist", 0.001, 10, 0}, 10, nil, "epochs"); ok || err != nil {
		t.Errorf("no summary: finished %v, %v", ok, err)
	}
	os.WriteFile(filepath.Join(dir, SummaryFile), []byte(`{"epochs": 10, "interrupted": true}`), 0o644)
	if ok, _ := Finished(dir, cfg{"mnist", 0.001, 10, 0}, 10, nil, "epochs"); ok {
		t.Error("interrupted run counted finished")
	}
	os.WriteFile(filepath.Join(dir, SummaryFile), []byte(`{"epochs": 10, "loss": 3.5}`), 0o644)
	var sum struct{ Loss float64 }
	if ok, err := Finished(dir, cfg{"mnist", 0.001, 10, 0}, 10, &sum, "epochs"); !ok || err != nil || sum.Loss != 3.5 {
		t.Errorf("finished run: %v, %v, %+v", ok, err, sum)
	}
	if ok, _ := Finished(dir, cfg{"mnist", 0.001, 12, 0}, 12, nil, "epochs"); ok {
		t.Error("a 10-epoch run counted finished for 12")
	}
	if _, err := Finished(dir, cfg{"fashion", 0.001, 10, 0}, 10, nil, "epochs"); !errors.Is(err, ErrRefused) {
		t.Errorf("different run: %v", err)
	}
}

// The lock refuses a second holder (in this process or another), names
// the holder, and is taken over when its process is gone.
func TestLock(t *testing.T) {
	dir := t.TempDir()
	unlock, err := Lock(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Lock(dir); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("in use by process %d", os.Getpid())) {
		t.Errorf("second lock in one process: %v", err)
	}
	unlock()
	os.WriteFile(filepath.Join(dir, LockFile), []byte("999999999\n"), 0o644)
	unlock, err = Lock(dir)
	if err != nil {
		t.Fatalf("stale lock not taken over: %v", err)
	}
	unlock()
	if _, err := os.Stat(filepath.Join(dir, LockFile)); !os.IsNotExist(err) {
		t.Errorf("lock not released: %v", err)
	}
	if left := tmpFiles(t, dir); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
}

// A writer killed in the middle of WriteFile leaves its temporary file;
// the next lock of the folder removes it (kill -9 during a commit left a
// .checkpoint.bin.*.tmp as large as the checkpoint for good), but not the
// temporary file of a launch taking the lock at that moment.
func TestLockSweepsTemporaryFiles(t *testing.T) {
	dir := t.TempDir()
	left := []string{".checkpoint.bin.123.tmp", ".metrics.csv.9.tmp"}
	keep := []string{".lock.77.tmp", "notes.tmp", "checkpoint.bin"}
	for _, n := range append(left, keep...) {
		os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o644)
	}
	unlock, err := Lock(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	for _, n := range left {
		if _, err := os.Stat(filepath.Join(dir, n)); !os.IsNotExist(err) {
			t.Errorf("%s not removed: %v", n, err)
		}
	}
	for _, n := range keep {
		if _, err := os.Stat(filepath.Join(dir, n)); err != nil {
			t.Errorf("%s removed: %v", n, err)
		}
	}
}

// TestLockChild is the process TestLockTwoLaunches starts; it does
// nothing in a normal test run.
func TestLockChild(t *testing.T) {
	dir := os.Getenv("RUNFOLDER_LOCK_DIR")
	if dir == "" {
		t.Skip("helper process of TestLockTwoLaunches")
	}
	unlock, err := Lock(dir)
	if err != nil {
		fmt.Println("REFUSED", err)
		return
	}
	from := time.Now().UnixNano()
	time.Sleep(300 * time.Millisecond)
	fmt.Println("LOCKED", from, time.Now().UnixNano())
	unlock()
}

// Launches at the same moment — also on a stale lock — get the folder one
// at a time: the intervals in which three processes started together
// hold the lock never overlap.
func TestLockTwoLaunches(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	for round := 0; round < 10; round++ {
		dir := t.TempDir()
		if round%2 == 1 {
			os.WriteFile(filepath.Join(dir, LockFile), []byte("999999999\n"), 0o644)
		}
		var cmds []*exec.Cmd
		var outs []*strings.Builder
		for range 3 {
			c := exec.Command(os.Args[0], "-test.run=^TestLockChild$", "-test.count=1")
			c.Env = append(os.Environ(), "RUNFOLDER_LOCK_DIR="+dir)
			var b strings.Builder
			c.Stdout = &b
			cmds, outs = append(cmds, c), append(outs, &b)
		}
		for _, c := range cmds {
			if err := c.Start(); err != nil {
				t.Fatal(err)
			}
		}
		var held [][2]int64
		for i, c := range cmds {
			if err := c.Wait(); err != nil {
				t.Fatal(err)
			}
			var from, to int64
			if _, err := fmt.Sscanf(outs[i].String(), "LOCKED %d %d", &from, &to); err == nil {
				held = append(held, [2]int64{from, to})
			} else if !strings.Contains(outs[i].String(), "in use by process") {
				t.Errorf("round %d: a refused launch says %q", round, outs[i].String())
			}
		}
		if len(held) == 0 {
			t.Errorf("round %d: no launch got the lock", round)
		}
		for i := range held {
			for j := range i {
				if held[i][0] < held[j][1] && held[j][0] < held[i][1] {
					t.Errorf("round %d: two processes held the lock at once: %v", round, held)
				}
			}
		}
		if _, err := os.Stat(filepath.Join(dir, LockFile)); !os.IsNotExist(err) {
			t.Errorf("round %d: lock file left: %v", round, err)
		}
		if left := tmpFiles(t, dir); len(left) > 0 {
			t.Errorf("round %d: left behind: %v", round, left)
		}
	}
}

// A lock whose process was killed but not yet waited for (a zombie) is
// stale; a live holder is named with its command where /proc tells it.
func TestLockOfAZombie(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc")
	}
	dir := t.TempDir()
	child := exec.Command(os.Args[0], "-test.run=^$")
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	pid := child.Process.Pid
	os.WriteFile(filepath.Join(dir, LockFile), []byte(fmt.Sprintln(pid)), 0o644)
	// Until the child exits it holds the lock; once it has exited, and
	// before it is waited for, it is a zombie.
	deadline := time.Now().Add(time.Minute)
	for {
		_, state := procStat(pid)
		if state == "Z" {
			break
		}
		_, err := Lock(dir)
		if err == nil {
			t.Fatalf("lock of a live process %d (state %q) taken over", pid, state)
		}
		if !strings.Contains(err.Error(), fmt.Sprintf("in use by process %d (", pid)) {
			t.Errorf("holder not named: %v", err)
		}
		if time.Now().After(deadline) {
			t.Fatal("the child never exited")
		}
		time.Sleep(10 * time.Millisecond)
	}
	unlock, err := Lock(dir)
	if err != nil {
		t.Errorf("the lock of a zombie was not taken over: %v", err)
	} else {
		unlock()
	}
	child.Wait()
}

// A folder whose run is in progress in another live process is named as
// such by the up-front checks, not as a finished run to -resume.
func TestBusyBeforeTheRun(t *testing.T) {
	dir := t.TempDir()
	if err := Commit(dir, Checkpoint{State: []byte("x"), Epochs: 4, BestIndex: -1}); err != nil {
		t.Fatal(err)
	}
	if err := CheckNew(dir); err == nil || !strings.Contains(err.Error(), "already holds a run of 4 epochs") {
		t.Errorf("unlocked: %v", err)
	}
	other := os.Getppid() // alive, and not this process
	os.WriteFile(filepath.Join(dir, LockFile), []byte(fmt.Sprintln(other)), 0o644)
	want := fmt.Sprintf("in use by process %d", other)
	for name, err := range map[string]error{"Busy": Busy(dir), "CheckNew": CheckNew(dir), "CheckResume": CheckResume(dir, 10)} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v; want %q", name, err, want)
		}
	}
	os.WriteFile(filepath.Join(dir, LockFile), []byte(fmt.Sprintln(os.Getpid())), 0o644)
	if err := Busy(dir); err != nil {
		t.Errorf("this process's own lock: %v", err)
	}
}

// WriteFile never renames over a file that is not a regular one: as root
// it replaced /dev/full with a plain file (maxflow -gen 3x3 -out
// /dev/full). A device or a FIFO is written in place; a folder is an
// error. Here a FIFO stands for the device (the test must not touch /dev).
func TestWriteFileNotRegular(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip(err)
	}
	got := make(chan []byte, 1)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- nil
			return
		}
		b, _ := io.ReadAll(f)
		f.Close()
		got <- b
	}()
	if err := WriteFile(fifo, []byte("through the pipe")); err != nil {
		t.Fatal(err)
	}
	select {
	case b := <-got:
		if string(b) != "through the pipe" {
			t.Errorf("read %q from the FIFO", b)
		}
	case <-time.After(time.Minute):
		t.Fatal("nothing came through the FIFO")
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced: %v, %v", fi.Mode(), err)
	}
	if err := WriteFile(dir, []byte("x")); err == nil || !strings.Contains(err.Error(), "a folder, not a file") {
		t.Errorf("a folder: %v", err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 1 {
		t.Errorf("left in the folder: %v", left)
	}
}
