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
// lp_solve. It implements argmax.Solver.
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
// of an integer count as integral. The tests find the maximum exact on
// integer weights and within 1e-9 of Σ|scores| on real weights (in practice
// within about 1e-12), against enumeration on n ≤ 15.
//
// Ties are broken by lp_solve's branch and bound: deterministic for a given
// model, including its edge order, but not the tie-break of
// argmax.Exhaustive.
//
// A Solver builds a fresh lp_solve problem per call (golp offers no way to
// delete rows) and frees it before returning; its Go buffers are reused. It
// is not safe for concurrent use; separate Solvers may run in parallel
// (argmax.Batch), since lp_solve keeps its state in the problem.
type Solver struct {
	// Timeout bounds the wall time of one lp_solve call; lp_solve counts
	// whole seconds, so it is rounded up. Zero means no limit. A solve cut
	// short returns ErrNotOptimal (status SUBOPTIMAL or TIMEOUT).
	Timeout time.Duration

	pairs []pair
	obj   []float64
	row   []golp.Entry
}

// New returns a Solver with no timeout.
func New() *Solver { return &Solver{row: make([]golp.Entry, 0, 3)} }

func init() { argmax.RegisterMILP(func() argmax.Solver { return New() }) }

// Solve implements argmax.Solver: it writes a maximizer of h into z[:m.N]
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
	if s.Timeout > 0 {
		lp.SetTimeout(int(math.Ceil(s.Timeout.Seconds())))
	}
	if st := lp.Solve(); st != golp.OPTIMAL {
		return 0, fmt.Errorf("%w: status %v (%d) on a model with %d variables and %d merged edges", ErrNotOptimal, st, int(st), n, len(pairs))
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
