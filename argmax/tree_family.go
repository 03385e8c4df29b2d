package argmax

import (
	"fmt"
	"iter"
	"math"
)

// Compile-time check.
var _ UnaryFamily = (*SpanningTree)(nil)

// NewUnarySampler implements [UnaryFamily] for spanning trees: with gains
// g_e = θ[2e+1] − θ[2e], q_θ(T) ∝ Π_{e∈T} exp(g_e) over the spanning
// trees T, and by the matrix-tree theorem
//
//	Z(θ) = exp(Σ_e θ[2e]) · det L₀(exp g),
//
// the determinant of the Laplacian of the graph weighted by exp(g_e) with
// one node's row and column removed (computed by subtraction-free
// elimination on weights rescaled by the largest, exact to rounding
// however far apart the gains are; O(E + Nodes³) per Set).
//
// Sampling decides the edges in order: given the edges already in and
// out, edge e is in with probability x_e·Z(G/e) / (x_e·Z(G/e) + Z(G−e)),
// the weighted tree counts of the current graph with e contracted and
// with e deleted (two determinants, so no cancellation); an edge joining
// two nodes already joined is out, and a bridge of what remains is in,
// without a uniform. O(E·(E + Nodes³)) per sample.
func (t *SpanningTree) NewUnarySampler() UnarySampler {
	n, m := t.Nodes, len(t.Edges)
	return &treeSampler{
		t: *t, g: make([]float64, m), x: make([]float64, m),
		lap: make([]float64, n*n), comp: make([]int, n), uf: make([]int32, n), state: make([]int8, m),
	}
}

// treeSampler is SpanningTree's [UnarySampler].
type treeSampler struct {
	t     SpanningTree
	g, x  []float64 // gains and exp(g − max g)
	gmax  float64
	base  float64 // Σ_e θ[2e]
	logZ  float64
	ready bool

	lap   []float64 // Laplacian scratch
	comp  []int     // node → supernode index
	uf    []int32   // union-find (ufReset, ufFind, ufUnion)
	state []int8    // per edge: 0 undecided, 1 in, −1 out
}

// coordinate describes θ[j] for error messages.
func (s *treeSampler) coordinate(j int) string {
	e := s.t.Edges[j/2]
	if j%2 == 0 {
		return fmt.Sprintf("score of edge %d (%d, %d) left out", j/2, e[0], e[1])
	}
	return fmt.Sprintf("score of edge %d (%d, %d) chosen", j/2, e[0], e[1])
}

// Set implements [UnarySampler].
func (s *treeSampler) Set(theta []float64) (float64, error) {
	s.ready = false
	m := len(s.t.Edges)
	if len(theta) != 2*m {
		return 0, fmt.Errorf("%w: %s: len(θ) = %d, want %d", ErrShape, s.t.Name(), len(theta), 2*m)
	}
	if err := checkFinite(&s.t, theta, s.coordinate); err != nil {
		return 0, err
	}
	s.base, s.gmax = 0, math.Inf(-1)
	for e := 0; e < m; e++ {
		s.base += theta[2*e]
		s.g[e] = theta[2*e+1] - theta[2*e]
		s.gmax = math.Max(s.gmax, s.g[e])
	}
	for e := range s.x {
		s.x[e] = math.Exp(s.g[e] - s.gmax)
	}
	for e := range s.state {
		s.state[e] = 0
	}
	ld, ok := s.logCount(-1, false)
	if !ok { // NewSpanningTree refuses disconnected graphs
		return 0, fmt.Errorf("%w: %s: no spanning tree", ErrNotFinite, s.t.Name())
	}
	s.logZ = s.base + float64(s.t.Nodes-1)*s.gmax + ld
	s.ready = true
	return s.logZ, nil
}

// supernodes builds the components of the edges in (plus edge extra when
// contract), numbers them 0…k−1 in s.comp and returns k.
func (s *treeSampler) supernodes(extra int, contract bool) int {
	n := s.t.Nodes
	ufReset(s.uf[:n])
	for e, ed := range s.t.Edges {
		if s.state[e] == 1 || (contract && e == extra) {
			ufUnion(s.uf, int32(ed[0]), int32(ed[1]))
		}
	}
	k := 0
	for v := 0; v < n; v++ {
		s.comp[v] = -1
	}
	for v := 0; v < n; v++ {
		r := ufFind(s.uf, int32(v))
		if s.comp[r] < 0 {
			s.comp[r] = k
			k++
		}
	}
	for v := 0; v < n; v++ {
		s.comp[v] = s.comp[ufFind(s.uf, int32(v))]
	}
	return k
}

// joining yields the undecided edges other than skip that join two
// different components (s.comp), each with its components.
func (s *treeSampler) joining(skip int) iter.Seq2[int, [2]int] {
	return func(yield func(int, [2]int) bool) {
		for e, ed := range s.t.Edges {
			if s.state[e] != 0 || e == skip {
				continue
			}
			if a, b := s.comp[ed[0]], s.comp[ed[1]]; a != b && !yield(e, [2]int{a, b}) {
				return
			}
		}
	}
}

