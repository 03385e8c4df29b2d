package qip

import (
	"fmt"
	"math"
	"time"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/draffensperger/golp"
)

// skipStepOFFix disables [noStepOF]; only tests set it, to show the fix matters.
var skipStepOFFix = false

// IntTol is how far from 0 or 1 a binary variable of lp_solve's solution
// may be before [Solver.Solve] refuses it with [ErrNotIntegral]. lp_solve's
// own integrality tolerance (epsint) is 1e-7.
const IntTol = 1e-6

// Solver solves argmax.Model (K = 2, any edge signs) exactly as a MILP with
// lp_solve. It implements argmax.PairwiseSolver.
//
// # Formulation
//
// After merging repeated edges (weights of the same unordered pair add up;
// pairs that sum to zero are dropped), the model
// h(z) = c + Σᵢ θᵢzᵢ + Σₑ wₑ·zᵢzⱼ, with c = Σᵢ Unary[2i] and
// θᵢ = Unary[2i+1] − Unary[2i], becomes
//
//	maximize   Σᵢ θᵢ zᵢ + Σₑ wₑ yₑ
//	subject to zᵢ ∈ {0,1},  0 ≤ yₑ ≤ 1,
//	           yₑ ≤ zᵢ, yₑ ≤ zⱼ        for each edge e = (i,j) with wₑ > 0,
//	           yₑ ≥ zᵢ + zⱼ − 1        for each edge e = (i,j) with wₑ < 0.
//
// The full (McCormick) linearization of yₑ = zᵢzⱼ would impose all of
// yₑ ≤ zᵢ, yₑ ≤ zⱼ, yₑ ≥ zᵢ + zⱼ − 1 and yₑ ≥ 0 on every edge. Half of
// them are redundant at an optimum, because the objective pushes yₑ in one
// direction only and each yₑ appears in no other constraint:
//
//   - wₑ > 0: the objective grows with yₑ, so at an optimum yₑ sits at its
//     upper limit min(zᵢ, zⱼ). That value already satisfies
//     yₑ ≥ zᵢ + zⱼ − 1 and yₑ ≥ 0 (min(a,b) ≥ a+b−1 and ≥ 0 for a, b in
//     [0,1]), so those lower constraints never bind and can be dropped.
//   - wₑ < 0: the objective shrinks as yₑ grows, so at an optimum yₑ sits at
//     its lower limit max(0, zᵢ + zⱼ − 1), which is ≤ min(zᵢ, zⱼ); the
//     upper constraints never bind and can be dropped.
//
// For binary z both limits equal zᵢzⱼ, so the MILP optimum is
// max_z h(z) − c. The same argument holds for fractional z, so the LP
// relaxation, and hence lp_solve's branch-and-bound bound, is exactly that
// of the full linearization: dropping the rows costs nothing.
//
// The MILP has n binary and E′ continuous columns (E′ = merged nonzero
// edges) and 2·E′₊ + E′₋ rows; building it is O(n + E log E). Branch and
// bound is exponential in n in the worst case. Median times on dense
// models with N(0,1) weights (BenchmarkDense, 2-core AMD EPYC): 2 ms at
// n = 15, 30–40 ms at n = 20, 0.2 s at n = 25, 1.5 s at n = 30; a dense
// n = 40 model does not finish in 1 s.
//
// # Result
//
// Only lp_solve's OPTIMAL status is accepted; any other status is returned
// as [ErrNotOptimal] naming it, never as a silent answer. z is read from the
// solution by rounding each zᵢ, after checking it lies within [IntTol] of 0
// or 1 ([ErrNotIntegral] otherwise), and the returned value is m.Score(z)
// recomputed from z.
//
// Exactness: lp_solve's default "minimum objective step" heuristic prunes
// true optima on real-valued objectives while still reporting OPTIMAL (see
// noStepOF in handle.go), so Solve switches it off on every problem. What
// remains are lp_solve's tolerances: branches within its MIP gaps (1e-11,
// absolute and relative) of the incumbent are pruned and values within 1e-7
// of an integer count as integral. The objective is first scaled by a
// power of two (exactly) so that its largest |coefficient| lies in [½, 1):
// those tolerances, and lp_solve's infinity (1e30), then act relative to
// the largest weight, whatever the units. So the maximum is exact for
// models whose weights are all tiny, even subnormal (a lone θ = 5e-324
// gives z = 1 and 5e-324), or all huge (1e300), as for any other scale;
// a score below about 1e-11 of the largest can be neglected, which changes
// the maximum by less than the rounding of the largest term in a sum. The
// tests find the maximum exact on integer weights (also multiplied by
// 5e-324 or 2¹⁰⁰⁰) and within 1e-9 of Σ|scores| on real weights (in
// practice within about 1e-12), against enumeration on n ≤ 15, including
// models whose magnitudes span 10⁻³⁰ to 10³⁰. Without the scaling, lp_solve
// failed (NUMFAILURE, ACCURACYERROR) on 44% of those and returned 0 for
// models of tiny weights only.
//
// Time limit: a solve stops after [Solver.Timeout] ([DefaultTimeout]
// unless set) with an error wrapping [ErrTimeout]; other statuses that are
// not OPTIMAL are returned as [ErrNotOptimal] with the range of the
// scores' magnitudes, the likely cause when it exceeds 1e9.
//
// Ties are broken by lp_solve's branch and bound: deterministic for a given
// model, including its edge order, but not the tie-break of
// argmax.GrayCode.
//
// A Solver builds a fresh lp_solve problem per call (golp offers no way to
// delete rows) and frees it before returning; its Go buffers are reused. It
// is not safe for concurrent use; separate Solvers may run in parallel
// (argmax.Batch), since lp_solve keeps its state in the problem.
type Solver struct {
	// Timeout bounds the wall time of one lp_solve call; lp_solve counts
	// whole seconds, so it is rounded up. Zero means [DefaultTimeout]; a
	// negative value means no limit. A solve cut short returns an error
	// wrapping [ErrTimeout] (and [ErrNotOptimal]) that names the limit.
	Timeout time.Duration

	pairs []pair
	obj   []float64
	row   []golp.Entry
}

