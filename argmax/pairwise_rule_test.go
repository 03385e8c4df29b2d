package argmax

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// structureOf returns the Pairwise structure with m's shape, Supermodular
// when every weight of m is ≥ 0.
func structureOf(m *Model) *Pairwise {
	return &Pairwise{N: m.N, K: m.K, Edges: slices.Clone(m.Edges), Supermodular: len(m.Edges) > 0 && m.Supermodular()}
}

// weightsOf returns m's weights in the layout of structureOf(m).
func weightsOf(m *Model) []float64 {
	w := slices.Clone(m.Unary)
	for _, e := range m.Edges {
		w = append(w, e.W)
	}
	return w
}

// firstSolver asks the rule every way there is, checks the answers agree,
// and returns the name and the solver.
func firstSolver(t *testing.T, p *Pairwise) (string, Maximizer, error) {
	t.Helper()
	names := p.Solvers()
	name, s, err := Fastest(p)
	if len(names) == 0 {
		if err == nil {
			t.Fatalf("%s: Solvers() is empty but Fastest gave %q", p.Name(), name)
		}
		if _, err2 := p.NewSolver("bnb"); err2 == nil || err2.Error() != err.Error() {
			t.Errorf("%s: NewSolver refused with %v, Fastest with %v: the same reason expected", p.Name(), err2, err)
		}
		return "", nil, err
	}
	if err != nil || name != names[0] {
		t.Fatalf("%s: Fastest = %q, %v; Solvers()[0] = %q", p.Name(), name, err, names[0])
	}
	for _, n := range names {
		if _, err := p.NewSolver(n); err != nil {
			t.Errorf("%s: listed solver %q: NewSolver: %v", p.Name(), n, err)
		}
	}
	for _, n := range []string{"categorical", "maxflow", "maxproduct", "graycode", "bnb", "qpbo", "milp", "exhaustive", "independent", "cplex"} {
		if !slices.Contains(names, n) {
			if _, err := p.NewSolver(n); err == nil {
				t.Errorf("%s: NewSolver(%q) accepted a solver not in Solvers() = %v", p.Name(), n, names)
			}
		}
	}
	if slices.Contains(names, "milp") != (milpFactory() != nil && slices.Contains(names, "qpbo")) {
		t.Errorf("%s: Solvers() = %v lists milp without a registered MILP solver or misses it with one", p.Name(), names)
	}
	return name, s, nil
}

func TestPairwiseRule(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	path := func(n int) *Model {
		m := NewBinary(make([]float64, n), nil)
		for i := 0; i+1 < n; i++ {
			m.Edges = append(m.Edges, Edge{I: i, J: i + 1, W: float64(2*(i%2) - 1)})
		}
		return m
	}
	cases := []struct {
		m    *Model
		name string
	}{
		{NewCategorical([]float64{1, 2, 3}), "categorical"},
		{NewBinary([]float64{1, -1}, nil), "categorical"},
		{randomBinary(r, 15, 1, realWeights, true), "maxflow"},
		{randomBinary(r, 6, 1, realWeights, false), "graycode"},
		{randomBinary(r, 15, 1, realWeights, false), "bnb"},
		{path(15), "maxproduct"},
		{path(1000), "maxproduct"},
	}
	for _, c := range cases {
		if !c.m.Supermodular() && c.name == "maxflow" {
			t.Fatal("generator gave a non-supermodular model")
		}
		p := structureOf(c.m)
		name, s, err := firstSolver(t, p)
		if err != nil || name != c.name {
			t.Errorf("%s: first solver %q, %v; want %q", p.Name(), name, err, c.name)
			continue
		}
		// The first solver must accept the model and be exact.
		z := make([]int, c.m.N)
		got, err := s.Maximize(weightsOf(c.m), z)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		want := 0.0
		if c.m.N <= 20 {
			want, _ = bruteForce(c.m)
		} else {
			want = chainDP(c.m)
		}
		if !closeRel(got, want, 1e-9) {
			t.Errorf("%s: value %v, reference %v", c.name, got, want)
		}
	}
	if names := (&Pairwise{N: 1, K: 1}).Solvers(); len(names) != 0 {
		t.Errorf("an invalid structure lists %v", names)
	}
	if _, _, err := Fastest(&Pairwise{N: 1, K: 1}); !errors.Is(err, ErrShape) {
		t.Errorf("Fastest of an invalid structure: %v, want ErrShape", err)
	}
}

