package argmax

import (
	"fmt"
	"slices"
)

// Pairwise is the structure of today's encoders: N variables of K states
// with unary scores, plus, for binary variables, one weight per edge of a
// fixed graph, h(z) = Σᵢ w[i·K+zᵢ] + Σ_e w[N·K+e]·z_{I_e}·z_{J_e}.
// Without edges it covers one categorical latent, N categorical latents
// and independent bits. Its solvers are the [Solver]s of this package, fed
// a [Model] loaded from w.
type Pairwise struct {
	N, K         int
	Edges        []Edge // pairs only; weights come from w
	Supermodular bool   // edge weights constrained ≥ 0 (graph cut applies)
}

// Independent returns n independent K-state variables (no edges); K = 1
// is not a latent.
func Independent(n, k int) *Pairwise { return &Pairwise{N: n, K: k} }

// Complete returns n binary variables with a weight on every pair, in the
// order of [CompleteEdges].
func Complete(n int, supermodular bool) *Pairwise {
	return &Pairwise{N: n, K: 2, Edges: CompleteEdges(n), Supermodular: supermodular}
}

// Graph returns n binary variables with a weight on each listed pair (a
// chain, a grid, a tree, …).
func Graph(n int, pairs [][2]int, supermodular bool) (*Pairwise, error) {
	p := &Pairwise{N: n, K: 2, Supermodular: supermodular}
	for _, e := range pairs {
		p.Edges = append(p.Edges, Edge{I: e[0], J: e[1]})
	}
	return p, p.Validate()
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

// Validate checks the shape: N, K ≥ 1 without overflow, edges only for
// K = 2, each joining two distinct variables in range.
func (p *Pairwise) Validate() error {
	m := &Model{N: p.N, K: p.K, Edges: p.Edges}
	if p.N >= 1 && p.K >= 1 && p.K <= int(^uint(0)>>1)/p.N {
		m.Unary = make([]float64, p.N*p.K)
	}
	return m.Validate()
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

// Solvers implements [Structure]: "categorical" (named "independent" for
// bits) without edges; "maxflow" first when supermodular; then
// "exhaustive" up to 6 variables, "bnb", "qpbo" (where branch and bound
// applies or the large components are sparse) and "milp".
func (p *Pairwise) Solvers() []string {
	if len(p.Edges) == 0 { // the same solver under two names
		if p.K == 2 {
			return []string{"independent", "categorical"}
		}
		return []string{"categorical", "independent"}
	}
	var s []string
	if p.Supermodular {
		s = append(s, "maxflow")
	}
	// Only solvers that finish at this size: enumeration up to
	// MaxExhaustive variables, branch and bound up to MaxBranchAndBound
	// per connected component.
	exh, bnb := p.N <= MaxExhaustive, p.largestComponent() <= MaxBranchAndBound
	if exh && p.N <= chooseExhaustiveMaxN {
		s = append(s, "exhaustive")
	}
	if bnb {
		s = append(s, "bnb")
	}
	if exh && p.N > chooseExhaustiveMaxN {
		s = append(s, "exhaustive")
	}
	// QPBO: exact at any size if roof duality leaves small components;
	// offered where Choose would pick it (see chooseMILPMaxDegree) or
	// branch and bound applies (it then only adds overhead, so comes after).
	if bnb || p.sparse() {
		s = append(s, "qpbo")
	}
	return append(s, "milp")
}

// sparse reports whether every connected component of more than
// MaxBranchAndBound variables has average degree ≤ chooseMILPMaxDegree:
// the models on which Choose picks QPBO.
func (p *Pairwise) sparse() bool {
	m := &Model{N: p.N, K: p.K, Edges: slices.Clone(p.Edges)}
	for e := range m.Edges {
		m.Edges[e].W = 1
	}
	c := componentStats(m)
	return c.size <= MaxBranchAndBound || 2*float64(c.bigEdges) <= chooseMILPMaxDegree*float64(c.size)
}

// NewSolver implements [Structure] with the package's solvers (see
// [ByName]); a solver outside Solvers() is refused, naming the ones that
// apply.
func (p *Pairwise) NewSolver(name string) (Maximizer, error) {
	if !slices.Contains(p.Solvers(), name) {
		return nil, fmt.Errorf("argmax: solver %q does not apply to %s (use one of %v)", name, p.Name(), p.Solvers())
	}
	f, err := ByName(name)
	if err != nil {
		return nil, err
	}
	m := &Model{N: p.N, K: p.K, Unary: make([]float64, p.N*p.K), Edges: slices.Clone(p.Edges)}
	return &modelSolver{p: p, m: m, s: f()}, nil
}

// largestComponent is the size of the largest connected component of the
// edge graph.
func (p *Pairwise) largestComponent() int {
	m := &Model{N: p.N, K: p.K, Edges: slices.Clone(p.Edges)}
	for e := range m.Edges {
		m.Edges[e].W = 1
	}
	return largestComponent(m)
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

// modelSolver adapts a [Solver] to a [Maximizer] of a Pairwise structure.
type modelSolver struct {
	p *Pairwise
	m *Model
	s Solver
}

func (a *modelSolver) Maximize(w []float64, z []int) (float64, error) {
	if err := checkW(a.p, w, z); err != nil {
		return 0, err
	}
	a.p.load(w, a.m)
	return a.s.Solve(a.m, z)
}
