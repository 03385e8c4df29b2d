package bench

import (
	"math"
	"math/rand/v2"

	"github.com/argmaxvae/argmaxvae/argmax"
)

// Dense returns a pairwise binary model on n variables with every pair an
// edge (n(n−1)/2 edges, the paper's structured encoder): unaries and
// weights ~ N(0,1), weights replaced by their absolute value when
// supermodular.
func Dense(r *rand.Rand, n int, supermodular bool) *argmax.Model {
	m := &argmax.Model{N: n, K: 2, Unary: make([]float64, 2*n), Edges: argmax.CompleteEdges(n)}
	for i := range m.Unary {
		m.Unary[i] = r.NormFloat64()
	}
	for e := range m.Edges {
		w := r.NormFloat64()
		if supermodular {
			w = math.Abs(w)
		}
		m.Edges[e].W = w
	}
	return m
}

// Sparse returns a model on n variables with about n·degree/2 random edges
// of general sign.
func Sparse(r *rand.Rand, n int, degree float64) *argmax.Model {
	m := &argmax.Model{N: n, K: 2, Unary: make([]float64, 2*n)}
	for i := range m.Unary {
		m.Unary[i] = r.NormFloat64()
	}
	edges := int(float64(n) * degree / 2)
	seen := map[[2]int]bool{}
	for len(m.Edges) < edges {
		i, j := r.IntN(n), r.IntN(n)
		if i == j {
			continue
		}
		if i > j {
			i, j = j, i
		}
		if seen[[2]int{i, j}] {
			continue
		}
		seen[[2]int{i, j}] = true
		m.Edges = append(m.Edges, argmax.Edge{I: i, J: j, W: r.NormFloat64()})
	}
	return m
}

// Grid returns a supermodular model on a w×h 4-connected grid, the graph
// of image segmentation: unary data terms ~ N(0,1) and smoothness weights
// ~ |N(0, 0.5)|.
func Grid(r *rand.Rand, w, h int) *argmax.Model {
	n := w * h
	m := &argmax.Model{N: n, K: 2, Unary: make([]float64, 2*n), Edges: make([]argmax.Edge, 0, 2*n)}
	for i := 0; i < n; i++ {
		m.Unary[2*i+1] = r.NormFloat64()
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := y*w + x
			if x+1 < w {
				m.Edges = append(m.Edges, argmax.Edge{I: i, J: i + 1, W: math.Abs(0.5 * r.NormFloat64())})
			}
			if y+1 < h {
				m.Edges = append(m.Edges, argmax.Edge{I: i, J: i + w, W: math.Abs(0.5 * r.NormFloat64())})
			}
		}
	}
	return m
}

// IntegerDense is Dense with weights rounded to integers in [−8, 8]
// (absolute values when supermodular), so that the integer-capacity
// yourbasic backend is exact on it.
func IntegerDense(r *rand.Rand, n int, supermodular bool) *argmax.Model {
	m := Dense(r, n, supermodular)
	for i := range m.Unary {
		m.Unary[i] = math.Round(4 * m.Unary[i])
	}
	for e := range m.Edges {
		m.Edges[e].W = math.Round(4 * m.Edges[e].W)
	}
	return m
}
