package argmax_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/argmaxvae/argmaxvae/argmax"
)

// describable returns one structure of every built-in kind, products
// included.
func describable(t *testing.T) []argmax.Structure {
	t.Helper()
	must := func(s argmax.Structure, err error) argmax.Structure {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	grid := must(argmax.Graph(6, argmax.GridPairs(2, 3), false))
	chain := must(argmax.NewChain(4, 3))
	sub := must(argmax.NewKSubset(6, 2))
	match := must(argmax.NewMatching(4))
	tree := must(argmax.NewSpanningTree(4, argmax.CompleteGraph(4)))
	return []argmax.Structure{
		must(argmax.Independent(1, 10)), // one categorical latent
		must(argmax.Independent(5, 2)),
		must(argmax.Independent(3, 4)),
		must(argmax.Complete(5, true)),
		must(argmax.Complete(5, false)),
		grid,
		chain, sub, match, tree,
		must(argmax.Repeat(sub, 3)),
		must(argmax.NewProduct(must(argmax.Independent(2, 2)), sub, must(argmax.Complete(3, true)))),
		must(argmax.NewProduct(must(argmax.NewChain(2, 3)), must(argmax.Independent(2, 3)))),
	}
}

// Describe, through JSON, then Build gives a structure with the same
// description, name, sizes, signs, solvers, features and feasible codes.
func TestDescribeBuildRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, s := range describable(t) {
		d, err := argmax.Describe(s)
		if err != nil {
			t.Fatalf("%s: %v", s.Name(), err)
		}
		js, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		var back argmax.Description
		if err := json.Unmarshal(js, &back); err != nil {
			t.Fatal(err)
		}
		b, err := back.Build()
		if err != nil {
			t.Fatalf("%s: Build(%s): %v", s.Name(), js, err)
		}
		d2, err := argmax.Describe(b)
		if err != nil || !reflect.DeepEqual(d, d2) {
			t.Errorf("%s: described again %+v, %v; want %+v", s.Name(), d2, err, d)
		}
		if b.Name() != s.Name() || b.Vars() != s.Vars() || b.States() != s.States() || b.Dim() != s.Dim() {
			t.Errorf("%s: built %q N=%d K=%d Dim=%d", s.Name(), b.Name(), b.Vars(), b.States(), b.Dim())
		}
		if !reflect.DeepEqual(b.Signs(), s.Signs()) || !reflect.DeepEqual(b.Solvers(), s.Solvers()) {
			t.Errorf("%s: signs or solvers differ after Build: %v %v", s.Name(), b.Solvers(), s.Solvers())
		}
		z := make([]int, s.Vars())
		for trial := 0; trial < 50; trial++ {
			for i := range z {
				z[i] = r.IntN(s.States())
			}
			if argmax.Feasible(s, z) != argmax.Feasible(b, z) {
				t.Fatalf("%s: Feasible(%v) differs after Build", s.Name(), z)
			}
			f1, f2 := make([]float32, s.Dim()), make([]float32, s.Dim())
			s.AddFeatures(z, 1, f1)
			b.AddFeatures(z, 1, f2)
			if !reflect.DeepEqual(f1, f2) {
				t.Fatalf("%s: φ(%v) differs after Build", s.Name(), z)
			}
		}
	}
}

// A product of identical parts is written once with its number of copies.
func TestDescribeRepeatIsCompact(t *testing.T) {
	sub, _ := argmax.NewKSubset(5, 2)
	p, _ := argmax.Repeat(sub, 7)
	d, err := argmax.Describe(p)
	if err != nil {
		t.Fatal(err)
	}
	if d.Copies != 7 || len(d.Parts) != 1 || d.Parts[0].Kind != argmax.KindSubset {
		t.Errorf("Repeat(subset, 7) described as %+v", d)
	}
}

// userStructure is a structure of a user's own: a chain under another name.
type userStructure struct{ *argmax.Chain }

