package argmax

import (
	"fmt"
	"math"
)

// MaxEnumerate caps [Enumerate]: at most this many codes.
const MaxEnumerate = 1 << 22

// Enumerate writes argmax_z ⟨w, φ(z)⟩ over all feasible codes of s (all
// K^N unless s is [Constrained]) into z and returns the maximum: the
// structure-generic reference that every solver is tested against. Codes
// are visited in odometer order (variable 0 fastest) and the first maximum
// wins. O(K^N·Dim); it refuses more than [MaxEnumerate] codes, and a
// structure with no feasible code.
func Enumerate(s Structure, w []float64, z []int) (float64, error) {
	if err := checkW(s, w, z); err != nil {
		return 0, err
	}
	n, k := s.Vars(), s.States()
	total := 1.0
	for i := 0; i < n; i++ {
		total *= float64(k)
	}
	if total > MaxEnumerate {
		return 0, fmt.Errorf("%w: enumerating %s means %g codes, more than %d", ErrTooLarge, s.Name(), total, MaxEnumerate)
	}
	for j, v := range w {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, fmt.Errorf("%w: w[%d] = %v", ErrNotFinite, j, v)
		}
	}
	cur := make([]int, n)
	best, found := math.Inf(-1), false
	for {
		if Feasible(s, cur) {
			if v := Score(s, w, cur); !found || v > best {
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

// enumerateSolver is the "exhaustive" solver of a structure: [Enumerate],
// which allocates and refuses more than MaxEnumerate codes.
type enumerateSolver struct{ s Structure }

func (e enumerateSolver) Maximize(w []float64, z []int) (float64, error) {
	return Enumerate(e.s, w, z)
}

// pickSolver is NewSolver for a structure with one fast exact solver and
// the enumeration reference: name is fast (made by newFast) or
// "exhaustive" (Enumerate over s, which the caller passes as a copy);
// anything else is refused, naming the solvers that apply.
func pickSolver(s Structure, name, fast string, newFast func() (Maximizer, error)) (Maximizer, error) {
	switch name {
	case fast:
		return newFast()
	case "exhaustive":
		return enumerateSolver{s: s}, nil
	}
	return nil, fmt.Errorf("argmax: solver %q does not apply to %s (use one of %v)", name, s.Name(), s.Solvers())
}
