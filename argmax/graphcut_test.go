package argmax

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/argmaxvae/argmaxvae/maxflow"
)

// gcKind selects how gcModel draws its numbers.
type gcKind int

const (
	gcInts  gcKind = iota // integers: weights in [0,9], unaries in [-12,12]
	gcTies                // values in {0,1,2} (unaries also negative): many ties
	gcReal                // N(0,1) unaries, |N(0,1)| weights
	gcZeros               // mostly zeros
	gcHuge                // scale 1e6
	gcTiny                // scale 1e-6
	gcMixed               // each number at scale 1e-6, 1 or 1e6
	gcKinds
)

func (k gcKind) integer() bool { return k == gcInts || k == gcTies || k == gcZeros }

// gcDraw returns one number of kind k, non-negative when nonneg.
func gcDraw(r *rand.Rand, k gcKind, nonneg bool) float64 {
	var v float64
	switch k {
	case gcInts:
		v = float64(r.IntN(25) - 12)
		if nonneg {
			v = float64(r.IntN(10))
		}
	case gcTies:
		v = float64(r.IntN(5) - 2)
	case gcZeros:
		if r.IntN(5) == 0 {
			v = float64(r.IntN(7) - 3)
		}
	case gcReal:
		v = r.NormFloat64()
	case gcHuge:
		v = 1e6 * r.NormFloat64()
	case gcTiny:
		v = 1e-6 * r.NormFloat64()
	case gcMixed:
		v = []float64{1e-6, 1, 1e6}[r.IntN(3)] * r.NormFloat64()
	}
	if nonneg {
		v = math.Abs(v)
	}
	return v
}

// gcModel draws a supermodular binary model on n variables: an empty,
// complete or random graph, edges given in either order, some repeated.
func gcModel(r *rand.Rand, n int, k gcKind) *Model {
	m := &Model{N: n, K: 2, Unary: make([]float64, 2*n)}
	for i := range m.Unary {
		m.Unary[i] = gcDraw(r, k, false)
	}
	density := r.Float64()
	switch r.IntN(6) {
	case 0:
		density = 0 // empty graph
	case 1:
		density = 1 // complete graph
	}
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			if r.Float64() >= density {
				continue
			}
			e := Edge{I: i, J: j, W: gcDraw(r, k, true)}
			if r.IntN(2) == 0 {
				e.I, e.J = j, i
			}
			m.Edges = append(m.Edges, e)
			if r.IntN(8) == 0 { // duplicate pair, maybe reversed
				m.Edges = append(m.Edges, Edge{I: e.J, J: e.I, W: gcDraw(r, k, true)})
			}
		}
	}
	return m
}

// gcScale is the size of the numbers in m, for relative tolerances.
func gcScale(m *Model) float64 {
	s := 1.0
	for _, u := range m.Unary {
		s += math.Abs(u)
	}
	for _, e := range m.Edges {
		s += math.Abs(e.W)
	}
	return s
}

// gcMinimalMaximizer enumerates all assignments of an integer-valued model
// (exact arithmetic) and returns the componentwise minimum of all
// maximizers, which must itself be a maximizer.
func gcMinimalMaximizer(m *Model) []int {
	z := make([]int, m.N)
	best, and := math.Inf(-1), 0
	for c := 0; c < 1<<m.N; c++ {
		for i := range z {
			z[i] = c >> i & 1
		}
		switch s := m.Score(z); {
		case s > best:
			best, and = s, c
		case s == best:
			and &= c
		}
	}
	for i := range z {
		z[i] = and >> i & 1
	}
	return z
}

