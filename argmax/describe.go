package argmax

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// Description is a built-in structure as plain data, so that a model file
// can say which latent its networks were trained for and a loader can
// build it again. The fields mirror the structure's own (Kind names the
// type, the others are its literal's fields); fields a kind does not use
// stay zero. It marshals to JSON as, for example,
//
//	{"kind":"pairwise","n":15,"k":2,"edges":[[0,1],[0,2],…],"supermodular":true}
//	{"kind":"chain","n":8,"k":4}
//	{"kind":"subset","n":20,"k":5}            // K chosen of N items
//	{"kind":"matching","n":6}
//	{"kind":"tree","nodes":6,"edges":[[0,1],…]}
//	{"kind":"product","parts":[…]}             // parts in order
//	{"kind":"product","copies":4,"parts":[…]}  // Repeat of one part
//
// One categorical latent and independent variables are "pairwise" without
// edges. Structures of a user's own have no description: [Describe]
// refuses them with [ErrNotDescribed] (a model file then records their
// name and sizes, and its loader takes the structure from the caller).
type Description struct {
	Kind         string        `json:"kind"`
	N            int           `json:"n,omitempty"`
	K            int           `json:"k,omitempty"`
	Nodes        int           `json:"nodes,omitempty"`
	Edges        [][2]int      `json:"edges,omitempty"`
	Supermodular bool          `json:"supermodular,omitempty"`
	Copies       int           `json:"copies,omitempty"`
	Parts        []Description `json:"parts,omitempty"`
}

// Kinds of [Description], one per built-in structure type.
const (
	KindPairwise = "pairwise" // [*Pairwise]: N, K, Edges, Supermodular
	KindChain    = "chain"    // [*Chain]: N, K
	KindSubset   = "subset"   // [*KSubset]: N items, K chosen
	KindMatching = "matching" // [*Matching]: N
	KindTree     = "tree"     // [*SpanningTree]: Nodes, Edges
	KindProduct  = "product"  // [*Product]: Parts (or Copies of Parts[0])
)

// ErrNotDescribed is wrapped by [Describe] for a structure that is not one
// of this package's types (a user's own).
var ErrNotDescribed = errors.New("argmax: structure has no description")

// Describe returns the description of a built-in structure, after
// checking that it is valid. A product whose parts all have the same
// description is written as Copies of one part. O(Dim).
func Describe(s Structure) (Description, error) {
	if err := checkStructure(s); err != nil {
		return Description{}, err
	}
	switch t := s.(type) {
	case *Pairwise:
		if err := t.Validate(); err != nil {
			return Description{}, err
		}
		d := Description{Kind: KindPairwise, N: t.N, K: t.K, Supermodular: t.Supermodular && len(t.Edges) > 0}
		for _, e := range t.Edges {
			d.Edges = append(d.Edges, [2]int{e.I, e.J})
		}
		return d, nil
	case *Chain:
		return Description{Kind: KindChain, N: t.N, K: t.K}, t.Validate()
	case *KSubset:
		return Description{Kind: KindSubset, N: t.N, K: t.K}, t.Validate()
	case *Matching:
		return Description{Kind: KindMatching, N: t.N}, t.Validate()
	case *SpanningTree:
		if err := t.Validate(); err != nil {
			return Description{}, err
		}
		return Description{Kind: KindTree, Nodes: t.Nodes, Edges: append([][2]int(nil), t.Edges...)}, nil
	case *Product:
		d := Description{Kind: KindProduct}
		same := true
		for i, p := range t.parts {
			pd, err := Describe(p)
			if err != nil {
				return Description{}, fmt.Errorf("argmax: part %d of %s: %w", i, t.Name(), err)
			}
			same = same && (i == 0 || reflect.DeepEqual(pd, d.Parts[0]))
			d.Parts = append(d.Parts, pd)
		}
		if same && len(d.Parts) > 1 {
			d.Copies, d.Parts = len(d.Parts), d.Parts[:1]
		}
		return d, nil
	}
	return Description{}, fmt.Errorf("%w: %s (%T) is not one of package argmax's structures; pass it to the loader yourself", ErrNotDescribed, s.Name(), s)
}

// Build returns a new structure from its description, validated by the
// structure's own constructor: the inverse of [Describe]. An unknown kind,
// a field the kind does not use, or a shape the structure refuses is an
// error naming it. O(Dim).
func (d Description) Build() (Structure, error) {
	if err := d.unused(); err != nil {
		return nil, err
	}
	switch d.Kind {
	case KindPairwise:
		if d.K < 2 {
			return nil, fmt.Errorf("%w: pairwise description with k = %d states, want ≥ 2", ErrShape, d.K)
		}
		p := &Pairwise{N: d.N, K: d.K, Supermodular: d.Supermodular}
		for _, e := range d.Edges {
			p.Edges = append(p.Edges, Edge{I: e[0], J: e[1]})
		}
		if d.Supermodular && len(p.Edges) == 0 {
			return nil, fmt.Errorf("%w: pairwise description: supermodular without edges", ErrShape)
		}
		if err := p.Validate(); err != nil {
			return nil, err
		}
		return p, nil
	case KindChain:
		return NewChain(d.N, d.K)
	case KindSubset:
		return NewKSubset(d.N, d.K)
	case KindMatching:
		return NewMatching(d.N)
	case KindTree:
		return NewSpanningTree(d.Nodes, d.Edges)
	case KindProduct:
		if len(d.Parts) == 0 {
			return nil, fmt.Errorf("%w: product description without parts", ErrShape)
		}
		if d.Copies != 0 && len(d.Parts) != 1 {
			return nil, fmt.Errorf("%w: product description with copies = %d of %d parts, want one part", ErrShape, d.Copies, len(d.Parts))
		}
		parts := make([]Structure, len(d.Parts))
		for i, pd := range d.Parts {
			s, err := pd.Build()
			if err != nil {
				return nil, fmt.Errorf("argmax: product part %d: %w", i, err)
			}
			parts[i] = s
		}
		if d.Copies != 0 {
			return Repeat(parts[0], d.Copies)
		}
		return NewProduct(parts...)
	}
	return nil, fmt.Errorf("%w: unknown structure kind %q (known: %s, %s, %s, %s, %s, %s)", ErrShape, d.Kind,
		KindPairwise, KindChain, KindSubset, KindMatching, KindTree, KindProduct)
}

// unused refuses a field that d's kind does not read, so that a
// description that means something else is not built silently.
func (d Description) unused() error {
	uses := map[string]string{ // the fields each kind reads
		KindPairwise: "n k edges supermodular",
		KindChain:    "n k",
		KindSubset:   "n k",
		KindMatching: "n",
		KindTree:     "nodes edges",
		KindProduct:  "copies parts",
	}[d.Kind]
	set := []struct {
		name string
		set  bool
	}{
		{"n", d.N != 0}, {"k", d.K != 0}, {"nodes", d.Nodes != 0}, {"edges", len(d.Edges) != 0},
		{"supermodular", d.Supermodular}, {"copies", d.Copies != 0}, {"parts", len(d.Parts) != 0},
	}
	if uses == "" {
		return nil // unknown kind: Build names it
	}
	for _, f := range set {
		if f.set && !slices.Contains(strings.Fields(uses), f.name) {
			return fmt.Errorf("%w: %s description sets %q, which a %s does not have", ErrShape, d.Kind, f.name, d.Kind)
		}
	}
	return nil
}
