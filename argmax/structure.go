package argmax

import (
	"errors"
	"fmt"
)

// Structure is a latent's combinatorial structure: the codes z ∈ {0,…,K−1}ᴺ
// it allows and their features φ(z), so that an encoder scores a code
// linearly, h(x,z) = ⟨w(x), φ(z)⟩, with a weight vector w of length Dim.
//
// Layout: the first N·K coordinates of w are the unary scores (w[i·K+s]
// scores zᵢ = s, and φ's unary block is the one-hot of z); the remaining
// Dim − N·K are the structure's interaction weights. Gumbel noise enters
// the unary block, and so does the decoder's local change f̃ (variable i
// set to state s, the others kept), which is how every structure so far
// defines its neighbourhood.
//
// A trainer needs nothing else: with z* and z*(ε) from any exact solver,
// the direct estimate of the loss gradient with respect to w is
// −(φ(z*(ε)) − φ(z*))/ε for every structure.
//
// A structure of your own implements these methods (and [Constrained] if
// not every code is allowed); for a small one, Solvers can return
// {"exhaustive"} and NewSolver [NewEnumerator], the exact reference that
// needs nothing but the methods above.
type Structure interface {
	// Name is a short description, e.g. "complete pairwise, supermodular".
	Name() string
	// Vars is N, the length of a code.
	Vars() int
	// States is K, the number of states of each variable.
	States() int
	// Dim is the length of w and φ(z): N·K plus the interaction weights.
	Dim() int
	// AddFeatures adds scale·φ(z) to dst[:Dim()]. It touches only the
	// nonzero features. It is the structure's own plumbing, called with z
	// of length Vars (states in [0, States)) and dst of length Dim, and
	// need not check them (the built-in structures panic otherwise); the
	// checked ways to use it are [Score] and train's VAE.AddFeatures.
	AddFeatures(z []int, scale float32, dst []float32)
	// Signs returns the sign constraint of each coordinate of w (length
	// Dim), which the encoder enforces (softplus for [NonNegative]).
	Signs() []Sign
	// Solvers names the exact solvers that apply and are expected to
	// finish at this size, fastest first.
	Solvers() []string
	// NewSolver returns a new solver of one of the Solvers names (one per
	// goroutine: solvers keep buffers); other names are an error.
	NewSolver(name string) (Maximizer, error)
}

// Constrained is implemented by structures whose codes are not all of
// {0,…,K−1}ᴺ (k-subsets, permutations, spanning trees): Feasible reports
// whether z is one of the structure's codes. Enumeration and exact
// likelihoods visit only feasible codes, and the uniform prior is over
// them.
type Constrained interface {
	Feasible(z []int) bool
}

// Feasible reports whether z is a code of s: z[:Vars] exists, every
// state is in [0, States), and, for a [Constrained] s, s.Feasible(z).
func Feasible(s Structure, z []int) bool {
	if checkStructure(s) != nil {
		return false
	}
	if !inRange(z, s.Vars(), s.States()) {
		return false
	}
	if c, ok := s.(Constrained); ok {
		return c.Feasible(z)
	}
	return true
}

// inRange reports whether z[:n] exists and holds states in [0, k).
func inRange(z []int, n, k int) bool {
	if n < 0 || len(z) < n {
		return false
	}
	for _, s := range z[:n] {
		if s < 0 || s >= k {
			return false
		}
	}
	return true
}

// Maximizer solves the arg max of one structure: Maximize writes
// argmax_z ⟨w, φ(z)⟩ into z[:N] and returns the maximum. Ties are broken
// deterministically. It is not safe for concurrent use.
type Maximizer interface {
	Maximize(w []float64, z []int) (float64, error)
}

// Sign is a constraint an encoder enforces on one coordinate of w.
type Sign int8

const (
	AnySign     Sign = iota // unconstrained
	NonNegative             // w ≥ 0 (the encoder applies softplus)
)

// Unary returns N·K, the length of s's unary block.
// A nil structure has none.
func Unary(s Structure) int {
	if checkStructure(s) != nil {
		return 0
	}
	return s.Vars() * s.States()
}

// checkStructure returns an error wrapping [ErrShape] for a nil structure
// (a nil interface or a nil pointer), whose methods cannot be called.
func checkStructure(s Structure) error {
	if s == nil || isNilPointer(s) {
		return fmt.Errorf("%w: nil structure", ErrShape)
	}
	return nil
}

// Score returns ⟨w, φ(z)⟩ by way of AddFeatures, O(Dim): the reference
// that solvers are tested against. A w of the wrong length, or a z too
// short or with a state outside [0, States), is an error wrapping
// [ErrShape]; z need not be feasible (φ is defined for every such code).
func Score(s Structure, w []float64, z []int) (float64, error) {
	if err := checkStructure(s); err != nil {
		return 0, err
	}
	if len(w) != s.Dim() {
		return 0, fmt.Errorf("%w: %s: len(w) = %d, want %d", ErrShape, s.Name(), len(w), s.Dim())
	}
	if !inRange(z, s.Vars(), s.States()) {
		return 0, fmt.Errorf("%w: %s: code %v is not %d states in [0, %d)", ErrShape, s.Name(), z, s.Vars(), s.States())
	}
	return score(s, w, z), nil
}

// score is Score without the checks.
func score(s Structure, w []float64, z []int) float64 {
	phi := make([]float32, s.Dim())
	s.AddFeatures(z, 1, phi)
	v := 0.0
	for j, p := range phi {
		if p != 0 {
			v += float64(p) * w[j]
		}
	}
	return v
}

// Fastest returns a new solver of the first name in s.Solvers, with its
// name. A structure with no solver gives an error that says why (for a
// [Pairwise] one, [ErrTooLarge] naming the component that no solver can
// finish).
func Fastest(s Structure) (string, Maximizer, error) {
	if err := checkStructure(s); err != nil {
		return "", nil, err
	}
	names := s.Solvers()
	if len(names) == 0 {
		if n, ok := s.(interface{ noSolver() error }); ok {
			if err := n.noSolver(); err != nil {
				return "", nil, err
			}
		}
		return "", nil, fmt.Errorf("argmax: %s lists no solver", s.Name())
	}
	var errs []error
	seen := map[string]bool{} // solvers that refuse for one reason say it once
	for _, name := range names {
		m, err := s.NewSolver(name)
		if err == nil {
			return name, m, nil
		}
		if !seen[err.Error()] {
			seen[err.Error()] = true
			errs = append(errs, err)
		}
	}
	return "", nil, fmt.Errorf("argmax: no solver of %s could be made: %w", s.Name(), errors.Join(errs...))
}

// checkW checks the lengths of w and z against s.
func checkW(s Structure, w []float64, z []int) error {
	if len(w) != s.Dim() {
		return fmt.Errorf("%w: %s: len(w) = %d, want %d", ErrShape, s.Name(), len(w), s.Dim())
	}
	if len(z) < s.Vars() {
		return fmt.Errorf("%w: %s: output slice has length %d, want ≥ %d", ErrShape, s.Name(), len(z), s.Vars())
	}
	return nil
}
