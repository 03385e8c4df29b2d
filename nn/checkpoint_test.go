package nn

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestCheckpointRoundTrip(t *testing.T) {
	r := newRand(13)
	m := must(NewMLP(6, 5, 4, r))
	a := must(NewAdam(m.Params(), 1e-3))
	for i := range m.L1.GW {
		m.L1.GW[i] = float32(i%7) - 3
	}
	a.Step()
	a.Step()
	var buf bytes.Buffer
	extra := map[string][]float32{"epoch": {7}, "eps": {0.5, 0.25}}
	if err := Save(&buf, append(m.Params(), a.State()...), extra); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()

	m2 := must(NewMLP(6, 5, 4, newRand(99)))
	a2 := must(NewAdam(m2.Params(), 1e-3))
	got := map[string][]float32{}
	if err := Load(bytes.NewReader(data), append(m2.Params(), a2.State()...), got); err != nil {
		t.Fatal(err)
	}
	ps, ps2 := append(m.Params(), a.State()...), append(m2.Params(), a2.State()...)
	for i := range ps {
		if !equalF32(ps[i].W, ps2[i].W) {
			t.Fatalf("%s differs after round trip", ps[i].Name)
		}
	}
	if a2.Steps() != 2 || len(got) != 2 || got["epoch"][0] != 7 || got["eps"][1] != 0.25 {
		t.Fatalf("steps %d, extras %v", a2.Steps(), got)
	}
	// Resume is exact: one more identical step on both gives identical weights.
	copy(m2.L1.GW, m.L1.GW)
	a.Step()
	a2.Step()
	if !equalF32(m.L1.W, m2.L1.W) {
		t.Fatal("resumed optimiser diverges from the original after one step")
	}
	// A model-only load ignores the optimiser entries.
	if err := Load(bytes.NewReader(data), must(NewMLP(6, 5, 4, r)).Params()); err != nil {
		t.Fatalf("model-only load: %v", err)
	}
}

func TestCheckpointErrors(t *testing.T) {
	r := newRand(14)
	m := must(NewMLP(6, 5, 4, r))
	var buf bytes.Buffer
	if err := Save(&buf, m.Params()); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	cases := []struct {
		name    string
		data    []byte
		ps      []Param
		want    string
		corrupt bool
	}{
		{"flipped byte", flip(data, len(data)/2), m.Params(), "checksum", true},
		{"truncated", data[:len(data)-9], m.Params(), "checksum", true},
		{"empty", nil, m.Params(), "not a checkpoint", true},
		{"garbage", []byte("hello world, not a checkpoint at all"), m.Params(), "not a checkpoint", true},
		{"shape mismatch", data, must(NewMLP(6, 7, 4, r)).Params(), `"l1.W": shape 5×6 in checkpoint, 7×6 in model`, false},
		{"missing", data, append(m.Params(), Param{Name: "extra.W", W: make([]float32, 2), G: make([]float32, 2)}), `"extra.W" missing`, false},
	}
	for _, c := range cases {
		before := append([]float32{}, c.ps[0].W...)
		err := Load(bytes.NewReader(c.data), c.ps)
		if err == nil || !strings.Contains(err.Error(), c.want) || errors.Is(err, ErrCorrupt) != c.corrupt {
			t.Fatalf("%s: error %v, want one containing %q (corrupt=%v)", c.name, err, c.want, c.corrupt)
		}
		if !equalF32(before, c.ps[0].W) {
			t.Fatalf("%s: a failed Load modified the parameters", c.name)
		}
	}
	dup := []Param{{Name: "a", W: []float32{1}}, {Name: "a", W: []float32{2}}}
	if err := Save(&bytes.Buffer{}, dup); err == nil {
		t.Fatal("Save accepted duplicate names")
	}
}

func flip(b []byte, i int) []byte {
	c := append([]byte{}, b...)
	c[i] ^= 0x40
	return c
}

func equalF32(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
