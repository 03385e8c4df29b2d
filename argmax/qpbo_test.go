package argmax

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// qpboClass draws a random binary model of one structure class on n
// variables with weights of the given kind.
type qpboClass struct {
	name string
	gen  func(r *rand.Rand, n int, kind weightKind) *Model
}

func qpboClasses() []qpboClass {
	signed := func(frac float64) func(r *rand.Rand, kind weightKind) float64 {
		// Mostly positive weights with a fraction frac negative: weakly
		// frustrated, as an encoder produces.
		return func(r *rand.Rand, kind weightKind) float64 {
			w := draw(r, kind, true)
			if r.Float64() < frac {
				w = -w
			}
			return w
		}
	}
	withEdges := func(r *rand.Rand, n int, kind weightKind, pairs [][2]int, w func(*rand.Rand, weightKind) float64) *Model {
		m := randomBinary(r, n, 0, kind, false)
		for _, p := range pairs {
			e := Edge{I: p[0], J: p[1], W: w(r, kind)}
			if r.IntN(3) == 0 {
				e.I, e.J = e.J, e.I
			}
			m.Edges = append(m.Edges, e)
		}
		return m
	}
	chain := func(n int) [][2]int {
		var ps [][2]int
		for i := 0; i+1 < n; i++ {
			ps = append(ps, [2]int{i, i + 1})
		}
		return ps
	}
	grid := func(n int) [][2]int {
		w := int(math.Sqrt(float64(n)))
		var ps [][2]int
		for i := 0; i < n; i++ {
			if (i+1)%w != 0 && i+1 < n {
				ps = append(ps, [2]int{i, i + 1})
			}
			if i+w < n {
				ps = append(ps, [2]int{i, i + w})
			}
		}
		return ps
	}
	general := func(r *rand.Rand, kind weightKind) float64 { return draw(r, kind, false) }
	return []qpboClass{
		{"dense-general", func(r *rand.Rand, n int, k weightKind) *Model { return randomBinary(r, n, 1, k, false) }},
		{"sparse-general", func(r *rand.Rand, n int, k weightKind) *Model {
			return randomBinary(r, n, 3/float64(max(n, 4)), k, false)
		}},
		{"half-dense-general", func(r *rand.Rand, n int, k weightKind) *Model { return randomBinary(r, n, 0.5, k, false) }},
		{"supermodular", func(r *rand.Rand, n int, k weightKind) *Model { return randomBinary(r, n, 0.6, k, true) }},
		{"submodular", func(r *rand.Rand, n int, k weightKind) *Model {
			m := randomBinary(r, n, 0.6, k, true)
			for e := range m.Edges {
				m.Edges[e].W = -m.Edges[e].W
			}
			return m
		}},
		{"chain-general", func(r *rand.Rand, n int, k weightKind) *Model { return withEdges(r, n, k, chain(n), general) }},
		{"grid-general", func(r *rand.Rand, n int, k weightKind) *Model { return withEdges(r, n, k, grid(n), general) }},
		{"grid-weakly-frustrated", func(r *rand.Rand, n int, k weightKind) *Model { return withEdges(r, n, k, grid(n), signed(0.1)) }},
		{"dense-weakly-frustrated", func(r *rand.Rand, n int, k weightKind) *Model {
			m := randomBinary(r, n, 1, k, true)
			for e := range m.Edges {
				if r.IntN(5) == 0 {
					m.Edges[e].W = -m.Edges[e].W
				}
			}
			return m
		}},
	}
}

// TestQPBOExact compares QPBO with brute-force enumeration on every model
// class, every weight kind and n = 1..12: the values must agree and the
// returned z must attain the value. One solver is reused throughout, so
// buffers left by larger models are exercised too.
func TestQPBOExact(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 4))
	var q QPBO
	count := 0
	for _, c := range qpboClasses() {
		for kind := weightKind(0); kind < numWeightKinds; kind++ {
			for n := 1; n <= 12; n++ {
				for rep := 0; rep < 4; rep++ {
					m := c.gen(r, n, kind)
					want, _ := bruteForce(m)
					z := make([]int, n)
					got, err := q.Solve(m, z)
					if err != nil {
						t.Fatalf("%s kind %d n %d: %v", c.name, kind, n, err)
					}
					if !closeRel(got, want, 1e-9) || !closeRel(m.Score(z), got, 1e-12) {
						t.Fatalf("%s kind %d n %d: QPBO %v (z scores %v), brute force %v; model %+v", c.name, kind, n, got, m.Score(z), want, m)
					}
					count++
				}
			}
		}
	}
	t.Logf("%d models", count)
}

