package report

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

type jsonResult struct {
	Name   string             `json:"name"`
	Epochs int                `json:"epochs"`
	Losses []float64          `json:"losses"`
	Extra  map[string]float64 `json:"extra"`
}

func TestJSONRoundTrip(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a", "r.json")
	in := jsonResult{Name: "vae", Epochs: 3, Losses: []float64{0.1, 1.0 / 3, 1e-300}, Extra: map[string]float64{"b": 2, "a": 1}}
	if err := WriteJSON(path, in); err != nil {
		t.Fatal(err)
	}
	var out jsonResult
	if err := ReadJSON(path, &out); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, out) {
		t.Fatalf("round trip: got %+v, want %+v", out, in)
	}
	data, _ := os.ReadFile(path)
	want := "{\n  \"name\": \"vae\",\n  \"epochs\": 3,\n  \"losses\": [\n    0.1,\n    0.3333333333333333,\n    1e-300\n  ],\n  \"extra\": {\n    \"a\": 1,\n    \"b\": 2\n  }\n}\n"
	if string(data) != want {
		t.Fatalf("file content:\n%s\nwant:\n%s", data, want)
	}

	// Unencodable value: error, previous file kept, no temp files left.
	if err := WriteJSON(path, map[string]float64{"x": math.NaN()}); err == nil {
		t.Fatal("NaN accepted")
	}
	if err := ReadJSON(path, &out); err != nil || !reflect.DeepEqual(in, out) {
		t.Fatalf("file changed after failed write: %v", err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Fatalf("directory has %d entries, want only r.json", len(entries))
	}
	if err := ReadJSON(filepath.Join(dir, "missing.json"), &out); err == nil {
		t.Fatal("ReadJSON of missing file succeeded")
	}
}
