package argmax

import (
	"fmt"
	"math"
)

// MaxEnumerateCodes caps [Enumerator]: at most this many codes (K^N,
// feasible or not) are visited.
const MaxEnumerateCodes = 1 << 22

// Enumerator is the exact solver of any [Structure] small enough to
// enumerate, and the contract for structures of your own: it needs only
// the Structure methods (and [Constrained]'s Feasible), so a new structure
// is solved by returning it from NewSolver("exhaustive").
//
// Maximize visits every code of {0,…,K−1}ᴺ in odometer order (variable 0
// fastest), skips infeasible ones, and returns the first maximum of
// ⟨w, φ(z)⟩ (ties go to the earliest code). O(K^N·Dim) time, O(N + Dim)
// memory reused between calls. A score that overflows float64 is refused
// with [ErrNotFinite]. Not safe for concurrent use; it is the reference
// every other solver is tested against.
type Enumerator struct {
	s   Structure
	cur []int
	phi []float32
}

// NewEnumerator returns an Enumerator of s, refusing (with [ErrTooLarge])
// a structure of more than [MaxEnumerateCodes] codes.
func NewEnumerator(s Structure) (*Enumerator, error) {
	if err := checkStructure(s); err != nil {
		return nil, err
	}
	n, k := s.Vars(), s.States()
	if n < 1 || k < 1 {
		return nil, fmt.Errorf("%w: %s: %d variables of %d states", ErrShape, s.Name(), n, k)
	}
	if c := codeCount(n, k); c > MaxEnumerateCodes {
		return nil, fmt.Errorf("%w: enumerating %s means %g codes, more than %d", ErrTooLarge, s.Name(), c, MaxEnumerateCodes)
	}
	return &Enumerator{s: s, cur: make([]int, n), phi: make([]float32, s.Dim())}, nil
}

// Enumerate is NewEnumerator(s) followed by Maximize(w, z): the one-off
// form of [Enumerator].
func Enumerate(s Structure, w []float64, z []int) (float64, error) {
	e, err := NewEnumerator(s)
	if err != nil {
		return 0, err
	}
	return e.Maximize(w, z)
}

// Maximize implements [Maximizer]. A structure with no feasible code is an
// error wrapping [ErrShape].
func (e *Enumerator) Maximize(w []float64, z []int) (float64, error) {
	s := e.s
	if err := checkW(s, w, z); err != nil {
		return 0, err
	}
	for j, v := range w {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, fmt.Errorf("%w: %s: w[%d] = %v", ErrNotFinite, s.Name(), j, v)
		}
	}
	n, k, cur := s.Vars(), s.States(), e.cur
	clear(cur)
	best, found := math.Inf(-1), false
	for {
		if Feasible(s, cur) {
			v := e.score(w)
			if v-v != 0 {
				return 0, fmt.Errorf("%w: %s: the score of code %v overflows float64", ErrNotFinite, s.Name(), cur)
			}
			if !found || v > best {
				best, found = v, true
				copy(z, cur)
			}
		}
		i := 0
		for ; i < n; i++ {
			if cur[i]++; cur[i] < k {
				break
			}
			cur[i] = 0
		}
		if i == n {
			if !found {
				return 0, fmt.Errorf("%w: %s has no feasible code", ErrShape, s.Name())
			}
			return best, nil
		}
	}
}

// score is ⟨w, φ(cur)⟩ in the order of [Score].
func (e *Enumerator) score(w []float64) float64 {
	clear(e.phi)
	e.s.AddFeatures(e.cur, 1, e.phi)
	v := 0.0
	for j, p := range e.phi {
		if p != 0 {
			v += float64(p) * w[j]
		}
	}
	return v
}

// withEnumerator returns names followed by "exhaustive" when s has at most
// MaxEnumerateCodes codes: the Solvers list of a structure with fast
// solvers names.
func withEnumerator(s Structure, names ...string) []string {
	if codeCount(s.Vars(), s.States()) <= MaxEnumerateCodes {
		names = append(names, "exhaustive")
	}
	return names
}

// pickSolver is NewSolver for a structure with one fast exact solver and
// the enumeration reference: name is fast (made by newFast) or
// "exhaustive" (an Enumerator of s, which the caller passes as a copy)
// when listed; anything else is refused, naming the solvers that apply.
func pickSolver(s Structure, name, fast string, newFast func() (Maximizer, error)) (Maximizer, error) {
	names := s.Solvers()
	switch {
	case name == fast:
		return newFast()
	case name == "exhaustive" && len(names) > 1:
		return NewEnumerator(s)
	}
	return nil, fmt.Errorf("argmax: solver %q does not apply to %s (use one of %v)", name, s.Name(), names)
}
