package argmax

import (
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
	for _, name := range []string{"categorical", "independent", "exhaustive", "maxflow", "bnb"} {
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
	if milpFactory() == nil {
		if _, err := Choose(m); err == nil || !strings.Contains(err.Error(), "qip") {
			t.Errorf("Choose = %v, want an error naming qip", err)
		}
	}
	// Cutting the path in the middle (a zero weight) leaves components of
	// at most 35: branch and bound.
	m.Edges[n/2].W = 0
	ch, err := Choose(m)
	if err != nil || ch.Name != "bnb" {
		t.Errorf("split path: Choose = %q, %v; want bnb", ch.Name, err)
	}
}
