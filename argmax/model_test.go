package argmax

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestValidateRejects(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	cases := []struct {
		name string
		m    *Model
		err  error
		msg  string
	}{
		{"nil", nil, ErrShape, "nil model"},
		{"k=0", &Model{N: 1, K: 0}, ErrShape, "K = 0"},
		{"n=0", &Model{N: 0, K: 2}, ErrShape, "N = 0"},
		{"short unary", &Model{N: 2, K: 3, Unary: make([]float64, 5)}, ErrShape, "len(Unary) = 5"},
		{"nan score", &Model{N: 2, K: 2, Unary: []float64{0, 1, nan, 0}}, ErrNotFinite, "Unary[2] (variable 1, state 0)"},
		{"inf score", &Model{N: 1, K: 2, Unary: []float64{0, -inf}}, ErrNotFinite, "Unary[1]"},
		{"edge on K=3", &Model{N: 2, K: 3, Unary: make([]float64, 6), Edges: []Edge{{0, 1, 1}}}, ErrEdge, "need K = 2"},
		{"edge out of range", &Model{N: 2, K: 2, Unary: make([]float64, 4), Edges: []Edge{{0, 2, 1}}}, ErrEdge, "(0,2) out of range"},
		{"negative index", &Model{N: 2, K: 2, Unary: make([]float64, 4), Edges: []Edge{{-1, 0, 1}}}, ErrEdge, "out of range"},
		{"self loop", &Model{N: 2, K: 2, Unary: make([]float64, 4), Edges: []Edge{{1, 1, 1}}}, ErrEdge, "self-loop on variable 1"},
		{"nan weight", &Model{N: 2, K: 2, Unary: make([]float64, 4), Edges: []Edge{{0, 1, nan}}}, ErrNotFinite, "edge 0 (0,1)"},
		// N·K wraps to 0 in int arithmetic: it must not match an empty Unary.
		{"N·K overflows to 0", &Model{N: 4, K: 1 << 62}, ErrShape, "N·K = 4·4611686018427387904 overflows int"},
		{"N·K overflows", &Model{N: 3, K: math.MaxInt / 2}, ErrShape, "overflows int"},
		{"N·K = MaxInt+1", &Model{N: 1 << 32, K: 1 << 31}, ErrShape, "overflows int"},
		{"huge N, K = 2", &Model{N: math.MaxInt, K: 2, Unary: make([]float64, 2)}, ErrShape, "overflows int"},
		{"huge N·K without overflow", &Model{N: 1 << 31, K: 1 << 31}, ErrShape, "len(Unary) = 0"},
	}
	for _, c := range cases {
		err := c.m.Validate()
		if !errors.Is(err, c.err) || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: Validate() = %v, want %v mentioning %q", c.name, err, c.err, c.msg)
		}
	}
}

// TestSolversRefuseOverflowingShape: every solver and the pairwise rule return
// ErrShape, without panicking, on shapes whose N·K overflows.
func TestSolversRefuseOverflowingShape(t *testing.T) {
	solvers := map[string]PairwiseSolver{
		"categorical": Categorical{},
		"graycode":    &GrayCode{},
		"maxproduct":  &MaxProduct{},
		"maxflow":     &GraphCut{},
		"bnb":         &BranchAndBound{},
	}
	for _, m := range []*Model{
		{N: 4, K: 1 << 62},
		{N: 1 << 62, K: 4},
		{N: 2, K: math.MaxInt/2 + 1},
		{N: math.MaxInt/2 + 1, K: 2},
	} {
		for name, s := range solvers {
			_, err := s.Solve(m, make([]int, 4))
			if !errors.Is(err, ErrShape) {
				t.Errorf("%s on N=%d K=%d: err = %v, want ErrShape", name, m.N, m.K, err)
			}
		}
		p := &Pairwise{N: m.N, K: m.K}
		if _, _, err := Fastest(p); !errors.Is(err, ErrShape) || len(p.Solvers()) > 0 {
			t.Errorf("the pairwise rule on N=%d K=%d: %v, %v; want ErrShape and no solver", m.N, m.K, p.Solvers(), err)
		}
	}
}

func TestNewDense(t *testing.T) {
	w := [][]float64{{0, 2, 0}, {2, 0, -1}, {0, 0, 0}}
	m, err := NewDense([]float64{1, -1, 0.5}, w)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Edges) != 2 || m.Edges[0] != (Edge{0, 1, 2}) || m.Edges[1] != (Edge{1, 2, -1}) {
		t.Fatalf("edges = %v", m.Edges)
	}
	if got := m.Score([]int{1, 1, 1}); got != 1-1+0.5+2-1 {
		t.Errorf("Score(111) = %v", got)
	}
	bad := [][]float64{{0, 2}, {3, 0}}
	if _, err := NewDense([]float64{0, 0}, bad); !errors.Is(err, ErrEdge) {
		t.Errorf("asymmetric dense weights: err = %v, want ErrEdge", err)
	}
	if _, err := NewDense([]float64{0, 0}, [][]float64{{1, 0}, {0, 0}}); !errors.Is(err, ErrEdge) {
		t.Errorf("diagonal weight: err = %v, want ErrEdge", err)
	}
	if _, err := NewDense([]float64{0, 0}, [][]float64{{0, 0}}); !errors.Is(err, ErrShape) {
		t.Errorf("short matrix: err = %v, want ErrShape", err)
	}
	if _, err := NewDense([]float64{0, math.NaN()}, [][]float64{{0, 0}, {0, 0}}); !errors.Is(err, ErrNotFinite) {
		t.Errorf("NaN θ: err = %v, want ErrNotFinite", err)
	}
}

func TestCompleteEdges(t *testing.T) {
	e := CompleteEdges(4)
	want := []Edge{{0, 1, 0}, {0, 2, 0}, {0, 3, 0}, {1, 2, 0}, {1, 3, 0}, {2, 3, 0}}
	if len(e) != len(want) {
		t.Fatalf("len = %d", len(e))
	}
	for i := range e {
		if e[i] != want[i] {
			t.Errorf("edge %d = %v, want %v", i, e[i], want[i])
		}
	}
	if len(CompleteEdges(1)) != 0 {
		t.Error("n=1 has edges")
	}
}

func TestScoreAndSupermodular(t *testing.T) {
	m := &Model{N: 2, K: 2, Unary: []float64{1, 2, 3, 5}, Edges: []Edge{{1, 0, 4}, {0, 1, 0.5}}}
	for _, c := range []struct {
		z    []int
		want float64
	}{{[]int{0, 0}, 4}, {[]int{1, 0}, 5}, {[]int{0, 1}, 6}, {[]int{1, 1}, 11.5}} {
		if got := m.Score(c.z); got != c.want {
			t.Errorf("Score(%v) = %v, want %v", c.z, got, c.want)
		}
	}
	if !m.Supermodular() {
		t.Error("nonnegative model not supermodular")
	}
	m.Edges[1].W = -0.5
	if m.Supermodular() {
		t.Error("negative weight reported supermodular")
	}
}
