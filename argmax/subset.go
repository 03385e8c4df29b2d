package argmax

import (
	"fmt"
	"math"
)

// KSubset is a latent that picks exactly K of N items: codes z ∈ {0,1}ᴺ
// with Σᵢ zᵢ = K (zᵢ = 1: item i is in the subset). N is Vars and each
// variable has 2 states, so the field K is the subset size, not
// [Structure.States].
//
// Layout of w (length Dim = 2N): the unary layout of N binary variables,
// w[2i] scoring item i left out and w[2i+1] scoring it chosen; φ(z) is the
// one-hot of each bit, so
//
//	h(z) = ⟨w, φ(z)⟩ = Σᵢ w[2i+zᵢ] = Σᵢ w[2i] + Σ_{i: zᵢ=1} gᵢ,  gᵢ = w[2i+1] − w[2i].
//
// Only the gains gᵢ matter to the arg max, which is the K items of largest
// gain: [TopK] finds them by quickselect in O(N) expected time. All
// coordinates are [AnySign]. "exhaustive" ([Enumerator], 2ᴺ codes) is the
// reference for small N.
//
// Sampling: the perturbed arg max is not the Gibbs distribution over
// K-subsets (docs/solvers.md); [KSubset.NewUnarySampler] samples that exactly.
//
// Build one with [NewKSubset] or, with its weights from gains,
// [SubsetProblem]; or as a literal checked by [KSubset.Validate].
type KSubset struct {
	N, K int
}

// Compile-time checks.
var (
	_ Structure   = (*KSubset)(nil)
	_ Constrained = (*KSubset)(nil)
)

// NewKSubset returns the K-subsets of n items, 0 ≤ k ≤ n, n ≥ 1, with
// Dim = 2n representable as an int. Errors wrap [ErrShape].
func NewKSubset(n, k int) (*KSubset, error) {
	s := &KSubset{N: n, K: k}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return s, nil
}

// Validate checks the shape: N ≥ 1, 0 ≤ K ≤ N and 2N representable as an
// int. Errors wrap [ErrShape].
func (s *KSubset) Validate() error {
	if s == nil {
		return fmt.Errorf("%w: nil k-subset", ErrShape)
	}
	if s.N < 1 {
		return fmt.Errorf("%w: k-subset of N = %d items, want ≥ 1", ErrShape, s.N)
	}
	if s.K < 0 || s.K > s.N {
		return fmt.Errorf("%w: subset of K = %d of %d items, want 0 ≤ K ≤ N", ErrShape, s.K, s.N)
	}
	if s.N > math.MaxInt/2 {
		return fmt.Errorf("%w: k-subset of %d items: Dim = 2N overflows int", ErrShape, s.N)
	}
	return nil
}

// Name implements [Structure], e.g. "10-of-20 subset".
func (s *KSubset) Name() string { return fmt.Sprintf("%d-of-%d subset", s.K, s.N) }

// Vars implements [Structure]: N.
func (s *KSubset) Vars() int { return s.N }

// States implements [Structure]: 2.
func (s *KSubset) States() int { return 2 }

// Dim implements [Structure]: 2N.
func (s *KSubset) Dim() int { return 2 * s.N }

// AddFeatures implements [Structure] in O(N): dst[2i+zᵢ] += scale.
func (s *KSubset) AddFeatures(z []int, scale float32, dst []float32) {
	for i, b := range z[:s.N] {
		dst[2*i+b] += scale
	}
}

// Signs implements [Structure]: every coordinate is [AnySign].
func (s *KSubset) Signs() []Sign { return make([]Sign, s.Dim()) }

// Feasible implements [Constrained]: z[:N] is 0/1 with exactly K ones.
// O(N); it does not allocate.
func (s *KSubset) Feasible(z []int) bool {
	if len(z) < s.N {
		return false
	}
	ones := 0
	for _, b := range z[:s.N] {
		switch b {
		case 0:
		case 1:
			ones++
		default:
			return false
		}
	}
	return ones == s.K
}

// Solvers implements [Structure]: "topk" ([TopK], O(N) expected), then
// "exhaustive" ([Enumerator]) when it has at most [MaxEnumerateCodes]
// codes.
func (s *KSubset) Solvers() []string { return withEnumerator(s, "topk") }

// NewSolver implements [Structure]. "topk" returns a [*TopK];
// "exhaustive" returns an [Enumerator] where listed. Other
// names are refused, naming the ones that apply; an invalid shape is
// refused with [ErrShape].
func (s *KSubset) NewSolver(name string) (Maximizer, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	c := *s
	return pickSolver(&c, name, "topk", func() (Maximizer, error) { return NewTopK(s) })
}

// coordinate describes w[j] for error messages.
func (s *KSubset) coordinate(j int) string {
	if j%2 == 0 {
		return fmt.Sprintf("score of item %d left out", j/2)
	}
	return fmt.Sprintf("score of item %d chosen", j/2)
}

// checkFinite returns an [ErrNotFinite] error naming the first NaN or ±Inf
// in w, described by coord.
func checkFinite(s Structure, w []float64, coord func(int) string) error {
	for j, x := range w {
		if x-x != 0 { // NaN or ±Inf
			return fmt.Errorf("%w: %s: w[%d] = %v (%s)", ErrNotFinite, s.Name(), j, x, coord(j))
		}
	}
	return nil
}

// unaryValue returns Σᵢ w[2i+zᵢ] in the order of [Score], or an
// [ErrNotFinite] error when the sum overflows float64.
func unaryValue(s Structure, w []float64, z []int) (float64, error) {
	value := 0.0
	for i, b := range z[:s.Vars()] {
		value += w[2*i+b]
	}
	if value-value != 0 {
		return 0, fmt.Errorf("%w: %s: the score of the maximizer overflows float64", ErrNotFinite, s.Name())
	}
	return value, nil
}
