package argmax

import (
	"fmt"
	"reflect"
	"strings"
)

// Product is the product of independent structures: a code is the
// concatenation of one code of each part, and h(z) = Σ_p h_p(z_p), so the
// arg max solves each part on its own. The I-MLE paper's discrete VAE
// (20 latent variables, each a 10-of-20 subset) is Repeat(&KSubset{20, 10}, 20).
//
// All parts must have the same number of states K. Layout of w (and φ):
// the unary blocks of the parts, in order (so the product's unary block is
// N·K long with N = Σ_p N_p, as [Structure] requires), then the parts'
// interaction weights, in order. A part with no interaction weights is
// solved on a view of w; the others on a copy of their coordinates.
//
// Product is [Constrained] when a part is (a code is feasible when every
// part's slice is). Its solvers: "parts" runs each part's own fastest
// solver ([Fastest] of the part), and is listed first unless every part's
// fastest has the same name; then come the names every part offers, in
// the first part's order (solver "x" of the product runs each part's "x").
// Ties are broken part by part, which is [Enumerate]'s order on the
// product too (its odometer makes the last part the most significant, and
// the first maximum of a product of independent sets is the product of
// each set's first maximum).
//
// It implements [UnaryFamily] when every part does.
//
// Build one with [NewProduct] or [Repeat]; a Product is not modified
// after that and may be shared.
type Product struct {
	parts []Structure
	k     int
	vOff  []int // first variable of each part (len parts+1)
	iOff  []int // first interaction coordinate of each part in w (len parts+1)
	names []string
}

// Compile-time checks.
var (
	_ Structure   = (*Product)(nil)
	_ Constrained = (*Product)(nil)
	_ UnaryFamily = (*Product)(nil)
)

// PartsSolver is the [Product] solver name that solves each part with its
// own fastest solver.
const PartsSolver = "parts"

// NewProduct returns the product of the parts (at least one, none nil, all
// with the same number of states, each with a solver). Errors wrap
// [ErrShape], or are the error of a part's [Fastest].
func NewProduct(parts ...Structure) (*Product, error) {
	if len(parts) == 0 {
		return nil, fmt.Errorf("%w: a product of no structures", ErrShape)
	}
	for i, s := range parts {
		if s == nil || isNilPointer(s) {
			return nil, fmt.Errorf("%w: part %d of a product is nil", ErrShape, i)
		}
	}
	p := &Product{parts: append([]Structure(nil), parts...), k: parts[0].States()}
	p.vOff = make([]int, len(parts)+1)
	p.iOff = make([]int, len(parts)+1)
	first := make([]string, len(parts)) // each part's fastest solver
	for i, s := range parts {
		name, _, err := Fastest(s)
		if err != nil {
			return nil, fmt.Errorf("argmax: product, part %d: %w", i, err)
		}
		first[i] = name
		if s.States() != p.k {
			return nil, fmt.Errorf("%w: part %d (%s) has %d states, part 0 (%s) has %d: a product needs one K",
				ErrShape, i, s.Name(), s.States(), parts[0].Name(), p.k)
		}
		p.vOff[i+1] = p.vOff[i] + s.Vars()
		p.iOff[i+1] = p.iOff[i] + s.Dim() - Unary(s)
	}
	nk := p.vOff[len(parts)] * p.k
	for i := range p.iOff {
		p.iOff[i] += nk
	}
	// "parts" first unless every part's fastest has one name, then the
	// solver names every part offers, in the first part's order.
	for _, name := range first[1:] {
		if name != first[0] {
			p.names = append(p.names, PartsSolver)
			break
		}
	}
	for _, name := range parts[0].Solvers() {
		all := true
		for _, s := range parts[1:] {
			if !contains(s.Solvers(), name) {
				all = false
				break
			}
		}
		if all {
			p.names = append(p.names, name)
		}
	}
	return p, nil
}

