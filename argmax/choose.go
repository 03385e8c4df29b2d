package argmax

import (
	"fmt"
	"sort"
	"strings"
)

// Choice is a solver picked for a model: its name, a factory (each
// goroutine needs its own solver) and why it was picked.
type Choice struct {
	Name   string
	New    func() Solver
	Reason string
}

// Thresholds used by [Choose], from measurements on this project's
// benchmarks (go test -bench . ./bench/, see README):
const (
	// chooseExhaustiveMaxN: at or below this many variables, Gray-code
	// enumeration is as fast as branch and bound on dense general-sign
	// models (2ⁿ steps of a few ns beat the bookkeeping of the search).
	chooseExhaustiveMaxN = 8
	// chooseBnBMaxN: above this many variables branch and bound on dense
	// general-sign models can take exponential time with a large base, so
	// the MILP solver is preferred when it is registered.
	chooseBnBMaxN = 40
)

// Choose returns the fastest exact solver that applies to m:
//
//   - no edges: [Categorical] (named "independent" for binary variables),
//     O(N·K);
//   - all edge weights ≥ 0: [GraphCut], polynomial;
//   - general signs, n ≤ 8: [Exhaustive];
//   - general signs, n ≤ 40 (or any n when no MILP solver is registered):
//     [BranchAndBound];
//   - general signs, larger and dense: the registered MILP solver.
//
// The choice depends on the model's shape and signs, not on its values
// beyond that, so a trainer can choose once for its structure — but only if
// the sign pattern is fixed (softplus pairwise scores are never negative).
func Choose(m *Model) (Choice, error) {
	if err := m.Validate(); err != nil {
		return Choice{}, err
	}
	switch {
	case len(m.Edges) == 0 && m.K == 2:
		return Choice{"independent", func() Solver { return Categorical{} }, "no pairwise terms: each bit on its own, O(n)"}, nil
	case len(m.Edges) == 0:
		return Choice{"categorical", func() Solver { return Categorical{} }, "no pairwise terms: argmax per variable, O(N·K)"}, nil
	case m.Supermodular():
		return Choice{"maxflow", func() Solver { return &GraphCut{} }, "all pairwise weights ≥ 0: exact by s-t min cut"}, nil
	case m.N <= chooseExhaustiveMaxN:
		return Choice{"exhaustive", func() Solver { return &Exhaustive{} }, fmt.Sprintf("general signs, n = %d ≤ %d: enumeration is cheapest", m.N, chooseExhaustiveMaxN)}, nil
	}
	if f := milpFactory(); f != nil && m.N > chooseBnBMaxN && 2*len(m.Edges) > 3*m.N {
		return Choice{"milp", f, fmt.Sprintf("general signs, n = %d > %d with %d edges: MILP", m.N, chooseBnBMaxN, len(m.Edges))}, nil
	}
	return Choice{"bnb", func() Solver { return &BranchAndBound{} }, fmt.Sprintf("general signs, n = %d: branch and bound", m.N)}, nil
}

// ByName returns a factory for the named solver: "categorical",
// "independent", "exhaustive", "maxflow", "bnb", or "milp" (only when a
// MILP solver is registered, see [RegisterMILP]). Unknown names give an
// error listing the known ones.
func ByName(name string) (func() Solver, error) {
	switch name {
	case "categorical", "independent":
		return func() Solver { return Categorical{} }, nil
	case "exhaustive":
		return func() Solver { return &Exhaustive{} }, nil
	case "maxflow":
		return func() Solver { return &GraphCut{} }, nil
	case "bnb":
		return func() Solver { return &BranchAndBound{} }, nil
	case "milp":
		if f := milpFactory(); f != nil {
			return f, nil
		}
		return nil, fmt.Errorf("argmax: solver %q is not registered: import package github.com/argmaxvae/argmaxvae/qip", name)
	}
	names := SolverNames()
	sort.Strings(names)
	return nil, fmt.Errorf("argmax: unknown solver %q (known: %s)", name, strings.Join(names, ", "))
}

// SolverNames lists the names [ByName] accepts.
func SolverNames() []string {
	return []string{"categorical", "independent", "exhaustive", "maxflow", "bnb", "milp"}
}
