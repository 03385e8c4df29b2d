package argmax

import (
	"fmt"
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
// one node's row and column removed (computed by Cholesky on weights
// rescaled by the largest, O(E + Nodes³) per Set).
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
	if !ok {
		return 0, fmt.Errorf("%w: %s: the weighted tree count underflows (gains %v apart)", ErrNotFinite, s.t.Name(), s.gmax-minOf(s.g))
	}
	s.logZ = s.base + float64(s.t.Nodes-1)*s.gmax + ld
	s.ready = true
	return s.logZ, nil
}

func minOf(v []float64) float64 {
	m := math.Inf(1)
	for _, x := range v {
		m = math.Min(m, x)
	}
	return m
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

// logCount returns log det L₀ of the graph whose nodes are the components
// of the edges in (with edge skip contracted when contract, deleted
// otherwise; skip < 0: none) and whose edges are the undecided ones other
// than skip, weighted by x; false when the graph is disconnected or the
// determinant underflows.
func (s *treeSampler) logCount(skip int, contract bool) (float64, bool) {
	k := s.supernodes(skip, contract)
	if k == 1 {
		return 0, true
	}
	d := k - 1 // drop supernode k−1
	L := s.lap[:d*d]
	clear(L)
	for e, ed := range s.t.Edges {
		if s.state[e] != 0 || e == skip {
			continue
		}
		a, b := s.comp[ed[0]], s.comp[ed[1]]
		if a == b {
			continue
		}
		w := s.x[e]
		if a < d {
			L[a*d+a] += w
		}
		if b < d {
			L[b*d+b] += w
		}
		if a < d && b < d {
			L[a*d+b] -= w
			L[b*d+a] -= w
		}
	}
	// Cholesky in place (lower triangle); log det = 2 Σ log diag.
	ld := 0.0
	for j := 0; j < d; j++ {
		v := L[j*d+j]
		for p := 0; p < j; p++ {
			v -= L[j*d+p] * L[j*d+p]
		}
		if !(v > 1e-300) {
			return 0, false
		}
		r := math.Sqrt(v)
		L[j*d+j] = r
		ld += 2 * math.Log(r)
		for i := j + 1; i < d; i++ {
			u := L[i*d+j]
			for p := 0; p < j; p++ {
				u -= L[i*d+p] * L[j*d+p]
			}
			L[i*d+j] = u / r
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
