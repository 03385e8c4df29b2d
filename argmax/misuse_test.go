package argmax_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/argmaxvae/argmaxvae/argmax"
)

// TestConstructorsRefuseNonsense (issue 17, late checks): every pairwise
// constructor validates and returns an error wrapping ErrShape or ErrEdge,
// like Graph, instead of a structure that fails later.
func TestConstructorsRefuseNonsense(t *testing.T) {
	for _, c := range []struct {
		name string
		f    func() (*argmax.Pairwise, error)
	}{
		{"Independent(3, 1)", func() (*argmax.Pairwise, error) { return argmax.Independent(3, 1) }},
		{"Independent(3, 0)", func() (*argmax.Pairwise, error) { return argmax.Independent(3, 0) }},
		{"Independent(0, 2)", func() (*argmax.Pairwise, error) { return argmax.Independent(0, 2) }},
		{"Independent(-1, 2)", func() (*argmax.Pairwise, error) { return argmax.Independent(-1, 2) }},
		{"Complete(0)", func() (*argmax.Pairwise, error) { return argmax.Complete(0, false) }},
		{"Complete(-3)", func() (*argmax.Pairwise, error) { return argmax.Complete(-3, true) }},
		{"Complete(1e9)", func() (*argmax.Pairwise, error) { return argmax.Complete(1e9, true) }}, // 5·10¹⁷ pairs: refused, not an out-of-memory crash
		{"Graph(0)", func() (*argmax.Pairwise, error) { return argmax.Graph(0, nil, false) }},
		{"Graph edge out of range", func() (*argmax.Pairwise, error) { return argmax.Graph(3, [][2]int{{0, 3}}, false) }},
		{"Graph negative edge", func() (*argmax.Pairwise, error) { return argmax.Graph(3, [][2]int{{-1, 0}}, false) }},
		{"Graph self-loop", func() (*argmax.Pairwise, error) { return argmax.Graph(3, [][2]int{{1, 1}}, false) }},
	} {
		p, err := c.f()
		if p != nil || !(errors.Is(err, argmax.ErrShape) || errors.Is(err, argmax.ErrEdge)) {
			t.Errorf("%s = %v, %v; want nil and ErrShape or ErrEdge", c.name, p, err)
		}
	}
	if err := (&argmax.Pairwise{N: 3, K: 1}).Validate(); !errors.Is(err, argmax.ErrShape) {
		t.Errorf("Pairwise{N: 3, K: 1}.Validate() = %v, want ErrShape", err)
	}
}

// TestOutOfRangeCodes (issue 17 late checks, issue 18 item 11): Score of a
// code with a state out of range, or too short, is an error, and Feasible
// (the function and each structure's method) reports false, for every
// structure; nothing panics.
func TestOutOfRangeCodes(t *testing.T) {
	ind := must(argmax.Independent(3, 3))
	cpl := must(argmax.Complete(3, false))
	chain := must(argmax.NewChain(3, 3))
	sub := must(argmax.NewKSubset(4, 2))
	match := must(argmax.NewMatching(3))
	tree := must(argmax.NewSpanningTree(3, argmax.CompleteGraph(3)))
	prod := must(argmax.NewProduct(sub, cpl))
	for _, s := range []argmax.Structure{ind, cpl, chain, sub, match, tree, prod} {
		w := make([]float64, s.Dim())
		n, k := s.Vars(), s.States()
		var bad [][]int
		for i := 0; i < n; i++ {
			for _, v := range []int{-1, k, k + 7, -1 << 40} {
				z := make([]int, n)
				z[i] = v
				bad = append(bad, z)
			}
		}
		bad = append(bad, make([]int, n-1), nil)
		for _, z := range bad {
			if v, err := argmax.Score(s, w, z); !errors.Is(err, argmax.ErrShape) {
				t.Errorf("%s: Score(%v) = %v, %v; want ErrShape", s.Name(), z, v, err)
			}
			if argmax.Feasible(s, z) {
				t.Errorf("%s: Feasible(%v) = true", s.Name(), z)
			}
			if c, ok := s.(argmax.Constrained); ok && c.Feasible(z) {
				t.Errorf("%s: method Feasible(%v) = true", s.Name(), z)
			}
		}
		if _, err := argmax.Score(s, w[:len(w)-1], make([]int, n)); !errors.Is(err, argmax.ErrShape) {
			t.Errorf("%s: Score with a short w: %v, want ErrShape", s.Name(), err)
		}
	}
}

// Every function that takes a Structure refuses a nil one (a nil interface
// or a nil pointer) with an error wrapping ErrShape, or answers "none" where
// it returns no error, and never panics; a structure no solver can take
// says why once, not once per solver.
func TestNilStructure(t *testing.T) {
	var nilSubset *argmax.KSubset
	for _, s := range []argmax.Structure{nil, nilSubset} {
		errs := map[string]func() error{
			"Solve":         func() error { _, _, err := argmax.Solve(s, nil); return err },
			"Fastest":       func() error { _, _, err := argmax.Fastest(s); return err },
			"NewBatch":      func() error { _, err := argmax.NewBatch(s, "", 1); return err },
			"NewEnumerator": func() error { _, err := argmax.NewEnumerator(s); return err },
			"Enumerate":     func() error { _, err := argmax.Enumerate(s, nil, nil); return err },
			"Score":         func() error { _, err := argmax.Score(s, nil, nil); return err },
			"Describe":      func() error { _, err := argmax.Describe(s); return err },
			"Repeat":        func() error { _, err := argmax.Repeat(s, 2); return err },
			"NewProduct":    func() error { _, err := argmax.NewProduct(s); return err },
		}
		for name, f := range errs {
			var err error
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Errorf("%s(%#v): panic %v", name, s, p)
					}
				}()
				err = f()
			}()
			if !errors.Is(err, argmax.ErrShape) || !strings.Contains(err.Error(), "nil") {
				t.Errorf("%s(%#v): %v, want an ErrShape naming the nil structure", name, s, err)
			}
		}
		if argmax.Feasible(s, []int{0}) || argmax.Unary(s) != 0 || argmax.SamplerOf(s) != nil {
			t.Errorf("%#v: Feasible, Unary or SamplerOf answers as if it were a structure", s)
		}
	}
	var zp argmax.Product // no parts
	if _, _, err := argmax.Solve(&zp, nil); !errors.Is(err, argmax.ErrShape) || !strings.Contains(err.Error(), "NewProduct") {
		t.Errorf("Solve of a zero Product: %v, want an ErrShape naming NewProduct", err)
	}
	for _, s := range []argmax.Structure{&argmax.Pairwise{}, &argmax.Chain{}, &argmax.Matching{}, &argmax.SpanningTree{}, &argmax.KSubset{}} {
		if _, _, err := argmax.Solve(s, nil); !errors.Is(err, argmax.ErrShape) {
			t.Errorf("Solve of a zero %T: %v, want an ErrShape", s, err)
		}
	}
	var zero argmax.KSubset // no items: every solver refuses it for the same reason
	_, _, err := argmax.Solve(&zero, nil)
	if err == nil || strings.Count(err.Error(), "k-subset of N = 0 items") != 1 {
		t.Errorf("Solve of a zero KSubset: %v, want the reason said once", err)
	}
}
