package dataset

import (
	"slices"
	"strings"
	"testing"
)

// TestRegisterRefusesNil (issue 18 item 11): an empty name or a nil loader
// is refused with an error and leaves the registry unchanged; a loader
// that returns no splits is an error at Load, not a nil dereference; a
// second registration of a name replaces the first.
func TestRegisterRefusesNil(t *testing.T) {
	before := Names()
	t.Cleanup(func() {
		sourcesMu.Lock()
		sources = slices.DeleteFunc(sources, func(s Source) bool { return !slices.Contains(before, s.Name) })
		sourcesMu.Unlock()
	})
	if err := Register(Source{Name: "nil-loader"}); err == nil || !strings.Contains(err.Error(), "nil Load") {
		t.Errorf("Register with a nil Load: %v", err)
	}
	if err := Register(Source{Load: func(string) (*Splits, error) { return nil, nil }}); err == nil || !strings.Contains(err.Error(), "empty name") {
		t.Errorf("Register with an empty name: %v", err)
	}
	if !slices.Equal(Names(), before) {
		t.Fatalf("refused registrations changed Names() to %v", Names())
	}
	if _, err := Load("nil-loader", Options{}); err == nil || !strings.Contains(err.Error(), "unknown data set") {
		t.Errorf("Load of a refused name: %v", err)
	}
	if err := Register(Source{Name: "empty", Load: func(string) (*Splits, error) { return nil, nil }}); err != nil {
		t.Fatal(err)
	}
	if _, err := Load("empty", Options{}); err == nil || !strings.Contains(err.Error(), "returned no") {
		t.Errorf("Load of a loader returning nil: %v", err)
	}
	one := &Set{Name: "one", N: 1, D: 1, X: []float32{1}}
	if err := Register(Source{Name: "empty", Load: func(string) (*Splits, error) { return &Splits{one, one, one}, nil }}); err != nil {
		t.Fatal(err)
	}
	if sp, err := Load("empty", Options{}); err != nil || sp.Train != one {
		t.Errorf("the second registration did not replace the first: %v, %v", sp, err)
	}
	if got := Names(); len(got) != len(before)+1 || got[len(got)-1] != "empty" {
		t.Errorf("Names() = %v", got)
	}
}