// DefaultTimeout is the time limit of a Solver whose Timeout is zero. A
// solve of a dense model with N(0,1) weights takes about 1.5 s at n = 30 and
// over a minute at n = 40 (lp_solve's time grows exponentially), and a
// trainer solves one model per example per step, so a solve that needs more
// than this is not usable anyway: better an error naming the limit than a
// run that hangs.
const DefaultTimeout = 10 * time.Second

// defaultTimeout is DefaultTimeout; tests lower it to reach the default's
// error path quickly.
var defaultTimeout = DefaultTimeout

// New returns a Solver with the default timeout, [DefaultTimeout].
func New() *Solver { return &Solver{row: make([]golp.Entry, 0, 3)} }

func init() { argmax.RegisterMILP(func() argmax.PairwiseSolver { return New() }) }

// Solve implements argmax.PairwiseSolver: it writes a maximizer of h into z[:m.N]
// and returns h(z).
func (s *Solver) Solve(m *argmax.Model, z []int) (float64, error) {
	if err := m.Validate(); err != nil {
		return 0, err
	}
	if m.K != 2 {
		return 0, fmt.Errorf("%w: the MILP solver needs binary variables (K = 2), got K = %d", argmax.ErrUnsupported, m.K)
	}
	n := m.N
	if len(z) < n {
		return 0, fmt.Errorf("%w: output slice has length %d, want ≥ N = %d", argmax.ErrShape, len(z), n)
	}
	pairs, err := mergeEdges(s.pairs, m.Edges)
	if err != nil {
		return 0, err
	}
	s.pairs = pairs
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

// build returns the lp_solve problem of the formulation in [Solver]:
// columns z₀…z_{n−1}, then one yₑ per merged edge in pairs order.
func (s *Solver) build(m *argmax.Model, pairs []pair) *golp.LP {
	n := m.N
	lp := golp.NewLP(0, n+len(pairs))
	lp.SetVerboseLevel(golp.NEUTRAL)
	obj := s.obj[:0]
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
	s.obj = obj
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
			s.row = append(s.row[:0], golp.Entry{Col: p.i, Val: -1}, golp.Entry{Col: y, Val: 1})
			lp.AddConstraintSparse(s.row, golp.LE, 0) // yₑ ≤ zᵢ
			s.row[0].Col = p.j
			lp.AddConstraintSparse(s.row, golp.LE, 0) // yₑ ≤ zⱼ
		} else {
			s.row = append(s.row[:0], golp.Entry{Col: p.i, Val: -1}, golp.Entry{Col: p.j, Val: -1}, golp.Entry{Col: y, Val: 1})
			lp.AddConstraintSparse(s.row, golp.GE, -1) // yₑ ≥ zᵢ + zⱼ − 1
		}
	}
	lp.SetAddRowMode(false)
	return lp
}
