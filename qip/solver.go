package qip

import (
	"fmt"
	"time"

	"github.com/argmaxvae/argmaxvae/argmax"
)

// IntTol is how far from 0 or 1 a binary variable of lp_solve's solution
// may be before [Solver.Solve] refuses it with [ErrNotIntegral]. lp_solve's
// own integrality tolerance (epsint) is 1e-7.
const IntTol = 1e-6

// Solver solves an argmax.Model (K = 2, edge weights of any sign) exactly
// as a mixed-integer linear program handed to lp_solve; it implements
// argmax.PairwiseSolver. Each product zᵢzⱼ becomes one continuous column
// with one or two rows chosen by the sign of its weight, an exact
// linearization with the full one's LP bound (derivation in
// docs/solvers.md). Time: exponential in n in the worst case (branch and
// bound); seconds at n = 30 on dense models. Only lp_solve's OPTIMAL
// status is accepted, anything else is an error ([ErrNotOptimal],
// [ErrTimeout], [ErrNotIntegral]); the value returned is m.Score(z). Ties
// are broken by lp_solve: deterministic for a given model and edge order.
// A Solver reuses its buffers and is not safe for concurrent use; separate
// Solvers may run in parallel. Without cgo every Solve returns [ErrNoCgo].
type Solver struct {
	// Timeout bounds the wall time of one lp_solve call; lp_solve counts
	// whole seconds, so it is rounded up. Zero means [DefaultTimeout]; a
	// negative value means no limit. A solve cut short returns an error
	// wrapping [ErrTimeout] (and [ErrNotOptimal]) that names the limit.
	Timeout time.Duration

	lp lpBuffers // per build: the cgo solver's buffers, or nothing
}

// DefaultTimeout is the time limit of a Solver whose Timeout is zero: a
// solve that needs longer is not usable in training (one solve per
// example per step), so an error naming the limit beats a hang.
const DefaultTimeout = 10 * time.Second

// defaultTimeout is DefaultTimeout; tests lower it to reach the default's
// error path quickly.
var defaultTimeout = DefaultTimeout

// New returns a Solver with the default timeout, [DefaultTimeout].
func New() *Solver { return &Solver{} }

// Solve implements argmax.PairwiseSolver: it writes a maximizer of h into
// z[:m.N] and returns h(z). An invalid model gives argmax's errors
// (argmax.ErrShape, argmax.ErrNotFinite, …); without cgo, [ErrNoCgo].
func (s *Solver) Solve(m *argmax.Model, z []int) (float64, error) {
	if err := Available(); err != nil {
		return 0, err
	}
	if err := m.Validate(); err != nil {
		return 0, err
	}
	if m.K != 2 {
		return 0, fmt.Errorf("%w: the MILP solver needs binary variables (K = 2), got K = %d", argmax.ErrUnsupported, m.K)
	}
	if len(z) < m.N {
		return 0, fmt.Errorf("%w: output slice has length %d, want ≥ N = %d", argmax.ErrShape, len(z), m.N)
	}
	return s.solve(m, z)
}

// timeout returns the time limit in effect: Timeout, DefaultTimeout for
// zero, or 0 (none) for a negative Timeout.
func (s *Solver) timeout() time.Duration {
	switch {
	case s.Timeout == 0:
		return defaultTimeout
	case s.Timeout < 0:
		return 0
	}
	return s.Timeout
}