// TestQPBOPersistency checks the labels themselves: a variable QPBO labels
// takes that value in some optimum (fixing it does not lower the optimum),
// and with integer weights, where ties are exact, in every optimum (strong
// persistency). Supermodular models must be labelled wherever their
// maximizers agree.
func TestQPBOPersistency(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	var q QPBO
	labelled, total := 0, 0
	for _, c := range qpboClasses() {
		for kind := weightKind(0); kind < numWeightKinds; kind++ {
			for rep := 0; rep < 6; rep++ {
				n := 1 + r.IntN(10)
				m := c.gen(r, n, kind)
				label := make([]int, n)
				nl, err := q.Label(m, label)
				if err != nil {
					t.Fatal(err)
				}
				// best[i][v]: the optimum with zᵢ = v.
				best := make([][2]float64, n)
				for i := range best {
					best[i] = [2]float64{math.Inf(-1), math.Inf(-1)}
				}
				opt := math.Inf(-1)
				z := make([]int, n)
				for x := 0; x < 1<<n; x++ {
					for i := range z {
						z[i] = x >> i & 1
					}
					s := m.Score(z)
					opt = max(opt, s)
					for i := range z {
						best[i][z[i]] = max(best[i][z[i]], s)
					}
				}
				cnt := 0
				for i, l := range label {
					if l < 0 {
						if c.name == "supermodular" && kind == smallInts && best[i][0] != best[i][1] {
							t.Errorf("%s n %d: variable %d unlabelled, but every optimum has z = %d", c.name, n, i, boolInt(best[i][1] > best[i][0]))
						}
						continue
					}
					cnt++
					if l > 1 {
						t.Fatalf("label %d", l)
					}
					if !closeRel(best[i][l], opt, 1e-9) {
						t.Errorf("%s kind %d n %d: variable %d labelled %d, but the best with that label is %v < optimum %v", c.name, kind, n, i, l, best[i][l], opt)
					}
					if kind == smallInts && best[i][1-l] == opt {
						t.Errorf("%s n %d: variable %d labelled %d, but an optimum has %d (strong persistency)", c.name, n, i, l, 1-l)
					}
				}
				if cnt != nl || q.Labelled() != nl {
					t.Errorf("Label returned %d, labels count %d, Labelled %d", nl, cnt, q.Labelled())
				}
				labelled += nl
				total += n
			}
		}
	}
	t.Logf("%d of %d variables labelled", labelled, total)
	if labelled == 0 {
		t.Error("nothing labelled")
	}
}

// TestQPBOMatchesBnb compares QPBO with branch and bound at n = 20..60 on
// sparse, chain, grid and weakly frustrated models.
func TestQPBOMatchesBnb(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	var q QPBO
	var b BranchAndBound
	for _, c := range qpboClasses() {
		if strings.HasPrefix(c.name, "dense-general") || c.name == "half-dense-general" || c.name == "submodular" {
			continue // frustrated and dense: the remainder is the whole model, bnb's case
		}
		for _, n := range []int{20, 30, 45, 60} {
			for kind := range []weightKind{realWeights, smallInts, zeroHeavy} {
				m := c.gen(r, n, weightKind(kind))
				if strings.HasPrefix(c.name, "dense") && n > 30 {
					continue
				}
				zq, zb := make([]int, n), make([]int, n)
				got, err := q.Solve(m, zq)
				if err != nil {
					t.Fatalf("%s n %d: %v", c.name, n, err)
				}
				want, err := b.Solve(m, zb)
				if err != nil {
					t.Fatalf("%s n %d: bnb: %v", c.name, n, err)
				}
				if !closeRel(got, want, 1e-9) || !closeRel(m.Score(zq), got, 1e-12) {
					t.Errorf("%s kind %d n %d: QPBO %v, bnb %v", c.name, kind, n, got, want)
				}
			}
		}
	}
}

// chainDP maximizes a model whose edges all join i and i+1 (a chain) by
// dynamic programming: the reference for long chains.
func chainDP(m *Model) float64 {
	w := make([]float64, m.N)
	for _, e := range m.Edges {
		w[min(e.I, e.J)] += e.W
	}
	v0, v1 := m.Unary[0], m.Unary[1] // best prefix ending in 0 / 1
	for i := 1; i < m.N; i++ {
		n0 := max(v0, v1) + m.Unary[2*i]
		n1 := max(v0, v1+w[i-1]) + m.Unary[2*i+1]
		v0, v1 = n0, n1
	}
	return max(v0, v1)
}

