package argmax

import (
	"fmt"
	"math"
)

// Matching is a latent that is a perfect matching of an N×N bipartite
// graph, that is a permutation: zᵢ ∈ {0,…,N−1} is the column of row i, and
// the zᵢ are all distinct. N is Vars and States.
//
// Layout of w (length Dim = N²): the unary layout, row-major, w[i·N+j]
// scoring row i matched to column j; φ(z) is the permutation matrix (the
// one-hot of each zᵢ), so h(z) = Σᵢ w[i·N+zᵢ], the weight of the
// assignment. All coordinates are [AnySign].
//
// [Hungarian] finds the maximum-weight assignment exactly in O(N³);
// "exhaustive" ([Enumerator], N^N codes of which N! are feasible) is the
// reference for N ≤ 7.
//
// Sampling: the perturbed arg max only approximates the Gibbs distribution
// over permutations (docs/solvers.md).
//
// Build one with [NewMatching] or, with its weights from a score or
// cost matrix, [MatchingProblem] or [MatchingCostProblem]; or as a
// literal checked by [Matching.Validate].
type Matching struct {
	N int
}

// Compile-time checks.
var (
	_ Structure   = (*Matching)(nil)
	_ Constrained = (*Matching)(nil)
)

// NewMatching returns the perfect matchings of n×n (permutations of n),
// n ≥ 1 with Dim = n² representable as an int. Errors wrap [ErrShape].
func NewMatching(n int) (*Matching, error) {
	m := &Matching{N: n}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return m, nil
}

// Validate checks the shape: N ≥ 1 and N² representable as an int.
// Errors wrap [ErrShape].
func (m *Matching) Validate() error {
	if m == nil {
		return fmt.Errorf("%w: nil matching", ErrShape)
	}
	if m.N < 1 {
		return fmt.Errorf("%w: matching of N = %d rows, want ≥ 1", ErrShape, m.N)
	}
	if m.N > math.MaxInt/m.N {
		return fmt.Errorf("%w: matching of %d×%d: Dim = N² overflows int", ErrShape, m.N, m.N)
	}
	return nil
}

// Name implements [Structure], e.g. "6×6 matching".
func (m *Matching) Name() string { return fmt.Sprintf("%d×%d matching", m.N, m.N) }

// Vars implements [Structure]: N.
func (m *Matching) Vars() int { return m.N }

// States implements [Structure]: N.
func (m *Matching) States() int { return m.N }

// Dim implements [Structure]: N².
func (m *Matching) Dim() int { return m.N * m.N }

// AddFeatures implements [Structure] in O(N): dst[i·N+zᵢ] += scale.
func (m *Matching) AddFeatures(z []int, scale float32, dst []float32) {
	n := m.N
	for i, j := range z[:n] {
		dst[i*n+j] += scale
	}
}

// Signs implements [Structure]: every coordinate is [AnySign].
func (m *Matching) Signs() []Sign { return make([]Sign, m.Dim()) }

// Feasible implements [Constrained]: z[:N] is a permutation of 0…N−1.
// O(N); it allocates only for N > 256.
func (m *Matching) Feasible(z []int) bool {
	n := m.N
	if len(z) < n {
		return false
	}
	var small [4]uint64
	var seen []uint64
	if n <= 256 {
		seen = small[:]
	} else {
		seen = make([]uint64, (n+63)/64)
	}
	for _, j := range z[:n] {
		if j < 0 || j >= n || seen[j/64]>>(j%64)&1 != 0 {
			return false
		}
		seen[j/64] |= 1 << (j % 64)
	}
	return true
}

// Solvers implements [Structure]: "hungarian" ([Hungarian], O(N³)), then
// "exhaustive" ([Enumerator]) when it has at most [MaxEnumerateCodes]
// codes.
func (m *Matching) Solvers() []string { return withEnumerator(m, "hungarian") }

// NewSolver implements [Structure]. "hungarian" returns a [*Hungarian];
// "exhaustive" returns an [Enumerator] where listed. Other
// names are refused, naming the ones that apply; an invalid shape is
// refused with [ErrShape].
func (m *Matching) NewSolver(name string) (Maximizer, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	c := *m
	return pickSolver(&c, name, "hungarian", func() (Maximizer, error) { return NewHungarian(m) })
}

// coordinate describes w[j] for error messages.
func (m *Matching) coordinate(j int) string {
	return fmt.Sprintf("score of row %d matched to column %d", j/m.N, j%m.N)
}
