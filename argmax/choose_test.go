package argmax

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestChoose(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	cases := []struct {
		m    *Model
		name string
	}{
		{NewCategorical([]float64{1, 2, 3}), "categorical"},
		{NewBinary([]float64{1, -1}, nil), "independent"},
		{randomBinary(r, 15, 1, realWeights, true), "maxflow"},
		{randomBinary(r, 6, 1, realWeights, false), "exhaustive"},
		{randomBinary(r, 15, 1, realWeights, false), "bnb"},
	}
	for _, c := range cases {
		if !c.m.Supermodular() && c.name == "maxflow" {
			t.Fatal("generator gave a non-supermodular model")
		}
		ch, err := Choose(c.m)
		if err != nil {
			t.Fatal(err)
		}
		if ch.Name != c.name {
			t.Errorf("Choose = %q (%s), want %q", ch.Name, ch.Reason, c.name)
			continue
		}
		// The chosen solver must accept the model and be exact.
		z := make([]int, c.m.N)
		got, err := ch.New().Solve(c.m, z)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		want, _ := bruteForce(c.m)
		if !closeRel(got, want, 1e-9) {
			t.Errorf("%s: value %v, brute force %v", c.name, got, want)
		}
	}
	if _, err := Choose(&Model{N: 1, K: 0}); err == nil {
		t.Error("Choose accepted an invalid model")
	}
}

func TestByName(t *testing.T) {
	for _, name := range []string{"categorical", "independent", "exhaustive", "maxflow", "bnb", "qpbo"} {
		f, err := ByName(name)
		if err != nil || f() == nil {
			t.Errorf("ByName(%q): %v", name, err)
		}
	}
	if milpFactory() == nil {
		if _, err := ByName("milp"); err == nil || !strings.Contains(err.Error(), "qip") {
			t.Errorf("milp without qip: err = %v, want a hint to import qip", err)
		}
	}
	if _, err := ByName("cplex"); err == nil || !strings.Contains(err.Error(), "known: ") {
		t.Errorf("unknown name: err = %v", err)
	}
}

func TestChooseLargeComponent(t *testing.T) {
	// A path of 70 variables with mixed signs: one component above the
	// branch-and-bound cap. Without a registered MILP solver, Choose says
	// what to import.
	n := MaxBranchAndBound + 6
	m := NewBinary(make([]float64, n), nil)
	for i := 0; i+1 < n; i++ {
		w := 1.0
		if i%2 == 1 {
			w = -1
		}
		m.Edges = append(m.Edges, Edge{I: i, J: i + 1, W: w})
	}
	if got := largestComponent(m); got != n {
		t.Fatalf("largestComponent = %d, want %d", got, n)
	}
	// Choose picks QPBO, which labels the whole path (a tree) and is exact.
	ch, err := Choose(m)
	if err != nil || ch.Name != "qpbo" {
		t.Fatalf("path of %d: Choose = %q, %v; want qpbo", n, ch.Name, err)
	}
	if milpFactory() == nil && !strings.Contains(ch.Reason, "qip") {
		t.Errorf("without a MILP solver, the reason %q should say to import qip for large remainders", ch.Reason)
	}
	for i := range m.Unary {
		m.Unary[i] = float64(i%5) - 2
	}
	z := make([]int, n)
	got, err := ch.New().Solve(m, z)
	if want := chainDP(m); err != nil || !closeRel(got, want, 1e-12) || m.Score(z) != got {
		t.Errorf("path of %d: QPBO %v (%v), dynamic programming %v", n, got, err, want)
	}
	// Cutting the path in the middle (a zero weight) leaves components of
	// at most 35: branch and bound.
	m.Edges[n/2].W = 0
	ch, err = Choose(m)
	if err != nil || ch.Name != "bnb" {
		t.Errorf("split path: Choose = %q, %v; want bnb", ch.Name, err)
	}
}

// TestChooseCanFinish: over general-sign models of growing size and
// density, whatever Choose picks must solve the model exactly within its
// default limits; what it refuses is refused with ErrTooLarge and a reason.
// Before the limits, Choose picked branch and bound for a dense
// 64-variable model, which searched for hours.
func TestChooseCanFinish(t *testing.T) {
	type family struct {
		n      int
		deg    float64 // average degree; 0 for the complete graph
		chosen string  // "" when Choose must refuse
	}
	fams := []family{
		{20, 0, "bnb"}, {40, 0, "bnb"}, {44, 0, "bnb"},
		{46, 0, ""}, {64, 0, ""}, {50, 0, ""},
		{64, 6, "bnb"}, {64, 16, "bnb"}, {64, 24, "bnb"}, {64, 32, ""},
		// Above MaxBranchAndBound: QPBO on sparse components (its roof
		// duality labels nearly all of these N(0,1) general-sign models,
		// leaving small components to branch and bound); dense ones are
		// refused.
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
		ch, err := Choose(m)
		if f.chosen == "" {
			if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "pairwise terms") && !strings.Contains(err.Error(), "average degree") {
				t.Errorf("%s: Choose = %q, %v; want ErrTooLarge naming the pairwise terms", label, ch.Name, err)
			}
			continue
		}
		if err != nil || ch.Name != f.chosen {
			t.Errorf("%s: Choose = %q, %v; want %q", label, ch.Name, err, f.chosen)
			continue
		}
		if _, err := ch.New().Solve(m, make([]int, m.N)); err != nil {
			t.Errorf("%s: the chosen %s did not finish: %v", label, ch.Name, err)
		}
	}
	// A dense component above MaxBranchAndBound is refused even with a
	// MILP solver registered: it could not finish either.
	m := bnbDenseModels(MaxBranchAndBound+6, 1, 70)[0]
	if ch, err := Choose(m); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "average degree") {
		t.Errorf("dense n = %d: Choose = %q, %v; want ErrTooLarge naming the degree", m.N, ch.Name, err)
	}
}