// Describe refuses structures that are not the package's own, naming
// them, and so does it for a product that contains one.
func TestDescribeRefusesUserStructures(t *testing.T) {
	c, _ := argmax.NewChain(3, 2)
	u := userStructure{c}
	if _, err := argmax.Describe(u); !errors.Is(err, argmax.ErrNotDescribed) || !strings.Contains(err.Error(), c.Name()) {
		t.Errorf("Describe(user structure) = %v, want ErrNotDescribed naming %q", err, c.Name())
	}
	ind, _ := argmax.Independent(2, 2)
	p, err := argmax.NewProduct(ind, userStructure{c})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := argmax.Describe(p); !errors.Is(err, argmax.ErrNotDescribed) || !strings.Contains(err.Error(), "part 1") {
		t.Errorf("Describe(product with a user part) = %v, want ErrNotDescribed naming part 1", err)
	}
	if _, err := argmax.Describe(nil); err == nil {
		t.Error("Describe(nil) succeeded")
	}
	// An invalid built-in structure is refused, not described.
	if _, err := argmax.Describe(&argmax.Chain{N: 0, K: 3}); !errors.Is(err, argmax.ErrShape) {
		t.Errorf("Describe(invalid chain) = %v, want ErrShape", err)
	}
}

// Build refuses unknown kinds, fields the kind does not have and shapes
// the structure refuses, naming the problem.
func TestBuildRefusesBadDescriptions(t *testing.T) {
	for _, c := range []struct {
		d    argmax.Description
		want string
	}{
		{argmax.Description{Kind: "lattice", N: 3}, `unknown structure kind "lattice"`},
		{argmax.Description{Kind: argmax.KindChain, N: 3, K: 2, Edges: [][2]int{{0, 1}}}, `sets "edges"`},
		{argmax.Description{Kind: argmax.KindMatching, N: 3, K: 3}, `sets "k"`},
		{argmax.Description{Kind: argmax.KindSubset, N: 3, K: 4}, "0 ≤ K ≤ N"},
		{argmax.Description{Kind: argmax.KindPairwise, N: 3, K: 1}, "k = 1 states"},
		{argmax.Description{Kind: argmax.KindPairwise, N: 3, K: 2, Edges: [][2]int{{0, 3}}}, "edge"},
		{argmax.Description{Kind: argmax.KindPairwise, N: 3, K: 2, Supermodular: true}, "supermodular without edges"},
		{argmax.Description{Kind: argmax.KindTree, Nodes: 4, Edges: [][2]int{{0, 1}, {2, 3}}}, "not connected"},
		{argmax.Description{Kind: argmax.KindProduct}, "without parts"},
		{argmax.Description{Kind: argmax.KindProduct, Copies: 2, Parts: []argmax.Description{{Kind: argmax.KindMatching, N: 2}, {Kind: argmax.KindMatching, N: 2}}}, "want one part"},
		{argmax.Description{Kind: argmax.KindProduct, Parts: []argmax.Description{{Kind: argmax.KindMatching, N: 2}, {Kind: argmax.KindChain, N: 2, K: 3}}}, "one K"},
		{argmax.Description{Kind: argmax.KindProduct, Parts: []argmax.Description{{Kind: argmax.KindMatching}}}, "part 0"},
	} {
		s, err := c.d.Build()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Build(%+v) = %v, %v; want an error containing %q", c.d, s, err, c.want)
		}
	}
}

// A structure's description is plain data (here as JSON); Build makes the
// structure again.
func ExampleDescribe() {
	sub, _ := argmax.NewKSubset(6, 2)
	s, _ := argmax.Repeat(sub, 3) // three independent 2-of-6 subsets
	d, err := argmax.Describe(s)
	if err != nil {
		panic(err)
	}
	js, _ := json.Marshal(d)
	fmt.Println(string(js))

	var back argmax.Description
	json.Unmarshal(js, &back)
	again, err := back.Build()
	fmt.Println(again.Name(), again.Dim(), err)
	// Output:
	// {"kind":"product","copies":3,"parts":[{"kind":"subset","n":6,"k":2}]}
	// 3 × 2-of-6 subset 36 <nil>
}
