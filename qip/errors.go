package qip

import "errors"

// Errors returned by [Solver.Solve] when lp_solve does not deliver a proven
// integral optimum, wrapped with detail. Invalid models give the argmax
// errors instead (argmax.ErrShape, argmax.ErrNotFinite, …).
var (
	// ErrNotOptimal means lp_solve's status was not OPTIMAL (for instance
	// SUBOPTIMAL or TIMEOUT after [Solver.Timeout], or NUMFAILURE); the
	// message names the status, and for a numerical failure the range of
	// the scores' magnitudes, the likely cause when it is wide.
	ErrNotOptimal = errors.New("qip: lp_solve did not prove optimality")
	// ErrTimeout means lp_solve stopped at the time limit ([Solver.Timeout]
	// or [DefaultTimeout]); such errors also match [ErrNotOptimal].
	ErrTimeout = errors.New("qip: time limit reached")
	// ErrNotIntegral means a binary variable of lp_solve's solution was
	// farther than [IntTol] from 0 or 1.
	ErrNotIntegral = errors.New("qip: lp_solve solution is not integral")
	// ErrNoCgo is returned by every Solve, and by [Available], in a binary
	// built without cgo (CGO_ENABLED=0): the solver calls lp_solve 5.5
	// through cgo.
	ErrNoCgo = errors.New("qip: built without cgo (CGO_ENABLED=0), so the MILP solver is not in this binary: " +
		"it needs cgo, a C compiler and lp_solve 5.5 (Debian: liblpsolve55-dev, with CGO_CFLAGS=-I/usr/include/lpsolve); " +
		"the other exact solvers of package argmax need none of these")
)
