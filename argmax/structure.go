package argmax

import "fmt"

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
	// nonzero features.
	AddFeatures(z []int, scale float32, dst []float32)
	// Signs returns the sign constraint of each coordinate of w (length
	// Dim), which the encoder enforces (softplus for [NonNegative]).
	Signs() []Sign
	// Solvers names the exact solvers that apply, fastest first.
	Solvers() []string
	// NewSolver returns a new solver of the given name for this structure
	// (one per goroutine: solvers keep buffers).
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

// Feasible reports whether z is a code of s (always true for a structure
// that is not [Constrained]).
func Feasible(s Structure, z []int) bool {
	if c, ok := s.(Constrained); ok {
		return c.Feasible(z)
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
func Unary(s Structure) int { return s.Vars() * s.States() }

// Score returns ⟨w, φ(z)⟩ by way of AddFeatures, O(Dim): the reference
// that solvers are tested against.
func Score(s Structure, w []float64, z []int) float64 {
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

// Fastest returns a new solver of the first name in s.Solvers that s can
// make (the MILP solver, for one, needs package qip imported).
func Fastest(s Structure) (string, Maximizer, error) {
	var first error
	for _, name := range s.Solvers() {
		m, err := s.NewSolver(name)
		if err == nil {
			return name, m, nil
		}
		if first == nil {
			first = err
		}
	}
	return "", nil, fmt.Errorf("argmax: no exact solver for %s: %v", s.Name(), first)
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
