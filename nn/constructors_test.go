package nn

import (
	"math"
	"strings"
	"testing"
)

// The constructors that take sizes or a learning rate from a user refuse
// bad ones with an error naming them, never a panic, and draw nothing
// when they refuse.
func TestConstructorsRefuseBadInput(t *testing.T) {
	r := newRand(1)
	ok := []Param{{Name: "w", W: make([]float32, 3), G: make([]float32, 3)}}
	for _, c := range []struct {
		name, want string
		f          func() error
	}{
		{"NewLinear in 0", "sizes must be positive", func() error { _, err := NewLinear(0, 3, r); return err }},
		{"NewLinear out -1", "sizes must be positive", func() error { _, err := NewLinear(3, -1, r); return err }},
		{"NewLinear huge", "2^40", func() error { _, err := NewLinear(1<<30, 1<<20, r); return err }},
		{"NewLinear nil r", "nil random generator", func() error { _, err := NewLinear(3, 2, nil); return err }},
		{"NewMLP hidden 0", "sizes must be positive", func() error { _, err := NewMLP(3, 0, 2, r); return err }},
		{"NewMLP huge", "2^40", func() error { _, err := NewMLP(3, 1<<30, 1<<20, r); return err }},
		{"NewMLP nil r", "nil random generator", func() error { _, err := NewMLP(3, 4, 2, nil); return err }},
		{"NewAdam lr 0", "learning rate 0", func() error { _, err := NewAdam(ok, 0); return err }},
		{"NewAdam lr -1", "learning rate -1", func() error { _, err := NewAdam(ok, -1); return err }},
		{"NewAdam lr NaN", "learning rate NaN", func() error { _, err := NewAdam(ok, float32(math.NaN())); return err }},
		{"NewAdam lr +Inf", "learning rate +Inf", func() error { _, err := NewAdam(ok, float32(math.Inf(1))); return err }},
		{"NewAdam gradient length", `param "g" has 3 values and 2 gradients`, func() error {
			_, err := NewAdam([]Param{{Name: "g", W: make([]float32, 3), G: make([]float32, 2)}}, 1e-3)
			return err
		}},
	} {
		var err error
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Errorf("%s: panic %v", c.name, p)
				}
			}()
			err = c.f()
		}()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
	// A refused NewMLP draws nothing: the next draw is the generator's first.
	a, b := newRand(9), newRand(9)
	if _, err := NewMLP(3, 0, 2, a); err == nil {
		t.Fatal("NewMLP(3, 0, 2) accepted")
	}
	if a.Uint64() != b.Uint64() {
		t.Error("a refused NewMLP drew from the generator")
	}
	if m, err := NewMLP(3, 4, 2, r); err != nil || m.L1.In != 3 || m.L2.Out != 2 {
		t.Errorf("NewMLP(3, 4, 2) = %v, %v", m, err)
	}
	if a, err := NewAdam(ok, 1e-3); err != nil || a.LR != 1e-3 {
		t.Errorf("NewAdam(ok, 1e-3) = %v, %v", a, err)
	}
}

// CheckShape accepts exactly the matrices of the shape asked for, with
// enough values, and names both shapes otherwise.
func TestCheckShape(t *testing.T) {
	m := NewMat(3, 4)
	for _, c := range []struct {
		m          Mat
		rows, cols int
		ok         bool
	}{
		{m, 3, 4, true}, {m, -1, 4, true}, {m, 2, 4, false}, {m, 3, 5, false},
		{Mat{Rows: 4, Cols: 4, Data: m.Data}, -1, 4, false}, // too few values
		{Mat{Rows: -1, Cols: 4}, -1, 4, false},
		{Mat{Rows: 1 << 62, Cols: 4, Data: m.Data}, -1, 4, false}, // Rows·Cols wraps
	} {
		err := c.m.CheckShape(c.rows, c.cols)
		if (err == nil) != c.ok {
			t.Errorf("%d×%d (%d values) against %d×%d: err %v", c.m.Rows, c.m.Cols, len(c.m.Data), c.rows, c.cols, err)
		}
	}
	if err := m.CheckShape(2, 4); err == nil || err.Error() != "is 3×4 with 12 values, want 2×4" {
		t.Errorf("message %q", err)
	}
}
