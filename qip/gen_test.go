package qip

import (
	"math"
	"math/rand/v2"

	"github.com/argmaxvae/argmaxvae/argmax"
)

// weightKind selects how random test weights are drawn.
type weightKind int

const (
	smallInts   weightKind = iota // integers in [-3,3]: ties and zeros
	realWeights                   // N(0,1)
	zeroHeavy                     // mostly exact zeros, else small integers
	hugeWeights                   // N(0,1)·1e6
	tinyWeights                   // N(0,1)·1e-6
	mixedScale                    // ±10^U(-6,6): magnitudes 12 decades apart
	numKinds
)

var kindNames = [...]string{"ints", "real", "zeros", "huge", "tiny", "mixed"}

func draw(r *rand.Rand, kind weightKind) float64 {
	switch kind {
	case smallInts:
		return float64(r.IntN(7) - 3)
	case realWeights:
		return r.NormFloat64()
	case zeroHeavy:
		if r.IntN(4) == 0 {
			return float64(r.IntN(5) - 2)
		}
		return 0
	case hugeWeights:
		return 1e6 * r.NormFloat64()
	case tinyWeights:
		return 1e-6 * r.NormFloat64()
	default:
		v := math.Pow(10, 12*r.Float64()-6)
		if r.IntN(2) == 0 {
			v = -v
		}
		return v
	}
}

// randomModel draws a general-sign binary model on n variables: each pair
// is an edge with probability density; some edges are stored as (j,i), some
// pairs repeated, and some repeats cancel exactly.
func randomModel(r *rand.Rand, n int, density float64, kind weightKind) *argmax.Model {
	m := &argmax.Model{N: n, K: 2, Unary: make([]float64, 2*n)}
	for i := range m.Unary {
		m.Unary[i] = draw(r, kind)
	}
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			if r.Float64() >= density {
				continue
			}
			e := argmax.Edge{I: i, J: j, W: draw(r, kind)}
			if r.IntN(3) == 0 {
				e.I, e.J = e.J, e.I
			}
			m.Edges = append(m.Edges, e)
			switch r.IntN(12) {
			case 0:
				m.Edges = append(m.Edges, argmax.Edge{I: j, J: i, W: draw(r, kind)})
			case 1:
				m.Edges = append(m.Edges, argmax.Edge{I: i, J: j, W: -e.W})
			}
		}
	}
	r.Shuffle(len(m.Edges), func(a, b int) { m.Edges[a], m.Edges[b] = m.Edges[b], m.Edges[a] })
	return m
}

// scale is Σ|Unary| + Σ|W|, a bound on |h(z)| used for relative tolerances.
func scale(m *argmax.Model) float64 {
	s := 0.0
	for _, u := range m.Unary {
		s += math.Abs(u)
	}
	for _, e := range m.Edges {
		s += math.Abs(e.W)
	}
	return s
}
