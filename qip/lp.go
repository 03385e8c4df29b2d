//go:build cgo

package qip

import (
	"fmt"
	"math"
	"time"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/draffensperger/golp"
)

func init() {
	if err := argmax.RegisterMILP(func() argmax.PairwiseSolver { return New() }); err != nil {
		panic(err) // a second MILP registration: a programming error
	}
}

// Available reports whether the MILP solver can run in this binary: nil
// when built with cgo (this file), [ErrNoCgo] otherwise.
func Available() error { return nil }

// skipStepOFFix disables [noStepOF]; only tests set it, to show the fix matters.
var skipStepOFFix = false

// lpBuffers are a Solver's Go buffers, reused between solves.
type lpBuffers struct {
	pairs []pair
	obj   []float64
	row   []golp.Entry
}

// solve is Solve on a validated binary model: build the MILP, solve it
// with lp_solve, read z.
func (s *Solver) solve(m *argmax.Model, z []int) (float64, error) {
	n := m.N
	pairs, err := mergeEdges(s.lp.pairs, m.Edges)
	if err != nil {
		return 0, err
	}
	s.lp.pairs = pairs
	for i := 0; i < n; i++ {
		if t := m.Theta(i); math.IsInf(t, 0) {
			return 0, fmt.Errorf("%w: θ[%d] = Unary[%d] − Unary[%d] overflows to %v", argmax.ErrNotFinite, i, 2*i+1, 2*i, t)
		}
	}

	lp := s.build(m, pairs)
	defer release(lp)
	if !skipStepOFFix {
		if err := noStepOF(lp); err != nil {
			return 0, err
		}
	}
	limit := s.timeout()
	if limit > 0 {
		lp.SetTimeout(int(math.Ceil(limit.Seconds())))
	}
	start := time.Now()
	if st := lp.Solve(); st != golp.OPTIMAL {
		return 0, s.statusError(st, m, pairs, limit, time.Since(start))
	}
	x := lp.Variables()
	for i := 0; i < n; i++ {
		v := x[i]
		r := math.Round(v)
		if math.Abs(v-r) > IntTol || (r != 0 && r != 1) {
			return 0, fmt.Errorf("%w: z[%d] = %v", ErrNotIntegral, i, v)
		}
		z[i] = int(r)
	}
	return m.Score(z), nil
}

// statusError explains a status other than OPTIMAL: a time limit reached,
// or a numerical failure, whose likely cause is the weights' dynamic range.
func (s *Solver) statusError(st golp.SolutionType, m *argmax.Model, pairs []pair, limit, took time.Duration) error {
	what := fmt.Sprintf("status %s (%d) on a model with %d variables and %d merged edges", statusName(st), int(st), m.N, len(pairs))
	if (st == golp.SUBOPTIMAL || st == golp.TIMEOUT) && limit > 0 {
		which := "Solver.Timeout"
		if s.Timeout == 0 {
			which = "DefaultTimeout, the limit of a zero Solver.Timeout"
		}
		return &timeoutError{fmt.Sprintf("qip: lp_solve stopped at the time limit of %v (%s, rounded up to whole seconds) after %v, %s: "+
			"raise Solver.Timeout (a negative value means no limit) or use a smaller or sparser model",
			limit, which, took.Round(time.Millisecond), what)}
	}
	lo, hi := weightRange(m, pairs)
	switch {
	case hi == 0:
		return fmt.Errorf("%w: %s (all weights zero)", ErrNotOptimal, what)
	case hi/lo > maxRange:
		return fmt.Errorf("%w: %s: the nonzero scores range in magnitude from %.3g to %.3g, a dynamic range of %.3g, "+
			"more than lp_solve's double-precision tolerances (about 1e-9 relative) can resolve: the range is the likely cause; "+
			"rescale, or drop scores negligible next to the largest", ErrNotOptimal, what, lo, hi, hi/lo)
	}
	return fmt.Errorf("%w: %s: the nonzero scores range in magnitude from %.3g to %.3g (dynamic range %.3g, which lp_solve should resolve)",
		ErrNotOptimal, what, lo, hi, hi/lo)
}