// TestQPBOLongChains: chains are forests, which roof duality labels
// completely (up to ties), so QPBO is exact far past MaxBranchAndBoundVars;
// checked against dynamic programming at n = 100..5000.
func TestQPBOLongChains(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	var q QPBO
	for _, n := range []int{100, 1000, 5000} {
		for kind := range []weightKind{realWeights, smallInts} {
			m := randomBinary(r, n, 0, weightKind(kind), false)
			for i := 0; i+1 < n; i++ {
				m.Edges = append(m.Edges, Edge{I: i, J: i + 1, W: draw(r, weightKind(kind), false)})
			}
			z := make([]int, n)
			got, err := q.Solve(m, z)
			if err != nil {
				t.Fatalf("n %d: %v", n, err)
			}
			want := chainDP(m)
			if !closeRel(got, want, 1e-9) || !closeRel(m.Score(z), got, 1e-12) {
				t.Errorf("chain n %d kind %d: QPBO %v, DP %v", n, kind, got, want)
			}
			if kind == int(realWeights) && q.Labelled() != n {
				t.Errorf("chain n %d, real weights: %d of %d labelled, want all", n, q.Labelled(), n)
			}
		}
	}
}

// recordSolver is a Large solver that records the models it gets and
// answers all zeros.
type recordSolver struct{ sizes []int }

func (s *recordSolver) Solve(m *Model, z []int) (float64, error) {
	s.sizes = append(s.sizes, m.N)
	clear(z[:m.N])
	return 0, nil
}

func TestQPBOErrors(t *testing.T) {
	var q QPBO
	nan := NewBinary([]float64{1, 2}, []Edge{{0, 1, math.NaN()}})
	if _, err := q.Solve(nan, make([]int, 2)); !errors.Is(err, ErrNotFinite) {
		t.Errorf("NaN weight: %v", err)
	}
	if _, err := q.Solve(NewBinary([]float64{math.Inf(1)}, nil), make([]int, 1)); !errors.Is(err, ErrNotFinite) {
		t.Errorf("infinite unary: %v", err)
	}
	if _, err := q.Solve(NewCategorical([]float64{1, 2, 3}), make([]int, 1)); !errors.Is(err, ErrUnsupported) {
		t.Errorf("K = 3: %v", err)
	}
	if _, err := q.Solve(NewBinary([]float64{1, 2}, nil), make([]int, 1)); !errors.Is(err, ErrShape) {
		t.Errorf("short z: %v", err)
	}
	if _, err := q.Solve(&Model{K: 2}, nil); !errors.Is(err, ErrShape) {
		t.Errorf("n = 0: %v", err)
	}
	if _, err := q.Label(nil, nil); !errors.Is(err, ErrShape) {
		t.Errorf("nil model: %v", err)
	}
	// Degenerate models: all-zero scores give z = 0.
	for _, m := range []*Model{NewBinary([]float64{0}, nil), NewBinary(make([]float64, 5), []Edge{{0, 1, 0}, {2, 3, 0}, {1, 0, 0}})} {
		z := []int{9, 9, 9, 9, 9}
		v, err := q.Solve(m, z)
		if err != nil || v != 0 || strings.Trim(fmt.Sprint(z[:m.N]), "[0 ]") != "" {
			t.Errorf("zero model: %v, %v, z %v", v, err, z)
		}
	}
	// A dense general-sign model of 70 variables: roof duality leaves a
	// large frustrated remainder, which is refused with its size, or passed
	// to Large when set.
	m := bnbDenseModels(70, 1, 3)[0]
	_, err := q.Solve(m, make([]int, 70))
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "remainder has a general-sign connected component of") {
		t.Fatalf("dense n = 70: %v, want ErrTooLarge naming the component", err)
	}
	t.Log(err)
	rec := &recordSolver{}
	q2 := QPBO{Large: rec}
	if _, err := q2.Solve(m, make([]int, 70)); err != nil || len(rec.sizes) != 1 || rec.sizes[0] <= MaxBranchAndBoundVars {
		t.Errorf("with Large: err %v, Large got %v", err, rec.sizes)
	}
	// The node limit reaches the remainder's branch and bound.
	m = bnbDenseModels(40, 1, 4)[0]
	q3 := QPBO{NodeLimit: 2}
	if _, err := q3.Solve(m, make([]int, 40)); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "search nodes") {
		t.Errorf("NodeLimit 2: %v", err)
	}
}