// logCount returns log det L₀ of the graph whose nodes are the components
// of the edges in (with edge skip contracted when contract, deleted
// otherwise; skip < 0: none) and whose edges are the undecided ones other
// than skip, weighted by x; false when the graph is disconnected.
//
// The determinant is Gaussian elimination on the weights, not on the
// Laplacian: eliminating node j gives the pivot Σ_c W[j][c] (its weight to
// every node not yet eliminated, the dropped one included) and adds
// W[a][j]·W[j][c]/pivot to W[a][c], the Schur complement of a Laplacian
// being a Laplacian. Only sums and products of positive numbers occur, so
// the result has full relative precision however far apart the weights
// are (Cholesky on the Laplacian computes the same pivots as differences,
// which lose light edges next to heavy ones); this is the algorithm of
// Grassmann, Taksar and Heyman for Markov chains. When a weight or a pivot
// is so small that underflow may have cost it digits (gains over about
// 660 nats apart), the elimination is redone on log weights. O(k³), k
// the number of components.
func (s *treeSampler) logCount(skip int, contract bool) (float64, bool) {
	const tiny = 1e-290 // below it, underflowed terms may matter: redo in logs
	k := s.supernodes(skip, contract)
	if k == 1 {
		return 0, true
	}
	W := s.lap[:k*k] // W[a*k+b]: the weight joining components a and b; k−1 is dropped
	clear(W)
	for e, ab := range s.joining(skip) {
		a, b := ab[0], ab[1]
		if s.x[e] < tiny {
			return s.logCountLog(skip, k)
		}
		W[a*k+b] += s.x[e]
		W[b*k+a] += s.x[e]
	}
	ld := 0.0
	for j := 0; j < k-1; j++ {
		row := W[j*k : j*k+k]
		pivot := 0.0
		for c := j + 1; c < k; c++ {
			pivot += row[c]
		}
		if pivot == 0 {
			return 0, false // nothing joins j to the rest
		}
		if pivot < tiny {
			return s.logCountLog(skip, k)
		}
		ld += math.Log(pivot)
		for a := j + 1; a < k; a++ {
			f := row[a] / pivot
			if f == 0 {
				continue
			}
			wa := W[a*k : a*k+k]
			for c := j + 1; c < k; c++ {
				if c != a {
					wa[c] += f * row[c]
				}
			}
		}
	}
	return ld, true
}

// logCountLog is logCount's elimination on log weights (log x_e = g_e −
// max g), for weights too far apart for floating point; s.comp holds the
// k components already.
func (s *treeSampler) logCountLog(skip, k int) (float64, bool) {
	W := s.lap[:k*k]
	for i := range W {
		W[i] = math.Inf(-1)
	}
	for e, ab := range s.joining(skip) {
		a, b := ab[0], ab[1]
		lw := s.g[e] - s.gmax
		W[a*k+b] = logAddExp(W[a*k+b], lw)
		W[b*k+a] = W[a*k+b]
	}
	ld := 0.0
	for j := 0; j < k-1; j++ {
		row := W[j*k : j*k+k]
		pivot := math.Inf(-1)
		for c := j + 1; c < k; c++ {
			pivot = logAddExp(pivot, row[c])
		}
		if math.IsInf(pivot, -1) {
			return 0, false
		}
		ld += pivot
		for a := j + 1; a < k; a++ {
			if math.IsInf(row[a], -1) {
				continue
			}
			f := row[a] - pivot
			wa := W[a*k : a*k+k]
			for c := j + 1; c < k; c++ {
				if c != a && !math.IsInf(row[c], -1) {
					wa[c] = logAddExp(wa[c], f+row[c])
				}
			}
		}
	}
	return ld, true
}

// connectedWithout reports whether the nodes stay connected by the edges
// that are in or undecided, edge skip excepted.
func (s *treeSampler) connectedWithout(skip int) bool {
	n := s.t.Nodes
	ufReset(s.uf[:n])
	parts := n
	for e, ed := range s.t.Edges {
		if e == skip || s.state[e] == -1 {
			continue
		}
		if ufUnion(s.uf, int32(ed[0]), int32(ed[1])) {
			parts--
		}
	}
	return parts == 1
}

// Sample implements [UnarySampler]: edges in order, one uniform per edge
// whose membership is not forced. See [UnarySampler] for its errors.
func (s *treeSampler) Sample(u func() float64, z []int) (float64, error) {
	if err := checkSample(s.t.Name(), s.ready, u, z, s.t.Vars()); err != nil {
		return 0, err
	}
	for e := range s.state {
		s.state[e] = 0
	}
	score := s.base
	for e, ed := range s.t.Edges {
		in := false
		s.supernodes(-1, false)
		switch {
		case s.comp[ed[0]] == s.comp[ed[1]]: // would close a cycle
		case !s.connectedWithout(e): // a bridge of what remains
			in = true
		default:
			lc, ok1 := s.logCount(e, true)
			ld, ok2 := s.logCount(e, false)
			switch {
			case !ok1:
			case !ok2:
				in = true
			default:
				// p = x·Zc/(x·Zc + Zd) = 1/(1 + exp(ld − lc − log x)).
				p := 1 / (1 + math.Exp(ld-lc-(s.g[e]-s.gmax)))
				in = u() < p
			}
		}
		if in {
			s.state[e], z[e] = 1, 1
			score += s.g[e]
		} else {
			s.state[e], z[e] = -1, 0
		}
	}
	return score - s.logZ, nil
}
