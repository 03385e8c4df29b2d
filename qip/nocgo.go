//go:build !cgo

package qip

import "github.com/argmaxvae/argmaxvae/argmax"

// This build has no cgo, so no lp_solve: the package compiles, registers
// nothing with argmax (so "milp" is not listed), and every Solve returns
// ErrNoCgo.

// Available reports whether the MILP solver can run in this binary: nil
// when built with cgo, [ErrNoCgo] otherwise (this file).
func Available() error { return ErrNoCgo }

// lpBuffers holds nothing without cgo.
type lpBuffers struct{}

func (s *Solver) solve(*argmax.Model, []int) (float64, error) { return 0, ErrNoCgo }