// TestGraphCutMatchesExhaustive solves ≥ 1000 random supermodular models
// for each n in 1..12 and 15 and compares with exhaustive enumeration: the
// values agree to 1e-9 relative to the model's magnitude and the returned
// z attains the value. Integer models also run through the YourBasic
// backend, and for n ≤ 10 their z must be the smallest maximizer.
func TestGraphCutMatchesExhaustive(t *testing.T) {
	const per = 1000
	var gc GraphCut
	yb := &GraphCut{Backend: &maxflow.YourBasic{Scale: 1}}
	var ex GrayCode
	for _, n := range []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 15} {
		r := rand.New(rand.NewPCG(uint64(n), 77))
		z, zx, zy := make([]int, n), make([]int, n), make([]int, n)
		for k := 0; k < per; k++ {
			kind := gcKind(k % int(gcKinds))
			m := gcModel(r, n, kind)
			name := fmt.Sprintf("n=%d model %d (kind %d, %d edges)", n, k, kind, len(m.Edges))
			want, err := ex.Solve(m, zx)
			if err != nil {
				t.Fatalf("%s: exhaustive: %v", name, err)
			}
			got, err := gc.Solve(m, z)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			tol := 1e-9 * gcScale(m)
			if math.Abs(got-want) > tol {
				t.Fatalf("%s: graph cut %v (z=%v), exhaustive %v (z=%v)", name, got, z, want, zx)
			}
			if s := m.Score(z); s != got {
				t.Fatalf("%s: returned %v but z=%v scores %v", name, got, z, s)
			}
			if !kind.integer() {
				continue
			}
			if got != want {
				t.Fatalf("%s: integer model: graph cut %v, exhaustive %v", name, got, want)
			}
			if n <= 10 {
				if zmin := gcMinimalMaximizer(m); fmt.Sprint(zmin) != fmt.Sprint(z) {
					t.Fatalf("%s: z=%v, smallest maximizer %v", name, z, zmin)
				}
			}
			if k%3 == 0 { // Edmonds–Karp is slow; a third of the integer models
				got2, err := yb.Solve(m, zy)
				if err != nil || got2 != want || fmt.Sprint(zy) != fmt.Sprint(z) {
					t.Fatalf("%s: YourBasic backend %v z=%v (%v), BK %v z=%v", name, got2, zy, err, got, z)
				}
			}
		}
	}
}

// TestGraphCutHandMade checks a model worked out by hand: θ = (1, −2, −1),
// w₀₁ = 3, w₁₂ = 1. Setting z = (1,1,0) scores 1 − 2 + 3 = 2; (1,1,1) also
// scores 2 − 1 + 1 = 2, and the smallest maximizer is (1,1,0).
func TestGraphCutHandMade(t *testing.T) {
	m := NewBinary([]float64{1, -2, -1}, []Edge{{I: 1, J: 0, W: 3}, {I: 1, J: 2, W: 1}})
	z := make([]int, 3)
	v, err := (&GraphCut{}).Solve(m, z)
	if err != nil || v != 2 || fmt.Sprint(z) != "[1 1 0]" {
		t.Fatalf("got %v z=%v (%v), want 2 z=[1 1 0]", v, z, err)
	}
}

func TestGraphCutErrors(t *testing.T) {
	var gc GraphCut
	z := make([]int, 4)
	m := NewBinary([]float64{1, 2, 3, 4}, []Edge{{I: 0, J: 1, W: 1}, {I: 3, J: 2, W: -0.5}, {I: 1, J: 2, W: -7}})
	_, err := gc.Solve(m, z)
	if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "(3,2)") || !strings.Contains(err.Error(), "-0.5") {
		t.Errorf("negative weight: %v", err)
	}
	m.Edges[1].W = math.NaN()
	if _, err := gc.Solve(m, z); !errors.Is(err, ErrNotFinite) {
		t.Errorf("NaN weight: %v", err)
	}
	m.Edges = m.Edges[:1]
	m.Unary[3] = math.NaN()
	if _, err := gc.Solve(m, z); !errors.Is(err, ErrNotFinite) {
		t.Errorf("NaN unary: %v", err)
	}
	if _, err := gc.Solve(NewCategorical([]float64{1, 2, 3}), z); !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "K = 3") {
		t.Errorf("K = 3: %v", err)
	}
	m = NewBinary([]float64{1, 2, 3, 4}, nil)
	if _, err := gc.Solve(m, z[:3]); !errors.Is(err, ErrShape) {
		t.Errorf("short z: %v", err)
	}
	// Weights whose sum could overflow are refused before the backend.
	m = NewBinary([]float64{0, 0}, []Edge{{I: 0, J: 1, W: math.MaxFloat64}, {I: 0, J: 1, W: math.MaxFloat64}})
	if _, err := gc.Solve(m, z); !errors.Is(err, ErrNotFinite) || !strings.Contains(err.Error(), "MaxMagnitude") {
		t.Errorf("overflowing weights: %v", err)
	}
	// The solver still works after errors.
	m = NewBinary([]float64{1, -1}, nil)
	if v, err := gc.Solve(m, z); err != nil || v != 1 || z[0] != 1 || z[1] != 0 {
		t.Errorf("after errors: %v z=%v (%v)", v, z[:2], err)
	}
}

