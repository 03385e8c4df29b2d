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

// chooseBnbMaxEdges: Choose picks branch and bound only for components of
// at most this many pairwise terms. The search's node count grows with the
// number of edges more than with the component's size (N(0,1) weights,
// nodes measured on 2–3 models each: 10³ at 435 edges (dense n = 30),
// 3–5·10⁴ at 768 (n = 64 with degree 24, or n = 48 with degree 32),
// 1.5–4·10⁵ at 946 (dense n = 44), 5–8·10⁵ at 1024 (n = 64, degree 32)),
// so beyond this the default node limit (DefaultNodeLimit ≈ 10⁶) is likely
// to be hit; dense n = 64 (2016 edges) exceeds it by orders of magnitude.
const chooseBnbMaxEdges = 1000

// chooseMILPMaxDegree: Choose picks [QPBO] (with the MILP solver, when
// registered, for a large unlabelled remainder) for a component above
// MaxBranchAndBound variables only if its average degree 2E/k is at most
// this. Roof duality labels nothing on dense general-sign models (0% at
// n = 16–32 complete with N(0,1) weights, measured by
// solverbench -qpbo-crossover), leaving the whole component to branch and
// bound, which refuses it, or to lp_solve, which is slower than branch and
// bound on every dense model measured (1.5 s at dense n = 30, over 1 s at
// dense n = 40); long chains, grids and sparse graphs are easy for QPBO.
const chooseMILPMaxDegree = 16

// qpboChoice is Choose's answer for a sparse general-sign component of k >
// MaxBranchAndBound variables: QPBO, with the registered MILP solver for a
// remainder component too large for branch and bound.
func qpboChoice(k int) Choice {
	milp := milpFactory()
	reason := fmt.Sprintf("general signs with a sparse connected component of %d > %d variables: roof duality (QPBO) labels persistent variables, branch and bound solves the unlabelled rest", k, MaxBranchAndBound)
	if milp == nil {
		reason += " (a remainder component above that size is an error: import package github.com/argmaxvae/argmaxvae/qip for the MILP solver to take it)"
		return Choice{"qpbo", func() Solver { return &QPBO{} }, reason}
	}
	reason += ", the MILP solver any remainder component above that size"
	return Choice{"qpbo", func() Solver { return &QPBO{Large: milp()} }, reason}
}