// isNilPointer reports whether s is a typed nil pointer.
func isNilPointer(s Structure) bool {
	v := reflect.ValueOf(s)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// Repeat returns the product of m copies of s (m ≥ 1).
func Repeat(s Structure, m int) (*Product, error) {
	if m < 1 {
		return nil, fmt.Errorf("%w: %d copies of a structure, want ≥ 1", ErrShape, m)
	}
	parts := make([]Structure, m)
	for i := range parts {
		parts[i] = s
	}
	return NewProduct(parts...)
}

func contains(names []string, name string) bool {
	for _, n := range names {
		if n == name {
			return true
		}
	}
	return false
}

// Parts returns the parts (a copy of the slice).
func (p *Product) Parts() []Structure { return append([]Structure(nil), p.parts...) }

// Name implements [Structure]: "20 × 10-of-20 subset" for a Repeat,
// "product(a, b)" otherwise ("product()" for the zero Product, which has
// no parts and no solver: make one with NewProduct or Repeat).
func (p *Product) Name() string {
	if len(p.parts) == 0 {
		return "product()"
	}
	same := true
	for _, s := range p.parts[1:] {
		if s.Name() != p.parts[0].Name() {
			same = false
		}
	}
	if same {
		return fmt.Sprintf("%d × %s", len(p.parts), p.parts[0].Name())
	}
	names := make([]string, len(p.parts))
	for i, s := range p.parts {
		names[i] = s.Name()
	}
	return "product(" + strings.Join(names, ", ") + ")"
}

// Vars implements [Structure]: Σ_p N_p.
func (p *Product) Vars() int {
	if len(p.vOff) == 0 {
		return 0
	}
	return p.vOff[len(p.parts)]
}

// States implements [Structure]: the parts' K.
func (p *Product) States() int { return p.k }

// Dim implements [Structure]: N·K plus the parts' interaction weights.
func (p *Product) Dim() int {
	if len(p.iOff) == 0 {
		return 0
	}
	return p.iOff[len(p.parts)]
}

// unary returns the range of part i's unary block in w.
func (p *Product) unary(i int) (lo, hi int) { return p.vOff[i] * p.k, p.vOff[i+1] * p.k }

// AddFeatures implements [Structure]: each part's features at its
// coordinates. A part with interaction weights writes into a scratch
// vector allocated per call (O(Dim_p)); the others write in place.
func (p *Product) AddFeatures(z []int, scale float32, dst []float32) {
	for i, s := range p.parts {
		zi := z[p.vOff[i]:p.vOff[i+1]]
		lo, hi := p.unary(i)
		if p.iOff[i] == p.iOff[i+1] {
			s.AddFeatures(zi, scale, dst[lo:hi])
			continue
		}
		tmp := make([]float32, s.Dim())
		s.AddFeatures(zi, scale, tmp)
		for j, v := range tmp[:hi-lo] {
			dst[lo+j] += v
		}
		for j, v := range tmp[hi-lo:] {
			dst[p.iOff[i]+j] += v
		}
	}
}

// Signs implements [Structure]: the parts' signs at their coordinates.
func (p *Product) Signs() []Sign {
	out := make([]Sign, p.Dim())
	for i, s := range p.parts {
		sg := s.Signs()
		lo, hi := p.unary(i)
		copy(out[lo:hi], sg[:hi-lo])
		copy(out[p.iOff[i]:p.iOff[i+1]], sg[hi-lo:])
	}
	return out
}

// Feasible implements [Constrained]: every part's slice of z is feasible.
func (p *Product) Feasible(z []int) bool {
	if len(z) < p.Vars() {
		return false
	}
	for i, s := range p.parts {
		if !Feasible(s, z[p.vOff[i]:p.vOff[i+1]]) {
			return false
		}
	}
	return true
}

// Solvers implements [Structure]: "parts" (each part's fastest) unless
// the parts' fastest share one name, then the names every part offers.
func (p *Product) Solvers() []string { return append([]string(nil), p.names...) }

// NewSolver implements [Structure]: a Maximizer running each part's solver
// of that name, or each part's fastest for "parts". Names not offered by
// every part are refused.
func (p *Product) NewSolver(name string) (Maximizer, error) {
	if !contains(p.names, name) {
		return nil, fmt.Errorf("argmax: solver %q does not apply to every part of %s (use one of %v)", name, p.Name(), p.names)
	}
	m := &productSolver{p: p, solvers: make([]Maximizer, len(p.parts)), w: make([][]float64, len(p.parts))}
	for i, s := range p.parts {
		var sv Maximizer
		var err error
		if name == PartsSolver {
			_, sv, err = Fastest(s)
		} else {
			sv, err = s.NewSolver(name)
		}
		if err != nil {
			return nil, fmt.Errorf("argmax: %s, part %d: %w", p.Name(), i, err)
		}
		m.solvers[i] = sv
		if p.iOff[i] != p.iOff[i+1] {
			m.w[i] = make([]float64, s.Dim())
		}
	}
	return m, nil
}

// productSolver maximizes a [Product] part by part.
type productSolver struct {
	p       *Product
	solvers []Maximizer
	w       [][]float64 // per part with interactions: its weights, gathered
}

// Maximize implements [Maximizer]: the sum of the parts' maxima.
func (m *productSolver) Maximize(w []float64, z []int) (float64, error) {
	p := m.p
	if err := checkW(p, w, z); err != nil {
		return 0, err
	}
	total := 0.0
	for i, sv := range m.solvers {
		lo, hi := p.unary(i)
		wi := w[lo:hi]
		if buf := m.w[i]; buf != nil {
			copy(buf, wi)
			copy(buf[hi-lo:], w[p.iOff[i]:p.iOff[i+1]])
			wi = buf
		}
		v, err := sv.Maximize(wi, z[p.vOff[i]:p.vOff[i+1]])
		if err != nil {
			return 0, fmt.Errorf("argmax: %s, part %d: %w", p.Name(), i, err)
		}
		total += v
	}
	return total, nil
}

// noSolver explains an empty Solvers list (see Fastest): the zero Product.
func (p *Product) noSolver() error {
	if len(p.parts) == 0 {
		return fmt.Errorf("%w: a Product with no parts (make one with NewProduct or Repeat)", ErrShape)
	}
	return nil
}
