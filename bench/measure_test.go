package bench

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/argmaxvae/argmaxvae/argmax"
)

// wrong is a deliberately inexact solver: it returns the all-zero
// assignment.
type wrong struct{}

func (wrong) Solve(m *argmax.Model, z []int) (float64, error) {
	clear(z[:m.N])
	return m.Score(z), nil
}

func TestCheckExactCatchesWrongSolver(t *testing.T) {
	ms := pool(20, func(r *rand.Rand) *argmax.Model { return Dense(r, 8, false) })
	if err := CheckExact(&argmax.BranchAndBound{}, ms); err != nil {
		t.Errorf("bnb flagged inexact: %v", err)
	}
	if err := CheckExact(wrong{}, ms); err == nil {
		t.Error("all-zero solver passed the exactness check")
	}
}

func TestMeasureCountsAllocations(t *testing.T) {
	ms := pool(8, func(r *rand.Rand) *argmax.Model { return Dense(r, 10, true) })
	med, allocs, err := Measure(&argmax.GraphCut{}, ms, 3)
	if err != nil || med <= 0 || allocs != 0 {
		t.Errorf("GraphCut: median %v ns, %v allocs/op, err %v; want > 0 ns and 0 allocs", med, allocs, err)
	}
}

func TestGenerators(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	if m := Dense(r, 15, true); len(m.Edges) != 105 || !m.Supermodular() || m.Validate() != nil {
		t.Errorf("Dense(15): %d edges, supermodular %v", len(m.Edges), m.Supermodular())
	}
	if m := Grid(r, 4, 3); m.N != 12 || len(m.Edges) != 3*3+4*2 || !m.Supermodular() {
		t.Errorf("Grid(4,3): n %d, %d edges", m.N, len(m.Edges))
	}
	if m := Sparse(r, 40, 3); len(m.Edges) != 60 || m.Validate() != nil {
		t.Errorf("Sparse(40,3): %d edges", len(m.Edges))
	}
	lines := Ratios([]Result{
		{Solver: "maxflow", Structure: "dense-supermodular", N: 15, MedianNs: 1000},
		{Solver: "milp", Structure: "dense-supermodular", N: 15, MedianNs: 200000},
	})
	if len(lines) != 1 || !strings.Contains(lines[0], "200.0×") || !strings.Contains(lines[0], "MISSES") {
		t.Errorf("Ratios = %q", lines)
	}
}