// TestPairwiseRuleLargeComponent: a path of 70 variables with mixed signs
// has a component above the branch-and-bound cap; as a forest it goes to
// max-product, and with one cycle closed to QPBO, which labels the path
// and is exact. Cutting it in the middle leaves components for branch and
// bound.
func TestPairwiseRuleLargeComponent(t *testing.T) {
	n := MaxBranchAndBoundVars + 6
	m := NewBinary(make([]float64, n), nil)
	for i := 0; i+1 < n; i++ {
		w := 1.0
		if i%2 == 1 {
			w = -1
		}
		m.Edges = append(m.Edges, Edge{I: i, J: i + 1, W: w})
	}
	if got := shapeStats(n, m.Edges).size; got != n {
		t.Fatalf("largest component = %d, want %d", got, n)
	}
	for i := range m.Unary {
		m.Unary[i] = float64(i%5) - 2
	}
	want := chainDP(m)
	p := structureOf(m)
	if name, _, err := firstSolver(t, p); err != nil || name != "maxproduct" {
		t.Fatalf("path of %d: first solver %q, %v; want maxproduct", n, name, err)
	}
	if names := p.Solvers(); !slices.Contains(names, "qpbo") || slices.Contains(names, "bnb") {
		t.Errorf("path of %d: Solvers() = %v, want qpbo and no bnb", n, names)
	}
	z := make([]int, n)
	for _, name := range []string{"maxproduct", "qpbo"} {
		s, _ := p.NewSolver(name)
		got, err := s.Maximize(weightsOf(m), z)
		if err != nil || !closeRel(got, want, 1e-12) || m.Score(z) != got {
			t.Errorf("path of %d: %s %v (%v), dynamic programming %v", n, name, got, err, want)
		}
	}
	// Closing a cycle (a zero-weight pair still counts: the rule sees
	// shapes only) leaves QPBO first.
	cyc := structureOf(m)
	cyc.Edges = append(cyc.Edges, Edge{I: 0, J: n - 1})
	if name, _, err := firstSolver(t, cyc); err != nil || name != "qpbo" {
		t.Errorf("cycle of %d: first solver %q, %v; want qpbo", n, name, err)
	}
	// Cutting the cycle in two paths of 35 joined by the closing pair
	// gives components of at most 64: branch and bound.
	cut := structureOf(m)
	cut.Edges = slices.Delete(cut.Edges, n/2, n/2+1)
	cut.Edges = append(cut.Edges, Edge{I: 0, J: n/2 - 1}, Edge{I: n/2 + 1, J: n - 1})
	if name, _, err := firstSolver(t, cut); err != nil || name != "bnb" {
		t.Errorf("split cycle: first solver %q, %v; want bnb", name, err)
	}
}

// TestPairwiseRuleCanFinish: over general-sign structures of growing size
// and density, whatever the rule puts first must solve a model exactly
// within its default limits; what it refuses is refused with ErrTooLarge
// and a reason. Before the limits, a dense 64-variable model went to
// branch and bound, which searched for hours.
func TestPairwiseRuleCanFinish(t *testing.T) {
	type family struct {
		n      int
		deg    float64 // average degree; 0 for the complete graph
		chosen string  // "" when the rule must refuse
	}
	fams := []family{
		{20, 0, "bnb"}, {40, 0, "bnb"}, {44, 0, "bnb"},
		{46, 0, ""}, {64, 0, ""}, {50, 0, ""},
		{64, 6, "bnb"}, {64, 16, "bnb"}, {64, 24, "bnb"}, {64, 32, ""},
		// Above MaxBranchAndBoundVars: QPBO on sparse components (its
		// roof duality labels nearly all of these N(0,1) general-sign
		// models, leaving small components to branch and bound); dense
		// ones are refused.
		{100, 3, "qpbo"}, {500, 3, "qpbo"}, {1000, 4, "qpbo"},
	}
	for _, f := range fams {
		var m *Model
		if f.deg == 0 {
			m = bnbDenseModels(f.n, 1, uint64(f.n))[0]
		} else {
			m = bnbSparseModels(f.n, f.deg, 1, uint64(f.n))[0]
		}
		label := fmt.Sprintf("n = %d, %d edges", f.n, len(m.Edges))
		p := structureOf(m)
		p.Supermodular = false
		name, s, err := firstSolver(t, p)
		if f.chosen == "" {
			if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "pairwise terms") && !strings.Contains(err.Error(), "average degree") {
				t.Errorf("%s: first solver %q, %v; want ErrTooLarge naming the pairwise terms", label, name, err)
			}
			continue
		}
		if err != nil || name != f.chosen {
			t.Errorf("%s: first solver %q, %v; want %q", label, name, err, f.chosen)
			continue
		}
		if _, err := s.Maximize(weightsOf(m), make([]int, m.N)); err != nil {
			t.Errorf("%s: the chosen %s did not finish: %v", label, name, err)
		}
	}
	// A dense component above MaxBranchAndBoundVars is refused even with a
	// MILP solver registered: it could not finish either.
	m := bnbDenseModels(MaxBranchAndBoundVars+6, 1, 70)[0]
	if name, _, err := firstSolver(t, structureOf(m)); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "average degree") {
		t.Errorf("dense n = %d: first solver %q, %v; want ErrTooLarge naming the degree", m.N, name, err)
	}
}