// timeoutError is the error of a solve stopped by the time limit; it
// matches both ErrTimeout and ErrNotOptimal.
type timeoutError struct{ msg string }

func (e *timeoutError) Error() string { return e.msg }

func (e *timeoutError) Is(target error) bool { return target == ErrTimeout || target == ErrNotOptimal }

// statusName names lp_solve's status codes, including those golp does not
// name (ACCURACYERROR, 25, from lp_solve's lp_lib.h).
func statusName(st golp.SolutionType) string {
	switch st {
	case 9:
		return "PRESOLVED"
	case 25:
		return "ACCURACYERROR"
	}
	return st.String()
}

// maxRange is the ratio of the largest to the smallest nonzero |score|
// above which a numerical failure of lp_solve is put down to the dynamic
// range: lp_solve's tolerances (feasibility 1e-10, MIP gaps 1e-11,
// integrality 1e-7) act relative to scores of order one after scaling.
const maxRange = 1e9

// weightRange returns the smallest and largest nonzero |coefficient| of
// the MILP's objective (θᵢ and the merged edge weights); 0, 0 if all are
// zero.
func weightRange(m *argmax.Model, pairs []pair) (lo, hi float64) {
	lo = math.Inf(1)
	see := func(v float64) {
		if v = math.Abs(v); v != 0 {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	for i := 0; i < m.N; i++ {
		see(m.Theta(i))
	}
	for _, p := range pairs {
		see(p.w)
	}
	if hi == 0 {
		lo = 0
	}
	return lo, hi
}

// build returns the lp_solve problem of the formulation in docs/solvers.md:
// columns z₀…z_{n−1}, then one yₑ per merged edge in pairs order.
func (s *Solver) build(m *argmax.Model, pairs []pair) *golp.LP {
	n := m.N
	lp := golp.NewLP(0, n+len(pairs))
	lp.SetVerboseLevel(golp.NEUTRAL)
	obj := s.lp.obj[:0]
	for i := 0; i < n; i++ {
		obj = append(obj, m.Theta(i))
	}
	for _, p := range pairs {
		obj = append(obj, p.w)
	}
	// Scale by a power of two so that the largest |coefficient| lies in
	// [½, 1): exact (no rounding, except for coefficients pushed below the
	// normal range when scaling down, which are then far under lp_solve's
	// tolerances anyway), and it puts lp_solve's absolute tolerances and
	// its infinity (1e30) relative to the largest weight.
	big := 0.0
	for _, c := range obj {
		big = max(big, math.Abs(c))
	}
	if big > 0 {
		_, e := math.Frexp(big)
		for i, c := range obj {
			obj[i] = math.Ldexp(c, -e)
		}
	}
	s.lp.obj = obj
	lp.SetObjFn(obj) // also leaves row-entry mode
	lp.SetMaximize()
	for i := 0; i < n; i++ {
		lp.SetBinary(i, true)
	}
	lp.SetAddRowMode(true)
	for k, p := range pairs {
		y := n + k
		lp.SetBounds(y, 0, 1)
		// Column indices ascending (i < j < n ≤ y): lp_solve's
		// add_constraintex misreads unsorted index lists in some modes.
		if p.w > 0 {
			s.lp.row = append(s.lp.row[:0], golp.Entry{Col: p.i, Val: -1}, golp.Entry{Col: y, Val: 1})
			lp.AddConstraintSparse(s.lp.row, golp.LE, 0) // yₑ ≤ zᵢ
			s.lp.row[0].Col = p.j
			lp.AddConstraintSparse(s.lp.row, golp.LE, 0) // yₑ ≤ zⱼ
		} else {
			s.lp.row = append(s.lp.row[:0], golp.Entry{Col: p.i, Val: -1}, golp.Entry{Col: p.j, Val: -1}, golp.Entry{Col: y, Val: 1})
			lp.AddConstraintSparse(s.lp.row, golp.GE, -1) // yₑ ≥ zᵢ + zⱼ − 1
		}
	}
	lp.SetAddRowMode(false)
	return lp
}
