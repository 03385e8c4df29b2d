package argmax_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/argmaxvae/argmaxvae/argmax"
)

// mixedProduct is a product with a constrained part, a part with
// interaction weights and a constrained part with many codes: 12 binary
// variables, 2¹² codes to enumerate.
func mixedProduct(t *testing.T) *argmax.Product {
	t.Helper()
	sub, err := argmax.NewKSubset(3, 1)
	if err != nil {
		t.Fatal(err)
	}
	chain, err := argmax.NewChain(3, 2)
	if err != nil {
		t.Fatal(err)
	}
	tree, err := argmax.NewSpanningTree(4, argmax.CompleteGraph(4))
	if err != nil {
		t.Fatal(err)
	}
	p, err := argmax.NewProduct(sub, chain, tree)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestProductShape checks the composed shape, layout, signs and
// feasibility against the parts.
func TestProductShape(t *testing.T) {
	p := mixedProduct(t)
	parts := p.Parts()
	if p.Vars() != 12 || p.States() != 2 {
		t.Fatalf("Vars, States = %d, %d, want 12, 2", p.Vars(), p.States())
	}
	wantDim := 0
	for _, s := range parts {
		wantDim += s.Dim()
	}
	if p.Dim() != wantDim {
		t.Fatalf("Dim = %d, want %d", p.Dim(), wantDim)
	}
	if got := p.Solvers(); !slices.Equal(got, []string{"parts", "exhaustive"}) {
		t.Fatalf("Solvers = %v, want [parts exhaustive]", got)
	}
	if len(p.Signs()) != p.Dim() {
		t.Fatalf("len(Signs) = %d", len(p.Signs()))
	}
	// Score of the product is the sum of the parts' scores on their
	// coordinates: unary blocks first, then interaction blocks.
	rng := rand.New(rand.NewPCG(1, 2))
	w := make([]float64, p.Dim())
	for j := range w {
		w[j] = rng.NormFloat64()
	}
	z := make([]int, p.Vars())
	for trial := 0; trial < 50; trial++ {
		for i := range z {
			z[i] = rng.IntN(2)
		}
		want, vOff, uOff, iOff := 0.0, 0, 0, 2*p.Vars()
		feasible := true
		for _, s := range parts {
			nk, ni := argmax.Unary(s), s.Dim()-argmax.Unary(s)
			ws := append(slices.Clone(w[uOff:uOff+nk]), w[iOff:iOff+ni]...)
			zs := z[vOff : vOff+s.Vars()]
			want += mustScore(t, s, ws, zs)
			feasible = feasible && argmax.Feasible(s, zs)
			vOff, uOff, iOff = vOff+s.Vars(), uOff+nk, iOff+ni
		}
		if got := mustScore(t, p, w, z); math.Abs(got-want) > 1e-12 {
			t.Fatalf("code %v: Score = %v, sum of parts %v", z, got, want)
		}
		if got := p.Feasible(z); got != feasible {
			t.Fatalf("code %v: Feasible = %v, parts say %v", z, got, feasible)
		}
	}
	if p.Feasible(z[:5]) {
		t.Fatal("a short code is feasible")
	}
}

// TestProductSolversMatchEnumerate checks every solver of two products
// against enumeration of the whole product, ties included.
func TestProductSolversMatchEnumerate(t *testing.T) {
	a, _ := argmax.NewKSubset(4, 2)
	b, _ := argmax.NewKSubset(3, 1)
	subsets, err := argmax.NewProduct(a, b, a)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := argmax.Repeat(a, 3)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Name() != "3 × 2-of-4 subset" || rep.Vars() != 12 || rep.Dim() != 24 {
		t.Fatalf("Repeat: %s, %d vars, dim %d", rep.Name(), rep.Vars(), rep.Dim())
	}
	// Parts with no solver name in common (categorical | graycode, bnb,
	// …): solved by each part's fastest ("parts", the only solver).
	ind, err := argmax.Independent(2, 2)
	if err != nil {
		t.Fatal(err)
	}
	cpl, err := argmax.Complete(3, false)
	if err != nil {
		t.Fatal(err)
	}
	disjoint, err := argmax.NewProduct(ind, cpl)
	if err != nil {
		t.Fatal(err)
	}
	if name, _, err := argmax.Fastest(disjoint); err != nil || name != "parts" {
		t.Fatalf("%s: Fastest = %q, %v; want parts", disjoint.Name(), name, err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for _, p := range []*argmax.Product{subsets, rep, mixedProduct(t), disjoint} {
		for _, name := range p.Solvers() {
			m, err := p.NewSolver(name)
			if err != nil {
				t.Fatal(err)
			}
			w := make([]float64, p.Dim())
			z, ref := make([]int, p.Vars()), make([]int, p.Vars())
			for kind := 0; kind < wKinds; kind++ {
				if kind == wHuge {
					continue
				}
				for trial := 0; trial < 20; trial++ {
					structWeights(rng, kind, w)
					got, err := m.Maximize(w, z)
					if err != nil {
						t.Fatal(err)
					}
					want, err := argmax.Enumerate(p, w, ref)
					if err != nil {
						t.Fatal(err)
					}
					if !p.Feasible(z) {
						t.Fatalf("%s/%s: infeasible %v", p.Name(), name, z)
					}
					if math.Abs(got-want) > 1e-9*(1+math.Abs(want)) {
						t.Fatalf("%s/%s kind %d: value %v, enumeration %v", p.Name(), name, kind, got, want)
					}
					if s := mustScore(t, p, w, z); math.Abs(s-got) > 1e-9*(1+math.Abs(got)) {
						t.Fatalf("%s/%s: returned %v but the code scores %v", p.Name(), name, got, s)
					}
					// Pairwise solvers promise no tie order (disjoint's
					// second part), the others enumeration's.
					if exactKind(kind) && p != disjoint && !slices.Equal(z, ref) {
						t.Fatalf("%s/%s kind %d: code %v, enumeration's first maximum %v", p.Name(), name, kind, z, ref)
					}
				}
			}
		}
	}
}

// TestProductErrors checks the refusals.
func TestProductErrors(t *testing.T) {
	a, _ := argmax.NewKSubset(4, 2)
	m, _ := argmax.NewMatching(3)
	if _, err := argmax.NewProduct(); !errors.Is(err, argmax.ErrShape) {
		t.Errorf("empty product: %v", err)
	}
	if _, err := argmax.NewProduct(a, m); !errors.Is(err, argmax.ErrShape) {
		t.Errorf("mixed K: %v", err)
	}
	var nilPair *argmax.Pairwise
	for _, parts := range [][]argmax.Structure{{nil}, {a, nil}, {nilPair}, {a, nilPair}} {
		if _, err := argmax.NewProduct(parts...); !errors.Is(err, argmax.ErrShape) || !strings.Contains(err.Error(), "nil") {
			t.Errorf("NewProduct(%v): %v, want ErrShape naming the nil part", parts, err)
		}
	}
	// A part that no solver finishes is refused with its reason.
	big, err := argmax.Complete(100, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := argmax.NewProduct(a, big); !errors.Is(err, argmax.ErrTooLarge) || !strings.Contains(err.Error(), "part 1") {
		t.Errorf("NewProduct with a dense general-sign part of 100 variables: %v, want ErrTooLarge naming part 1", err)
	}
	if _, err := argmax.Repeat(a, 0); !errors.Is(err, argmax.ErrShape) {
		t.Errorf("zero copies: %v", err)
	}
	p, _ := argmax.Repeat(a, 2)
	if _, err := p.NewSolver("kruskal"); err == nil {
		t.Error("a solver no part offers was accepted")
	}
	s, _ := p.NewSolver("topk")
	if _, err := s.Maximize(make([]float64, 3), make([]int, 8)); !errors.Is(err, argmax.ErrShape) {
		t.Errorf("short w: %v", err)
	}
	w := make([]float64, p.Dim())
	w[5] = math.NaN()
	if _, err := s.Maximize(w, make([]int, 8)); !errors.Is(err, argmax.ErrNotFinite) {
		t.Errorf("NaN: %v", err)
	}
	if argmax.SamplerOf(mixedProduct(t)) != nil {
		t.Error("a product with a chain part has a unary sampler")
	}
}
