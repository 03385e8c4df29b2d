package report

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/argmaxvae/argmaxvae/internal/runfolder"
)

func TestCSVRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "dir", "t.csv")
	header := []string{"name", "epoch", "loss", "f32", "ok", "dur", "u8"}
	c, err := CreateCSV(path, header)
	if err != nil {
		t.Fatal(err)
	}
	rows := [][]any{
		{"a,b \"q\"", 1, 0.1, float32(0.1), true, 1500 * time.Millisecond, uint8(7)},
		{"nan", int64(-2), math.NaN(), float32(math.NaN()), false, time.Duration(0), uint8(0)},
		{"inf", int32(3), math.Inf(1), float32(math.Inf(-1)), true, time.Minute, uint8(255)},
		{"tiny", 4, 1e-300, float32(3.4e38), true, time.Nanosecond, uint8(1)},
	}
	for _, r := range rows {
		if err := c.Write(r...); err != nil {
			t.Fatal(err)
		}
		// Nothing is on disk before Close: the file appears whole.
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Fatalf("file written before Close: %v", err)
		}
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if err := c.Write(rows[0]...); err == nil {
		t.Fatal("Write after Close succeeded")
	}
	h, got, err := ReadCSV(path)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(h, header) {
		t.Fatalf("header %q, want %q", h, header)
	}
	want := [][]string{
		{"a,b \"q\"", "1", "0.1", "0.1", "true", "1.5s", "7"},
		{"nan", "-2", "", "", "false", "0s", "0"},
		{"inf", "3", "+Inf", "-Inf", "true", "1m0s", "255"},
		{"tiny", "4", "1e-300", "3.4e+38", "true", "1ns", "1"},
	}
	if len(got) != len(want) {
		t.Fatalf("%d rows, want %d", len(got), len(want))
	}
	for i := range want {
		if !slices.Equal(got[i], want[i]) {
			t.Errorf("row %d = %q, want %q", i, got[i], want[i])
		}
	}
	// Floats survive exactly through ParseFloat; the empty field is NaN.
	for _, x := range []float64{0.1, 1.0 / 3, math.Pi * 1e200, -5e-324} {
		s, _ := formatField(x)
		y, err := ParseFloat(s)
		if err != nil || y != x {
			t.Errorf("ParseFloat(%q) = %v, %v; want %v", s, y, err, x)
		}
	}
	if v, err := ParseFloat(""); err != nil || !math.IsNaN(v) {
		t.Errorf("ParseFloat(\"\") = %v, %v; want NaN", v, err)
	}
}

func TestCSVErrors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "e.csv")
	c, err := CreateCSV(path, []string{"a", "b"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Write(1); err == nil || !strings.Contains(err.Error(), "got 1 fields, header has 2") {
		t.Errorf("short row: err = %v", err)
	}
	if err := c.Write(1, 2, 3); err == nil {
		t.Error("long row accepted")
	}
	if err := c.Write(1, []int{2}); err == nil || !strings.Contains(err.Error(), "field 1 (b)") {
		t.Errorf("bad type: err = %v", err)
	}
	if _, err := CreateCSV(filepath.Join(dir, "x.csv"), nil); err == nil {
		t.Error("empty header accepted")
	}
	empty := filepath.Join(dir, "empty.csv")
	os.WriteFile(empty, nil, 0o644)
	if _, _, err := ReadCSV(empty); err == nil {
		t.Error("ReadCSV of empty file succeeded")
	}
	if _, _, err := ReadCSV(filepath.Join(dir, "missing.csv")); err == nil {
		t.Error("ReadCSV of missing file succeeded")
	}
	ragged := filepath.Join(dir, "ragged.csv")
	os.WriteFile(ragged, []byte("a,b\n1\n"), 0o644)
	if _, _, err := ReadCSV(ragged); err == nil {
		t.Error("ReadCSV of ragged file succeeded")
	}
}

// A table replaces the file whole at Close: a write that fails (a full
// disk) leaves the previous table as it was, and no temporary file.
func TestCSVReplacesWhole(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.csv")
	if err := WriteCSV(path, []string{"epoch", "loss"}, [][]any{{1, 0.5}}); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	c, _ := CreateCSV(path, []string{"epoch", "loss"})
	for i := range 1000 {
		c.Write(i, 0.25)
	}
	restore := runfolder.FailWritesAfter(100)
	err := c.Close()
	restore()
	if !errors.Is(err, runfolder.ErrDiskFull) {
		t.Fatalf("Close on a full disk: %v", err)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Errorf("the failed write changed the file: %q", after)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("left behind: %v", ents)
	}
}
