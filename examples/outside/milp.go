package main

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime/debug"
	"slices"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/argmaxvae/argmaxvae/qip"
)

// milp checks the MILP solver that importing package qip adds: with cgo
// (and lp_solve) "milp" is listed among a general-sign structure's solvers
// and agrees with enumeration; built with CGO_ENABLED=0 the import still
// compiles, "milp" is not listed, and qip.Available says what is missing.
func milp() error {
	s, err := argmax.Complete(7, false)
	if err != nil {
		return err
	}
	listed := slices.Contains(s.Solvers(), "milp")
	if err := qip.Available(); err != nil {
		if cgo() || listed || !errors.Is(err, qip.ErrNoCgo) {
			return fmt.Errorf("cgo %v, milp listed %v, qip.Available() = %v", cgo(), listed, err)
		}
		if _, err := s.NewSolver("milp"); err == nil {
			return errors.New(`NewSolver("milp") without cgo gave a solver`)
		}
		fmt.Printf("milp: not in a binary without cgo: %v\n", err)
		return nil
	}
	if !cgo() || !listed {
		return fmt.Errorf("cgo %v, milp listed %v, qip.Available() = nil", cgo(), listed)
	}
	solver, err := s.NewSolver("milp")
	if err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(11, 11))
	w := make([]float64, s.Dim())
	z, ref := make([]int, s.Vars()), make([]int, s.Vars())
	for trial := 0; trial < 20; trial++ {
		for j := range w {
			w[j] = r.NormFloat64()
		}
		got, err := solver.Maximize(w, z)
		if err != nil {
			return err
		}
		want, err := argmax.Enumerate(s, w, ref)
		if err != nil {
			return err
		}
		if math.Abs(got-want) > 1e-6*(1+math.Abs(want)) {
			return fmt.Errorf("milp: z = %v with %v, enumeration %v with %v", z, got, ref, want)
		}
	}
	fmt.Printf("milp: %s by lp_solve agrees with enumeration on 20 random problems\n", s.Name())
	return nil
}

// cgo reports whether this binary was built with cgo, from its build
// settings.
func cgo() bool {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range bi.Settings {
		if s.Key == "CGO_ENABLED" {
			return s.Value == "1"
		}
	}
	return false
}
