package argmax_test

import (
	"errors"
	"testing"

	"github.com/argmaxvae/argmaxvae/argmax"
)

// mustScore is argmax.Score for codes known to be in range.
func mustScore(t testing.TB, s argmax.Structure, w []float64, z []int) float64 {
	t.Helper()
	v, err := argmax.Score(s, w, z)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// checkNotEnumerable checks that s, beyond MaxEnumerateCodes codes, lists
// only its fast solver, refuses "exhaustive", and that NewEnumerator and
// Enumerate refuse it with ErrTooLarge.
func checkNotEnumerable(t *testing.T, s argmax.Structure, fast string) {
	t.Helper()
	if got := s.Solvers(); len(got) != 1 || got[0] != fast {
		t.Errorf("%s: Solvers = %v, want [%s]", s.Name(), got, fast)
	}
	if _, err := s.NewSolver("exhaustive"); err == nil {
		t.Errorf("%s: NewSolver(exhaustive) accepted", s.Name())
	}
	if _, err := argmax.NewEnumerator(s); !errors.Is(err, argmax.ErrTooLarge) {
		t.Errorf("NewEnumerator(%s): %v, want ErrTooLarge", s.Name(), err)
	}
	if _, err := argmax.Enumerate(s, make([]float64, s.Dim()), make([]int, s.Vars())); !errors.Is(err, argmax.ErrTooLarge) {
		t.Errorf("Enumerate(%s): %v, want ErrTooLarge", s.Name(), err)
	}
}

// must returns v and panics on err: for constructors in tests whose
// arguments are known to be valid.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
