package argmax

import (
	"fmt"
	"math"
	"slices"
)

// Pairwise is the structure of N variables of K states with unary scores
// plus, for binary variables (K = 2), one weight per edge of a fixed graph:
//
//	h(z) = Σᵢ w[i·K+zᵢ] + Σ_e w[N·K+e]·z_{I_e}·z_{J_e}.
//
// Without edges it covers one categorical latent, N categorical latents and
// independent bits. Supermodular says the encoder keeps the edge weights
// ≥ 0 (graph cut then applies). A [Model] is a Pairwise structure with its
// weights loaded ([Pairwise.Model]); the pairwise solvers ([PairwiseSolver])
// work on Models, and [Pairwise.Solvers] picks among them by one rule.
//
// Build one with [Independent], [Complete], [Graph] or, with its weights
// from θ and an edge list, [PairwiseProblem]; or as a literal checked by [Pairwise.Validate]. Its methods do not modify
// it, so it may be shared.
type Pairwise struct {
	N, K         int
	Edges        []Edge // pairs only; weights come from w
	Supermodular bool   // edge weights constrained ≥ 0 (graph cut applies)
}

var _ Structure = (*Pairwise)(nil)

// Independent returns n independent variables of k states (no edges);
// n ≥ 1, k ≥ 2. Errors wrap [ErrShape].
func Independent(n, k int) (*Pairwise, error) {
	p := &Pairwise{N: n, K: k}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}

// Complete returns n ≥ 1 binary variables with a weight on every pair, in
// the order of [CompleteGraph]. More than 2²⁶ pairs (n > 11,585, gigabytes
// of edges) are refused with [ErrShape] before anything is allocated.
func Complete(n int, supermodular bool) (*Pairwise, error) {
	if n < 1 {
		return nil, fmt.Errorf("%w: complete pairwise structure of %d variables, want ≥ 1", ErrShape, n)
	}
	if pairs := float64(n) * float64(n-1) / 2; pairs > maxCompletePairs {
		return nil, fmt.Errorf("%w: complete pairwise structure of %d variables has %.3g pairs, more than %d (gigabytes of edges, and no solver here finishes a dense general-sign graph beyond 44 variables)", ErrShape, n, pairs, maxCompletePairs)
	}
	return Graph(n, CompleteGraph(n), supermodular)
}

// maxCompletePairs bounds the pairs of [Complete]: 2²⁶ edges take about
// 2 GB with their weights.
const maxCompletePairs = 1 << 26