// gcDense15 is the complete supermodular model on 15 variables (105 edges)
// with N(0,1) unaries and |N(0,1)|/2 weights.
func gcDense15() *Model {
	r := rand.New(rand.NewPCG(15, 105))
	th := make([]float64, 15)
	for i := range th {
		th[i] = r.NormFloat64()
	}
	edges := CompleteEdges(15)
	for e := range edges {
		edges[e].W = math.Abs(r.NormFloat64()) / 2
	}
	return NewBinary(th, edges)
}

func TestGraphCutAllocs(t *testing.T) {
	var gc GraphCut
	big := gcModel(rand.New(rand.NewPCG(1, 1)), 40, gcReal)
	z := make([]int, 40)
	if _, err := gc.Solve(big, z); err != nil {
		t.Fatal(err)
	}
	for _, m := range []*Model{gcDense15(), big} {
		allocs := testing.AllocsPerRun(50, func() {
			if _, err := gc.Solve(m, z); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 0 {
			t.Errorf("n=%d: %v allocations per solve, want 0", m.N, allocs)
		}
	}
}

func BenchmarkGraphCutDense15(b *testing.B) {
	m := gcDense15()
	var gc GraphCut
	z := make([]int, m.N)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := gc.Solve(m, z); err != nil {
			b.Fatal(err)
		}
	}
}

func ExampleGraphCut() {
	// Two variables that each dislike being on (θ < 0) but reward being on
	// together (w = 3): turning both on scores −1 − 1 + 3 = 1.
	m := NewBinary([]float64{-1, -1}, []Edge{{I: 0, J: 1, W: 3}})
	z := make([]int, 2)
	v, err := (&GraphCut{}).Solve(m, z)
	fmt.Println(v, z, err)
	// Output: 1 [1 1] <nil>
}

// gcBreak damages a valid model in one of the ways the checks must catch
// (or leaves it valid), for TestGraphCutFusedChecks.
func gcBreak(r *rand.Rand, m *Model) {
	if len(m.Edges) == 0 {
		m.Edges = append(m.Edges, Edge{I: 0, J: m.N - 1, W: 1})
	}
	e := &m.Edges[r.IntN(len(m.Edges))]
	bad := []float64{math.NaN(), math.Inf(1), math.Inf(-1), -0.5, -1e-300, 0}
	for range 1 + r.IntN(2) { // sometimes two problems: the first reported must agree
		switch r.IntN(7) {
		case 0:
			m.Unary[r.IntN(len(m.Unary))] = bad[r.IntN(3)]
		case 1:
			e.W = bad[r.IntN(len(bad))]
		case 2:
			e.I = r.IntN(m.N+4) - 2
		case 3:
			e.J = e.I
		case 4:
			m.Edges[r.IntN(len(m.Edges))].W = bad[r.IntN(len(bad))]
		case 5:
			m.Unary = m.Unary[:len(m.Unary)-1]
			return
		case 6:
			m.K = 3
			return
		}
	}
}

// TestGraphCutFusedChecks compares the default backend, whose checks are
// fused with building the graph, with the general path (an explicit
// *maxflow.Graph backend, full checks first) on thousands of models, a
// third of them damaged: the same error text, or the same value, bit for
// bit, and the same z.
func TestGraphCutFusedChecks(t *testing.T) {
	r := rand.New(rand.NewPCG(41, 42))
	var fused GraphCut
	general := &GraphCut{Backend: maxflow.New(0, 0)}
	seen := map[error]int{}
	for k := 0; k < 3000; k++ {
		n := 1 + r.IntN(12)
		m := gcModel(r, n, gcKind(k%int(gcKinds)))
		if k%3 == 0 {
			gcBreak(r, m)
		}
		zlen := n
		if k%50 == 0 {
			zlen = n - 1 // too short
		}
		z1, z2 := make([]int, zlen), make([]int, zlen)
		v1, err1 := fused.Solve(m, z1)
		v2, err2 := general.Solve(m, z2)
		name := fmt.Sprintf("model %d (n=%d, %d edges)", k, n, len(m.Edges))
		if fmt.Sprint(err1) != fmt.Sprint(err2) {
			t.Fatalf("%s: fused checks: %v; full checks: %v", name, err1, err2)
		}
		if errors.Is(err1, errGCCheck) {
			t.Fatalf("%s: %v", name, err1)
		}
		if err1 != nil {
			for _, e := range []error{ErrShape, ErrNotFinite, ErrEdge, ErrUnsupported} {
				if errors.Is(err1, e) {
					seen[e]++
				}
			}
			continue
		}
		if math.Float64bits(v1) != math.Float64bits(v2) || fmt.Sprint(z1) != fmt.Sprint(z2) {
			t.Fatalf("%s: fused %v z=%v, general %v z=%v", name, v1, z1, v2, z2)
		}
	}
	for _, e := range []error{ErrShape, ErrNotFinite, ErrEdge, ErrUnsupported} {
		if seen[e] < 20 {
			t.Errorf("only %d models rejected with %v", seen[e], e)
		}
	}
	if _, err := fused.Solve(nil, nil); !errors.Is(err, ErrShape) {
		t.Errorf("nil model: %v", err)
	}
}

// TestGraphCutReuse solves models of changing structure on one GraphCut
// (its graph reuses the CSR rows when the structure repeats) and compares
// each with a fresh GraphCut: same value, bit for bit, and same z.
func TestGraphCutReuse(t *testing.T) {
	r := rand.New(rand.NewPCG(43, 44))
	var reused GraphCut
	m := gcModel(r, 15, gcReal)
	for k := 0; k < 2000; k++ {
		switch r.IntN(8) {
		case 0: // new structure
			m = gcModel(r, 1+r.IntN(15), gcKind(r.IntN(int(gcKinds))))
		case 1: // one weight to zero: the edge leaves the graph
			if len(m.Edges) > 0 {
				m.Edges[r.IntN(len(m.Edges))].W = 0
			}
		default: // same structure, new numbers
			for i := range m.Unary {
				m.Unary[i] = r.NormFloat64()
			}
			for e := range m.Edges {
				m.Edges[e].W = math.Abs(r.NormFloat64())
			}
		}
		z1, z2 := make([]int, m.N), make([]int, m.N)
		v1, err1 := reused.Solve(m, z1)
		v2, err2 := (&GraphCut{}).Solve(m, z2)
		if err1 != nil || err2 != nil || math.Float64bits(v1) != math.Float64bits(v2) || fmt.Sprint(z1) != fmt.Sprint(z2) {
			t.Fatalf("solve %d (n=%d): reused %v z=%v (%v), fresh %v z=%v (%v)", k, m.N, v1, z1, err1, v2, z2, err2)
		}
	}
}
