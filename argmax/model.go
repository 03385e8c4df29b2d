package argmax

import (
	"errors"
	"fmt"
	"math"
)

// Edge is a pairwise term W·zᵢ·zⱼ between binary variables I and J (I ≠ J,
// in either order). Repeated pairs add up.
type Edge struct {
	I, J int
	W    float64
}

// Model is the arg max problem max_z Σᵢ Unary[i·K+zᵢ] + Σ_e W_e·z_{I_e}·z_{J_e}
// over z ∈ {0,…,K−1}ᴺ. Edges are allowed only for binary variables (K = 2).
//
// A Model is plain data: a trainer keeps one per example and overwrites
// Unary and the edge weights in place between solves.
type Model struct {
	N     int       // number of variables, ≥ 1
	K     int       // states per variable, ≥ 1
	Unary []float64 // N·K scores; Unary[i*K+s] is the score of zᵢ = s
	Edges []Edge    // pairwise terms; require K = 2
}

// Errors returned by [Model.Validate] and by solvers, wrapped with detail.
var (
	ErrShape       = errors.New("argmax: model shape")
	ErrNotFinite   = errors.New("argmax: score is not finite")
	ErrEdge        = errors.New("argmax: bad edge")
	ErrUnsupported = errors.New("argmax: solver does not accept this model")
	ErrTooLarge    = errors.New("argmax: model too large for solver")
)

// NewCategorical returns the model of one categorical variable with
// len(scores) values (N = 1, K = len(scores)). The slice is used, not copied.
func NewCategorical(scores []float64) *Model {
	return &Model{N: 1, K: len(scores), Unary: scores}
}

// NewBinary returns the pairwise binary model Σᵢ θᵢzᵢ + Σ_e W_e·z_I·z_J
// with Unary = (0, θ₀, 0, θ₁, …). The edge slice is used, not copied.
func NewBinary(theta []float64, edges []Edge) *Model {
	u := make([]float64, 2*len(theta))
	for i, t := range theta {
		u[2*i+1] = t
	}
	return &Model{N: len(theta), K: 2, Unary: u, Edges: edges}
}

// NewDense returns the pairwise binary model with unary θ and weights taken
// from the strict upper triangle of the n×n matrix w (w[i][j], i < j); zero
// entries make no edge. The lower triangle and diagonal must be zero or
// mirror the upper triangle; anything else is an error, since it would be
// ambiguous which entry counts.
func NewDense(theta []float64, w [][]float64) (*Model, error) {
	n := len(theta)
	if len(w) != n {
		return nil, fmt.Errorf("%w: %d unaries but %d weight rows", ErrShape, n, len(w))
	}
	var edges []Edge
	for i := range w {
		if len(w[i]) != n {
			return nil, fmt.Errorf("%w: weight row %d has %d entries, want %d", ErrShape, i, len(w[i]), n)
		}
		if w[i][i] != 0 {
			return nil, fmt.Errorf("%w: diagonal weight w[%d][%d] = %v is not zero (put it in θ)", ErrEdge, i, i, w[i][i])
		}
		for j := i + 1; j < n; j++ {
			lo := w[j][i]
			if lo != 0 && lo != w[i][j] {
				return nil, fmt.Errorf("%w: w[%d][%d] = %v but w[%d][%d] = %v", ErrEdge, i, j, w[i][j], j, i, lo)
			}
			if w[i][j] != 0 {
				edges = append(edges, Edge{I: i, J: j, W: w[i][j]})
			}
		}
	}
	m := NewBinary(theta, edges)
	return m, m.Validate()
}

// CompleteEdges returns the n(n−1)/2 edges of the complete graph on n
// variables in the order (0,1), (0,2), …, (0,n−1), (1,2), …, with zero
// weights: the layout of an encoder's pairwise output vector.
func CompleteEdges(n int) []Edge {
	edges := make([]Edge, 0, n*(n-1)/2)
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			edges = append(edges, Edge{I: i, J: j})
		}
	}
	return edges
}

// MaxMagnitude bounds a model's scores: [Model.Validate] refuses, with
// [ErrNotFinite], a model whose Σᵢ maxₛ |θᵢₛ| + Σₑ |wₑ| exceeds it. Every
// partial sum a solver forms (Gray-code walks, branch-and-bound bounds,
// QPBO's doubled network, max-flow capacities, the MILP objective) is then
// at most a small multiple of that sum and stays finite, so no solver
// overflows to ±Inf or a wrong maximum near the largest float64.
const MaxMagnitude = math.MaxFloat64 / 16