// Graph returns n binary variables with a weight on each listed pair (a
// chain, a grid, a tree, …). Errors wrap [ErrShape] or [ErrEdge].
func Graph(n int, pairs [][2]int, supermodular bool) (*Pairwise, error) {
	p := &Pairwise{N: n, K: 2, Supermodular: supermodular, Edges: make([]Edge, len(pairs))}
	for e, ij := range pairs {
		p.Edges[e] = Edge{I: ij[0], J: ij[1]}
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}

// ChainPairs returns the pairs (0,1), (1,2), …, (n−2,n−1).
func ChainPairs(n int) [][2]int {
	var p [][2]int
	for i := 0; i+1 < n; i++ {
		p = append(p, [2]int{i, i + 1})
	}
	return p
}

// GridPairs returns the 4-connected pairs of a rows×cols grid, variable
// r·cols+c.
func GridPairs(rows, cols int) [][2]int {
	var p [][2]int
	for r := 0; r < rows; r++ {
		for c := 0; c < cols; c++ {
			if c+1 < cols {
				p = append(p, [2]int{r*cols + c, r*cols + c + 1})
			}
			if r+1 < rows {
				p = append(p, [2]int{r*cols + c, (r+1)*cols + c})
			}
		}
	}
	return p
}

// Validate checks the shape: N ≥ 1, K ≥ 2 (one state is not a latent),
// Dim = N·K + len(Edges) representable, edges only for K = 2, each joining
// two distinct variables in range. The edges' W fields are ignored.
func (p *Pairwise) Validate() error {
	if p == nil {
		return fmt.Errorf("%w: nil pairwise structure", ErrShape)
	}
	if p.N < 1 {
		return fmt.Errorf("%w: pairwise structure of N = %d variables, want ≥ 1", ErrShape, p.N)
	}
	if p.K < 2 {
		return fmt.Errorf("%w: variables with K = %d states, want ≥ 2 (one state is not a latent)", ErrShape, p.K)
	}
	if p.K > (math.MaxInt-len(p.Edges))/p.N {
		return fmt.Errorf("%w: Dim = N·K + edges = %d·%d + %d overflows int", ErrShape, p.N, p.K, len(p.Edges))
	}
	if len(p.Edges) > 0 && p.K != 2 {
		return fmt.Errorf("%w: %d edges on variables with K = %d states; edges need K = 2", ErrEdge, len(p.Edges), p.K)
	}
	for e, ed := range p.Edges {
		if ed.I < 0 || ed.I >= p.N || ed.J < 0 || ed.J >= p.N {
			return fmt.Errorf("%w: edge %d (%d,%d) out of range [0,%d)", ErrEdge, e, ed.I, ed.J, p.N)
		}
		if ed.I == ed.J {
			return fmt.Errorf("%w: edge %d is a self-loop on variable %d", ErrEdge, e, ed.I)
		}
	}
	return nil
}

// Name implements [Structure].
func (p *Pairwise) Name() string {
	switch {
	case len(p.Edges) == 0 && p.N == 1:
		return fmt.Sprintf("one categorical latent of %d states", p.K)
	case len(p.Edges) == 0:
		return fmt.Sprintf("%d independent %d-state variables", p.N, p.K)
	case p.Supermodular:
		return fmt.Sprintf("%d binary variables, %d supermodular pairs", p.N, len(p.Edges))
	}
	return fmt.Sprintf("%d binary variables, %d pairs of any sign", p.N, len(p.Edges))
}

// Vars implements [Structure].
func (p *Pairwise) Vars() int { return p.N }

// States implements [Structure].
func (p *Pairwise) States() int { return p.K }

// Dim implements [Structure]: N·K + len(Edges).
func (p *Pairwise) Dim() int { return p.N*p.K + len(p.Edges) }

// AddFeatures implements [Structure] in O(N + E).
func (p *Pairwise) AddFeatures(z []int, scale float32, dst []float32) {
	for i, s := range z[:p.N] {
		dst[i*p.K+s] += scale
	}
	nk := p.N * p.K
	for e, ed := range p.Edges {
		if z[ed.I] == 1 && z[ed.J] == 1 {
			dst[nk+e] += scale
		}
	}
}

// Signs implements [Structure]: the edge weights are [NonNegative] when
// Supermodular.
func (p *Pairwise) Signs() []Sign {
	s := make([]Sign, p.Dim())
	if p.Supermodular {
		for e := range p.Edges {
			s[p.N*p.K+e] = NonNegative
		}
	}
	return s
}

// NewSolver implements [Structure] with the solver of that name from
// [Pairwise.Solvers]; any other name is refused, naming the ones that
// apply (or, when none does, saying why).
func (p *Pairwise) NewSolver(name string) (Maximizer, error) {
	names, err := p.rule()
	if err != nil {
		return nil, err
	}
	if name == "milp" && milpFactory() == nil && len(p.Edges) > 0 {
		return nil, fmt.Errorf("argmax: solver %q is not in this binary: import package github.com/argmaxvae/argmaxvae/qip (it needs cgo and lp_solve; see qip.Available); use one of %v", name, names)
	}
	if !slices.Contains(names, name) {
		return nil, fmt.Errorf("argmax: solver %q does not apply to %s (use one of %v)", name, p.Name(), names)
	}
	c := p.clone()
	var s PairwiseSolver
	switch name {
	case "categorical":
		s = Categorical{}
	case "maxflow":
		s = &GraphCut{}
	case "maxproduct":
		s = &MaxProduct{}
	case "graycode":
		s = &GrayCode{}
	case "bnb":
		s = &BranchAndBound{}
	case "qpbo":
		q := &QPBO{}
		if f := milpFactory(); f != nil {
			q.Large = f()
		}
		s = q
	case "milp":
		s = milpFactory()()
	case "exhaustive":
		return NewEnumerator(c)
	default:
		return nil, fmt.Errorf("argmax: internal error: the pairwise rule lists %q, which NewSolver cannot make", name)
	}
	m := &Model{N: c.N, K: c.K, Unary: make([]float64, c.N*c.K), Edges: c.Edges}
	return &modelSolver{p: c, m: m, s: s}, nil
}

func (p *Pairwise) clone() *Pairwise {
	c := *p
	c.Edges = slices.Clone(p.Edges)
	return &c
}

// Model loads w into a new [Model] (unary scores and edge weights).
func (p *Pairwise) Model(w []float64) *Model {
	m := &Model{N: p.N, K: p.K, Unary: make([]float64, p.N*p.K), Edges: slices.Clone(p.Edges)}
	p.load(w, m)
	return m
}

func (p *Pairwise) load(w []float64, m *Model) {
	nk := p.N * p.K
	copy(m.Unary, w[:nk])
	for e := range m.Edges {
		m.Edges[e].W = w[nk+e]
	}
}

// modelSolver adapts a [PairwiseSolver] to a [Maximizer] of a Pairwise
// structure.
type modelSolver struct {
	p *Pairwise
	m *Model
	s PairwiseSolver
}

func (a *modelSolver) Maximize(w []float64, z []int) (float64, error) {
	if err := checkW(a.p, w, z); err != nil {
		return 0, err
	}
	a.p.load(w, a.m)
	return a.s.Solve(a.m, z)
}