// TestPairwiseRuleShapes: on many random small shapes (forests, graphs
// with cycles, repeated pairs, either sign pattern), every listed solver
// returns the enumerated maximum and a code that attains it.
func TestPairwiseRuleShapes(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 24))
	seen := map[string]bool{}
	for trial := 0; trial < 400; trial++ {
		n := 1 + r.IntN(9)
		super := r.IntN(2) == 0
		var m *Model
		if r.IntN(2) == 0 { // a random forest, sometimes with a repeated pair
			m = randomForest(r, n, weightKind(trial%int(numWeightKinds)), super)
		} else {
			m = randomBinary(r, n, r.Float64(), weightKind(trial%int(numWeightKinds)), super)
		}
		p := structureOf(m)
		p.Supermodular = super && len(m.Edges) > 0
		firstSolver(t, p)
		want, _ := bruteForce(m)
		for _, name := range p.Solvers() {
			seen[name] = true
			s, _ := p.NewSolver(name)
			z := make([]int, n)
			got, err := s.Maximize(weightsOf(m), z)
			if err != nil {
				t.Fatalf("trial %d, %s on %s: %v", trial, name, p.Name(), err)
			}
			if !closeRel(got, want, 1e-9) || !closeRel(m.Score(z), got, 1e-9) {
				t.Fatalf("trial %d, %s on %s: value %v at %v (scores %v), enumeration %v", trial, name, p.Name(), got, z, m.Score(z), want)
			}
		}
	}
	for _, name := range []string{"categorical", "maxflow", "maxproduct", "graycode", "bnb", "qpbo", "exhaustive"} {
		if !seen[name] {
			t.Errorf("no random shape listed %q", name)
		}
	}
}

// randomForest draws a binary model whose edge graph is a forest (each
// variable joins an earlier one or starts a tree); one pair in five
// is repeated.
func randomForest(r *rand.Rand, n int, kind weightKind, nonneg bool) *Model {
	m := &Model{N: n, K: 2, Unary: make([]float64, 2*n)}
	for i := range m.Unary {
		m.Unary[i] = draw(r, kind, false)
	}
	for i := 1; i < n; i++ {
		if r.IntN(5) == 0 {
			continue
		}
		e := Edge{I: r.IntN(i), J: i, W: draw(r, kind, nonneg)}
		if r.IntN(2) == 0 {
			e.I, e.J = e.J, e.I
		}
		m.Edges = append(m.Edges, e)
		if r.IntN(5) == 0 {
			m.Edges = append(m.Edges, Edge{I: e.J, J: e.I, W: draw(r, kind, nonneg)})
		}
	}
	return m
}

// TestRegisterMILP: registering nil, or twice, is an error and leaves
// the registry as it was; "milp" is listed only once registered.
func TestRegisterMILP(t *testing.T) {
	registryMu.Lock()
	saved := milpNew
	milpNew = nil
	registryMu.Unlock()
	defer func() {
		registryMu.Lock()
		milpNew = saved
		registryMu.Unlock()
	}()
	p, _ := Complete(5, false)
	if slices.Contains(p.Solvers(), "milp") {
		t.Fatalf("milp listed with none registered: %v", p.Solvers())
	}
	if _, err := p.NewSolver("milp"); err == nil || !strings.Contains(err.Error(), "qip") {
		t.Errorf("NewSolver(milp) with none registered: %v, want an error naming package qip", err)
	}
	if err := RegisterMILP(nil); err == nil || milpFactory() != nil || slices.Contains(p.Solvers(), "milp") {
		t.Fatalf("RegisterMILP(nil) = %v and left a solver registered", err)
	}
	if err := RegisterMILP(func() PairwiseSolver { return &GrayCode{} }); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(p.Solvers(), "milp") {
		t.Errorf("registered MILP not listed: %v", p.Solvers())
	}
	if err := RegisterMILP(func() PairwiseSolver { return &BranchAndBound{} }); err == nil || !strings.Contains(err.Error(), "already registered") {
		t.Errorf("a second RegisterMILP = %v, want an error", err)
	}
	if _, ok := milpFactory()().(*GrayCode); !ok {
		t.Error("the second RegisterMILP replaced the first")
	}
}