// Validate reports whether the model is well formed: N, K ≥ 1, N·K
// representable as an int, len(Unary) = N·K, every score finite, every
// edge joining two distinct binary variables in range with a finite
// weight, and the scores' magnitudes summing to at most [MaxMagnitude].
func (m *Model) Validate() error {
	if m == nil {
		return fmt.Errorf("%w: nil model", ErrShape)
	}
	if m.N < 1 {
		return fmt.Errorf("%w: N = %d variables, want ≥ 1", ErrShape, m.N)
	}
	if m.K < 1 {
		return fmt.Errorf("%w: K = %d states, want ≥ 1", ErrShape, m.K)
	}
	if m.K > math.MaxInt/m.N {
		return fmt.Errorf("%w: N·K = %d·%d overflows int; no Unary slice can hold that many scores", ErrShape, m.N, m.K)
	}
	if len(m.Unary) != m.N*m.K {
		return fmt.Errorf("%w: len(Unary) = %d, want N·K = %d·%d = %d", ErrShape, len(m.Unary), m.N, m.K, m.N*m.K)
	}
	for i, u := range m.Unary {
		if math.IsNaN(u) || math.IsInf(u, 0) {
			return fmt.Errorf("%w: Unary[%d] (variable %d, state %d) = %v", ErrNotFinite, i, i/m.K, i%m.K, u)
		}
	}
	if len(m.Edges) > 0 && m.K != 2 {
		return fmt.Errorf("%w: %d edges on variables with K = %d states; edges need K = 2", ErrEdge, len(m.Edges), m.K)
	}
	for e, ed := range m.Edges {
		if ed.I < 0 || ed.I >= m.N || ed.J < 0 || ed.J >= m.N {
			return fmt.Errorf("%w: edge %d (%d,%d) out of range [0,%d)", ErrEdge, e, ed.I, ed.J, m.N)
		}
		if ed.I == ed.J {
			return fmt.Errorf("%w: edge %d is a self-loop on variable %d", ErrEdge, e, ed.I)
		}
		if math.IsNaN(ed.W) || math.IsInf(ed.W, 0) {
			return fmt.Errorf("%w: weight of edge %d (%d,%d) = %v", ErrNotFinite, e, ed.I, ed.J, ed.W)
		}
	}
	return m.checkMagnitude()
}

// checkMagnitude refuses scores whose magnitudes sum beyond MaxMagnitude.
// The sum is formed in units of 2⁻⁶⁴ of each term's scale so that it
// cannot overflow itself. O(N·K + E).
func (m *Model) checkMagnitude() error {
	const scale = 0x1p-64
	sum := 0.0
	for i := 0; i < m.N; i++ {
		big := 0.0
		for _, u := range m.Unary[i*m.K : (i+1)*m.K] {
			big = max(big, math.Abs(u))
		}
		sum += big * scale
	}
	for _, e := range m.Edges {
		sum += math.Abs(e.W) * scale
	}
	if sum > MaxMagnitude*scale {
		return fmt.Errorf("%w: the scores' magnitudes (Σᵢ maxₛ |θᵢₛ| + Σₑ |wₑ|) sum to more than argmax.MaxMagnitude = %.3g: sums of scores could overflow float64",
			ErrNotFinite, float64(MaxMagnitude))
	}
	return nil
}

// Score returns h(z) for an assignment z of length N with 0 ≤ zᵢ < K.
// It does not validate z.
func (m *Model) Score(z []int) float64 {
	s := 0.0
	for i, zi := range z[:m.N] {
		s += m.Unary[i*m.K+zi]
	}
	for _, e := range m.Edges {
		if z[e.I] == 1 && z[e.J] == 1 {
			s += e.W
		}
	}
	return s
}

// Theta returns the unary difference θᵢ = Unary[2i+1] − Unary[2i] of a
// binary model: the gain of setting zᵢ = 1 alone.
func (m *Model) Theta(i int) float64 { return m.Unary[2*i+1] - m.Unary[2*i] }

// Supermodular reports whether every edge weight is ≥ 0, in which case a
// binary model is solved exactly by a graph cut.
func (m *Model) Supermodular() bool {
	for _, e := range m.Edges {
		if e.W < 0 {
			return false
		}
	}
	return true
}

// checkBinary validates m and requires K = 2, for the pairwise solvers.
func checkBinary(m *Model, z []int, solver string) error {
	if err := m.Validate(); err != nil {
		return err
	}
	if m.K != 2 {
		return fmt.Errorf("%w: %s needs binary variables (K = 2), got K = %d", ErrUnsupported, solver, m.K)
	}
	return checkOut(m, z)
}

// checkOut checks that the output slice can hold an assignment.
func checkOut(m *Model, z []int) error {
	if len(z) < m.N {
		return fmt.Errorf("%w: output slice has length %d, want ≥ N = %d", ErrShape, len(z), m.N)
	}
	return nil
}

// WithoutEdges returns a copy of m's shape and unary scores with no
// pairwise terms: the independent-bit model.
func (m *Model) WithoutEdges() *Model {
	return &Model{N: m.N, K: m.K, Unary: append([]float64(nil), m.Unary...)}
}
