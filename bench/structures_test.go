package bench

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/argmaxvae/argmaxvae/argmax"
)

// benchMaximize solves a fixed pool of weight vectors round-robin.
func benchMaximize(b *testing.B, s argmax.Structure, solver string, ws [][]float64) {
	m, err := s.NewSolver(solver)
	if err != nil {
		b.Fatal(err)
	}
	z := make([]int, s.Vars())
	for _, w := range ws {
		if _, err := m.Maximize(w, z); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := m.Maximize(ws[i%len(ws)], z); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// poolSize keeps a pool of weight vectors near 1 MB.
func poolSize(dim int) int { return max(4, min(64, (1<<17)/dim)) }

// sparseGraph returns a connected graph on n nodes with about n·deg/2
// edges: a random tree plus random extra pairs.
func sparseGraph(r *rand.Rand, n int, deg float64) [][2]int {
	var edges [][2]int
	for v := 1; v < n; v++ {
		edges = append(edges, [2]int{v, r.IntN(v)})
	}
	for len(edges) < int(float64(n)*deg/2) {
		a, b := r.IntN(n), r.IntN(n)
		if a != b {
			edges = append(edges, [2]int{a, b})
		}
	}
	return edges
}

// BenchmarkTopK: k-subsets at the experiment's size (10 of 20) and a large
// one (100 of 1000).
func BenchmarkTopK(b *testing.B) {
	for _, sh := range [][2]int{{20, 10}, {1000, 100}} {
		s, err := argmax.NewKSubset(sh[0], sh[1])
		if err != nil {
			b.Fatal(err)
		}
		ws := Weights(rand.New(rand.NewPCG(1, 2)), s, poolSize(s.Dim()))
		b.Run(fmt.Sprintf("n=%d/k=%d", sh[0], sh[1]), func(b *testing.B) { benchMaximize(b, s, "topk", ws) })
	}
}

// BenchmarkHungarian: n×n assignment at the experiment's size (6) and
// larger.
func BenchmarkHungarian(b *testing.B) {
	for _, n := range []int{6, 20, 100} {
		s, err := argmax.NewMatching(n)
		if err != nil {
			b.Fatal(err)
		}
		ws := Weights(rand.New(rand.NewPCG(1, 2)), s, poolSize(s.Dim()))
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) { benchMaximize(b, s, "hungarian", ws) })
	}
}

// BenchmarkKruskal: spanning trees of the complete graph on 8 nodes (the
// experiment's size) and of a sparse graph on 100 nodes (average degree
// 4).
func BenchmarkKruskal(b *testing.B) {
	for _, g := range []struct {
		name  string
		nodes int
		edges [][2]int
	}{
		{"complete-8", 8, argmax.CompleteGraph(8)},
		{"sparse-100", 100, sparseGraph(rand.New(rand.NewPCG(1, 3)), 100, 4)},
	} {
		s, err := argmax.NewSpanningTree(g.nodes, g.edges)
		if err != nil {
			b.Fatal(err)
		}
		ws := Weights(rand.New(rand.NewPCG(1, 2)), s, poolSize(s.Dim()))
		b.Run(fmt.Sprintf("%s/E=%d", g.name, len(g.edges)), func(b *testing.B) { benchMaximize(b, s, "kruskal", ws) })
	}
}

// CompleteTreeEnumerate visits each of the n^(n−2) trees once (every code
// it could return is feasible) and agrees with argmax.Enumerate, codes
// included, on continuous weights for n = 2…5.
func TestCompleteTreeEnumerate(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 1))
	for n := 2; n <= 5; n++ {
		s, err := argmax.NewSpanningTree(n, argmax.CompleteGraph(n))
		if err != nil {
			t.Fatal(err)
		}
		ref := CompleteTreeEnumerate(n)
		for _, w := range Weights(r, s, 20) {
			z, ze := make([]int, s.Vars()), make([]int, s.Vars())
			v, err := ref(w, z)
			if err != nil {
				t.Fatal(err)
			}
			ve, err := argmax.Enumerate(s, w, ze)
			if err != nil {
				t.Fatal(err)
			}
			if v != ve || fmt.Sprint(z) != fmt.Sprint(ze) || !s.Feasible(z) {
				t.Fatalf("n = %d: Prüfer enumeration %v %v, Enumerate %v %v", n, z, v, ze, ve)
			}
		}
	}
	if _, err := CompleteTreeEnumerate(4)(make([]float64, 11), make([]int, 6)); err == nil {
		t.Error("wrong length accepted")
	}
}

// wrongMaximizer returns all zeros, which is not a k-subset for k > 0.
type wrongMaximizer struct{}

func (wrongMaximizer) Maximize(w []float64, z []int) (float64, error) {
	clear(z)
	return 0, nil
}

// CheckExactMaximizer catches an infeasible code and a wrong value;
// MeasureMaximizer counts the allocations of a solver that allocates.
func TestCheckExactMaximizer(t *testing.T) {
	s, err := argmax.NewKSubset(6, 2)
	if err != nil {
		t.Fatal(err)
	}
	ws := Weights(rand.New(rand.NewPCG(3, 2)), s, 5)
	top, err := s.NewSolver("topk")
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckExactMaximizer(s, top, ws, Enumerate(s)); err != nil {
		t.Fatal(err)
	}
	if err := CheckExactMaximizer(s, wrongMaximizer{}, ws, Enumerate(s)); err == nil || !strings.Contains(err.Error(), "not feasible") {
		t.Errorf("infeasible code: %v", err)
	}
	off := func(w []float64, z []int) (float64, error) {
		v, err := argmax.Enumerate(s, w, z)
		return v + 1e-6, err
	}
	if err := CheckExactMaximizer(s, top, ws, off); err == nil || !strings.Contains(err.Error(), "reference") {
		t.Errorf("wrong value: %v", err)
	}
	failing := func(w []float64, z []int) (float64, error) { return 0, errors.New("boom") }
	if err := CheckExactMaximizer(s, top, ws, failing); err == nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("failing reference: %v", err)
	}
	// The count is process-wide (runtime.MemStats), so the runtime's own
	// allocations on a loaded machine can add a few; the solver's own are
	// the same in every measurement, so the least of five is the one to
	// test (under full ./test.sh load one measurement read 0.47).
	least := math.Inf(1)
	for range 5 {
		_, allocs, err := MeasureMaximizer(top, 6, ws, 3)
		if err != nil {
			t.Fatal(err)
		}
		least = min(least, allocs)
	}
	if least != 0 {
		t.Errorf("topk: %v allocs a solve (the least of five measurements)", least)
	}
	if _, allocs, err := MeasureMaximizer(enumerateOnce{s}, 6, ws, 3); err != nil || allocs < 1 {
		t.Errorf("argmax.Enumerate: %v allocs, %v; it allocates an Enumerator per call", allocs, err)
	}
}

// enumerateOnce is a Maximizer that allocates on every call: a new
// argmax.Enumerator each time.
type enumerateOnce struct{ s argmax.Structure }

func (e enumerateOnce) Maximize(w []float64, z []int) (float64, error) {
	return argmax.Enumerate(e.s, w, z)
}
