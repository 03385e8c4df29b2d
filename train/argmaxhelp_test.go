package train

import (
	"testing"

	"github.com/argmaxvae/argmaxvae/argmax"
)

// scoreOf is argmax.Score for codes known to be in range.
func scoreOf(t testing.TB, s argmax.Structure, w []float64, z []int) float64 {
	t.Helper()
	v, err := argmax.Score(s, w, z)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// must returns v, panicking on err (a constructor's result in a test).
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// noErr fails the test binary on an error the test did not expect.
func noErr(err error) {
	if err != nil {
		panic(err)
	}
}
