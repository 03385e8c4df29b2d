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

// chooseExhaustiveMaxN: at or below this many variables, Gray-code
// enumeration (2ⁿ steps, no set-up) beats branch and bound on dense
// general-sign models. BenchmarkChoose in bench/ measured, per solve:
// n = 6: enumeration 0.43 µs, branch and bound 0.57 µs; n = 8: 1.6 µs
// against 1.0 µs; n = 12: 32 µs against 5 µs.
const chooseExhaustiveMaxN = 6

// Choose returns the fastest exact solver that applies to m:
//
//   - no edges: [Categorical] (named "independent" for binary variables),
//     O(N·K);
//   - all edge weights ≥ 0: [GraphCut], polynomial (about 1 µs at n = 15
//     with 105 edges, against 0.27 ms for the MILP solver);
//   - general signs, n ≤ 6: [Exhaustive];
//   - general signs, every connected component ≤ [MaxBranchAndBound]
//     variables: [BranchAndBound] (about 11 µs at n = 15 dense, 1 ms at
//     n = 30, where lp_solve takes 1.5 s);
//   - general signs with a larger component: the registered MILP solver
//     (see [RegisterMILP]), or an error if none is registered.
//
// The choice depends on the model's shape and signs only, so a trainer can
// choose once for its structure when the sign pattern is fixed (softplus
// pairwise scores are never negative).
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
	if c := largestComponent(m); c > MaxBranchAndBound {
		if f := milpFactory(); f != nil {
			return Choice{"milp", f, fmt.Sprintf("general signs with a connected component of %d > %d variables: MILP", c, MaxBranchAndBound)}, nil
		}
		return Choice{}, fmt.Errorf("%w: general-sign model with a connected component of %d variables needs the MILP solver: import package github.com/argmaxvae/argmaxvae/qip", ErrTooLarge, c)
	}
	return Choice{"bnb", func() Solver { return &BranchAndBound{} }, fmt.Sprintf("general signs, n = %d: branch and bound", m.N)}, nil
}

// largestComponent returns the size of the largest connected component of
// m's edge graph, by union-find in O(N + E·α(N)).
func largestComponent(m *Model) int {
	parent := make([]int, m.N)
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for _, e := range m.Edges {
		if e.W != 0 {
			parent[find(e.I)] = find(e.J)
		}
	}
	size := make([]int, m.N)
	best := 0
	for i := range parent {
		r := find(i)
		size[r]++
		best = max(best, size[r])
	}
	return best
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