// Choose returns the fastest exact solver that applies to m and can finish
// at its size:
//
//   - no edges: [Categorical] (named "independent" for binary variables),
//     O(N·K);
//   - all edge weights ≥ 0: [GraphCut], polynomial (about 1 µs at n = 15
//     with 105 edges, against 0.27 ms for the MILP solver);
//   - general signs, n ≤ 6: [Exhaustive];
//   - general signs, every connected component ≤ [MaxBranchAndBound]
//     variables and ≤ 1000 pairwise terms: [BranchAndBound] (about 11 µs at
//     n = 15 dense, 1 ms at n = 30, where lp_solve takes 1.5 s);
//   - general signs with a component of more than [MaxBranchAndBound]
//     variables and average degree ≤ 16: [QPBO], roof duality then branch
//     and bound on the unlabelled remainder, with the registered MILP
//     solver (see [RegisterMILP]) for a remainder component above
//     [MaxBranchAndBound] variables (without one, such a remainder is an
//     error at Solve). On chains, grids and sparse graphs with N(0,1)
//     unaries and |N(0,1)| pair weights, 10% or 50% of them negative, roof
//     duality labelled 99–100% of the variables and QPBO solved n = 10⁴ in
//     1.5–66 ms (median per row); on zero-field spin glasses (bench.Ising)
//     it labels 1–22%, and only the MILP fallback finishes, at n = 100 in
//     24–350 ms (see docs/results/qpbo-scaling.md).
//
// Where branch and bound accepts the model, it stays the choice: on
// general-sign models of at most 64 variables (chains, grids, random
// graphs of degree 3–4, complete graphs of up to 32; 10% or 50% negative
// weights) the ratio of branch and bound's time to QPBO's (QPBO + branch
// and bound on the remainder) was 0.46–1.28 on the sparse ones, above 1
// only for chains of 24–64 variables, and 0.21–0.61 on complete graphs,
// where roof duality labels little at 50% negative weights (solverbench
// -qpbo-crossover, 5 models per row, ratios from one run).
//
// Otherwise, that is for a general-sign component with more than 1000
// pairwise terms (dense beyond about 45 variables) or a larger one with
// average degree above 16, no exact solver here is expected to finish (the
// branch-and-bound node count and the MILP time grow exponentially with
// the edges), and Choose returns an error wrapping [ErrTooLarge] that says
// so instead of a solver that would stop at its node or time limit. A
// caller who wants to try anyway can take [BranchAndBound] with a larger
// NodeLimit directly.
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
	c := componentStats(m)
	if c.size > MaxBranchAndBound {
		if deg := 2 * float64(c.bigEdges) / float64(c.size); deg > chooseMILPMaxDegree {
			return Choice{}, fmt.Errorf("%w: general-sign model with a connected component of %d variables and %d pairwise terms (average degree %.1f > %d): "+
				"too large for branch and bound (≤ %d variables) and too dense for QPBO (roof duality labels next to nothing on dense general-sign models) or the MILP solver to finish; use a sparser or supermodular structure",
				ErrTooLarge, c.size, c.bigEdges, deg, chooseMILPMaxDegree, MaxBranchAndBound)
		}
		return qpboChoice(c.size), nil
	}
	if c.edges > chooseBnbMaxEdges {
		return Choice{}, fmt.Errorf("%w: general-sign model with a connected component of %d pairwise terms (> %d, about a dense component of 45 variables): "+
			"branch and bound would likely stop at its node limit (DefaultNodeLimit = %d) and the MILP solver is slower still; "+
			"use a sparser or supermodular structure, or try &argmax.BranchAndBound{NodeLimit: -1} (no limit) knowingly",
			ErrTooLarge, c.edges, chooseBnbMaxEdges, DefaultNodeLimit)
	}
	return Choice{"bnb", func() Solver { return &BranchAndBound{} }, fmt.Sprintf("general signs, n = %d: branch and bound", m.N)}, nil
}

// chooseComponents describes the connected components of a model's edge graph
// (edges of nonzero weight; repeated pairs count once per edge).
type chooseComponents struct {
	size     int // variables in the largest component
	bigEdges int // edges in that component (the first of the largest)
	edges    int // edges in the component with the most edges
}

// largestComponent returns the size of the largest connected component of
// m's edge graph.
func largestComponent(m *Model) int { return componentStats(m).size }

// componentStats returns the sizes of m's connected components by
// union-find in O(N + E·α(N)).
func componentStats(m *Model) chooseComponents {
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
	edges := make([]int, m.N)
	for _, e := range m.Edges {
		if e.W != 0 {
			edges[find(e.I)]++
		}
	}
	var c chooseComponents
	big := -1
	for i := range parent {
		r := find(i)
		size[r]++
		if size[r] > c.size {
			c.size, big = size[r], r
		}
	}
	c.bigEdges = edges[big]
	for _, e := range edges {
		c.edges = max(c.edges, e)
	}
	return c
}

// ByName returns a factory for the named solver: "categorical",
// "independent", "exhaustive", "maxflow", "bnb", "qpbo" (with the MILP
// solver as [QPBO.Large] when one is registered), or "milp" (only when a
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
	case "qpbo":
		if f := milpFactory(); f != nil {
			return func() Solver { return &QPBO{Large: f()} }, nil
		}
		return func() Solver { return &QPBO{} }, nil
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
	return []string{"categorical", "independent", "exhaustive", "maxflow", "bnb", "qpbo", "milp"}
}
