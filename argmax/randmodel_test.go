package argmax

import (
	"math"
	"math/rand/v2"
)

// weightKind selects how random test weights are drawn, to cover ties,
// zeros, and extreme magnitudes.
type weightKind int

const (
	realWeights weightKind = iota // N(0,1)
	smallInts                     // integers in [-3,3]: many ties
	zeroHeavy                     // mostly zero
	hugeWeights                   // scale 1e6
	tinyWeights                   // scale 1e-6
	numWeightKinds
)

func draw(r *rand.Rand, kind weightKind, nonneg bool) float64 {
	var v float64
	switch kind {
	case realWeights:
		v = r.NormFloat64()
	case smallInts:
		v = float64(r.IntN(7) - 3)
	case zeroHeavy:
		if r.IntN(4) == 0 {
			v = float64(r.IntN(5) - 2)
		}
	case hugeWeights:
		v = 1e6 * r.NormFloat64()
	case tinyWeights:
		v = 1e-6 * r.NormFloat64()
	}
	if nonneg {
		v = math.Abs(v)
	}
	return v
}

// randomBinary draws a binary model on n variables. density in [0,1] is the
// probability of each pair being an edge; some edges are given as (j,i) and
// some pairs are repeated.
func randomBinary(r *rand.Rand, n int, density float64, kind weightKind, nonneg bool) *Model {
	m := &Model{N: n, K: 2, Unary: make([]float64, 2*n)}
	for i := range m.Unary {
		m.Unary[i] = draw(r, kind, false)
	}
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			if r.Float64() >= density {
				continue
			}
			e := Edge{I: i, J: j, W: draw(r, kind, nonneg)}
			if r.IntN(3) == 0 {
				e.I, e.J = e.J, e.I
			}
			m.Edges = append(m.Edges, e)
			if r.IntN(10) == 0 {
				m.Edges = append(m.Edges, Edge{I: i, J: j, W: draw(r, kind, nonneg)})
			}
		}
	}
	return m
}

// bruteForce maximizes m by scoring every assignment from scratch: an
// implementation independent of GrayCode's Gray-code updates.
func bruteForce(m *Model) (float64, []int) {
	z := make([]int, m.N)
	best := math.Inf(-1)
	var arg []int
	total := 1
	for i := 0; i < m.N; i++ {
		total *= m.K
	}
	for c := 0; c < total; c++ {
		x := c
		for i := range z {
			z[i] = x % m.K
			x /= m.K
		}
		if s := m.Score(z); s > best {
			best, arg = s, append([]int(nil), z...)
		}
	}
	return best, arg
}

// closeRel reports |a−b| ≤ tol·max(1, |a|, |b|).
func closeRel(a, b, tol float64) bool {
	return math.Abs(a-b) <= tol*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}
