//go:build !cgo

package qip_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/argmaxvae/argmaxvae/qip"
)

// TestWithoutCgo (issue 17 item 9): built with CGO_ENABLED=0 the package
// compiles, registers nothing (argmax does not list "milp"), and Solve
// and Available return ErrNoCgo naming what is missing.
func TestWithoutCgo(t *testing.T) {
	if err := qip.Available(); !errors.Is(err, qip.ErrNoCgo) {
		t.Errorf("Available() = %v, want ErrNoCgo", err)
	}
	m := argmax.NewBinary([]float64{1, -1}, []argmax.Edge{{I: 0, J: 1, W: -1}})
	_, err := qip.New().Solve(m, make([]int, 2))
	if !errors.Is(err, qip.ErrNoCgo) {
		t.Fatalf("Solve = %v, want ErrNoCgo", err)
	}
	for _, want := range []string{"CGO_ENABLED=0", "cgo", "lp_solve", "liblpsolve55-dev"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error %q does not name %q", err, want)
		}
	}
	p, err := argmax.Complete(10, false)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(p.Solvers(), "milp") {
		t.Errorf("Solvers() = %v lists milp in a binary without cgo", p.Solvers())
	}
	if _, err := p.NewSolver("milp"); err == nil || !strings.Contains(err.Error(), "qip") {
		t.Errorf("NewSolver(milp) = %v, want an error naming qip", err)
	}
}
