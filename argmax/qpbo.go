package argmax

import (
	"fmt"

	"github.com/argmaxvae/argmaxvae/maxflow"
)

// QPBO solves binary models with weights of any sign exactly: roof duality
// (Boros–Hammer; Kolmogorov & Rother 2007), one max-flow on a doubled
// network of 2n nodes, labels part of the variables with values that agree
// with an optimum; the unlabelled remainder is solved by [GraphCut] where
// it is supermodular, by [BranchAndBound] per component of at most
// [MaxBranchAndBoundVars] variables, and by Large beyond (an error wrapping
// [ErrTooLarge] when Large is nil). It scales far past branch and bound on
// sparse or weakly frustrated models (chains, grids), where roof duality
// leaves only small components (construction in docs/solvers.md).
//
// Time: O(n + E) to build plus the max-flow, near linear on sparse models,
// plus the remainder's solvers. Memory O(n + E), reused. Ties: labels from
// the minimal source set, then the remainder's solvers' rules; ties closer
// than the flow's rounding may go either way. The value is [Model.Score]
// of z. Not safe for concurrent use; one per goroutine.
type QPBO struct {
	// NodeLimit is the node limit of the branch and bound on the
	// remainder, as [BranchAndBound.NodeLimit].
	NodeLimit int64
	// Large solves the general-sign components of the remainder with more
	// than MaxBranchAndBoundVars variables (for instance the registered MILP
	// solver); nil means an error for them.
	Large PairwiseSolver

	g      bnbGraph       // merged adjacency of the model
	flow   *maxflow.Graph // the doubled network
	es     []maxflow.Edge
	a      []float64
	label  []int8 // per variable: 0, 1, or -1 (unlabelled)
	nLabel int

	red  Model   // the remainder
	idx  []int32 // variable -> index in red, or -1
	vars []int32 // index in red -> variable
	cls  []int8  // per red variable: its component's solver (see solveRemainder)
	sub  Model   // scratch sub-model of one solver class
	sIdx []int32
	sVar []int32
	par  []int32 // union-find over red (ufReset, ufFind, ufUnion: −size at roots)
	neg  []bool  // per root: component has a negative weight
	zr   []int

	gc  GraphCut
	bnb BranchAndBound
}

// Solve implements [PairwiseSolver].
func (q *QPBO) Solve(m *Model, z []int) (float64, error) {
	if err := checkBinary(m, z, "QPBO"); err != nil {
		return 0, err
	}
	if err := q.roofDual(m); err != nil {
		return 0, err
	}
	if err := q.solveRemainder(m, z); err != nil {
		return 0, err
	}
	return m.Score(z), nil
}

// Label writes the roof-duality labelling of m into label[:m.N] (0 or 1
// for a persistent variable, −1 for an unlabelled one) and returns the
// number of labelled variables: the first stage of [QPBO.Solve]. Some
// optimum of m agrees with all the labels at once; in exact arithmetic
// (integer weights, say) every optimum does. With real weights this holds
// up to the rounding of the max-flow (see the type's doc).
func (q *QPBO) Label(m *Model, label []int) (int, error) {
	if err := checkBinary(m, label, "QPBO"); err != nil {
		return 0, err
	}
	if err := q.roofDual(m); err != nil {
		return 0, err
	}
	for i, l := range q.label[:m.N] {
		label[i] = int(l)
	}
	return q.nLabel, nil
}

// Labelled returns the number of variables roof duality labelled in the
// last successful Solve or Label.
func (q *QPBO) Labelled() int { return q.nLabel }

// roofDual builds the doubled network of a validated binary model, solves
// it and sets q.label and q.nLabel. It also leaves the merged adjacency in
// q.g for the remainder.
func (q *QPBO) roofDual(m *Model) error {
	n := m.N
	q.g.build(m)
	g := &q.g
	q.a = bnbGrow(q.a, n)
	for i := range q.a {
		q.a[i] = m.Theta(i)
	}
	es := q.es[:0]
	for i := 0; i < n; i++ {
		for k := g.off[i]; k < g.off[i+1]; k++ {
			j := g.nbr[k]
			if int(j) < i {
				continue
			}
			w := g.w[k]
			p, r := int32(i), j
			pb, rb := int32(n+i), int32(n)+j
			if w > 0 {
				q.a[i] += w
				es = append(es, maxflow.Edge{U: p, V: r, Cap: w}, maxflow.Edge{U: rb, V: pb, Cap: w})
			} else {
				es = append(es, maxflow.Edge{U: p, V: rb, Cap: -w}, maxflow.Edge{U: r, V: pb, Cap: -w})
			}
		}
	}
	q.es = es
	if q.flow == nil {
		q.flow = maxflow.New(2*n, len(es))
	}
	f := q.flow
	f.Reset(2 * n)
	f.AddEdges(es)
	for i, a := range q.a {
		switch {
		case a > 0:
			f.AddTerminal(i, a, 0)
			f.AddTerminal(n+i, 0, a)
		case a < 0:
			f.AddTerminal(i, 0, -a)
			f.AddTerminal(n+i, -a, 0)
		}
	}
	if _, err := f.MaxFlow(); err != nil {
		return fmt.Errorf("QPBO on %d variables, %d edges: roof-duality max-flow: %w", n, len(m.Edges), err)
	}
	q.label = bnbGrow(q.label, n)
	q.nLabel = 0
	for i := range q.label {
		q.label[i] = -1
		if in, out := f.SourceSide(i), f.SourceSide(n+i); in != out {
			q.label[i] = int8(boolInt(in))
			q.nLabel++
		}
	}
	return nil
}

// Classes of a remainder variable's component.
const (
	qpboIsolated = iota // no edge left: zᵢ = 1 iff its unary > 0
	qpboCut             // no negative weight: graph cut
	qpboBnb             // ≤ MaxBranchAndBoundVars variables: branch and bound
	qpboLarge           // larger: Large, or an error
)

// solveRemainder fixes the labelled variables in z and solves the model on
// the unlabelled ones, writing their values into z.
func (q *QPBO) solveRemainder(m *Model, z []int) error {
	n := m.N
	g := &q.g
	q.idx = bnbGrow(q.idx, n)
	q.vars = q.vars[:0]
	for i, l := range q.label[:n] {
		q.idx[i] = -1
		if l >= 0 {
			z[i] = int(l)
			continue
		}
		q.idx[i] = int32(len(q.vars))
		q.vars = append(q.vars, int32(i))
	}
	k := len(q.vars)
	if k == 0 {
		return nil
	}
	// The remainder: unaries absorb neighbours fixed at 1.
	red := &q.red
	red.N, red.K = k, 2
	red.Unary = bnbGrow(red.Unary, 2*k)
	red.Edges = red.Edges[:0]
	for r, v := range q.vars {
		t := m.Theta(int(v))
		for e := g.off[v]; e < g.off[v+1]; e++ {
			j := g.nbr[e]
			switch {
			case q.label[j] == 1:
				t += g.w[e]
			case q.label[j] < 0 && j > v:
				red.Edges = append(red.Edges, Edge{I: r, J: int(q.idx[j]), W: g.w[e]})
			}
		}
		red.Unary[2*r], red.Unary[2*r+1] = 0, t
	}
	// Components by union-find, with their sizes and signs.
	q.par = bnbGrow(q.par, k)
	q.neg = bnbGrow(q.neg, k)
	ufReset(q.par)
	clear(q.neg)
	for _, e := range red.Edges {
		a, b := ufFind(q.par, int32(e.I)), ufFind(q.par, int32(e.J))
		neg := q.neg[a] || q.neg[b] || e.W < 0
		ufUnion(q.par, a, b)
		q.neg[ufFind(q.par, a)] = neg
	}
	q.cls = bnbGrow(q.cls, k)
	var present [4]bool
	for i := range q.cls {
		r := ufFind(q.par, int32(i))
		c := int8(qpboIsolated)
		switch {
		case q.par[r] == -1:
		case !q.neg[r]:
			c = qpboCut
		case -q.par[r] <= MaxBranchAndBoundVars:
			c = qpboBnb
		default:
			c = qpboLarge
		}
		q.cls[i] = c
		present[c] = true
		if c == qpboIsolated {
			z[q.vars[i]] = 0
			if red.Unary[2*i+1] > 0 {
				z[q.vars[i]] = 1
			}
		}
	}
	if present[qpboLarge] && q.Large == nil {
		for i := range q.cls {
			if q.cls[i] == qpboLarge {
				return fmt.Errorf("%w: QPBO labelled %d of %d variables, but the unlabelled remainder has a general-sign connected component of %d variables (containing variable %d), more than branch and bound takes (%d); "+
					"set QPBO.Large (e.g. the MILP solver) or use a sparser, less frustrated or supermodular structure",
					ErrTooLarge, q.nLabel, n, -q.par[ufFind(q.par, int32(i))], q.vars[i], MaxBranchAndBoundVars)
			}
		}
	}
	q.bnb.NodeLimit = q.NodeLimit
	for c, s := range []PairwiseSolver{qpboCut: &q.gc, qpboBnb: &q.bnb, qpboLarge: q.Large} {
		if c == qpboIsolated || !present[c] {
			continue
		}
		sub := q.subModel(int8(c))
		q.zr = bnbGrow(q.zr, sub.N)
		if _, err := s.Solve(sub, q.zr); err != nil {
			return fmt.Errorf("QPBO labelled %d of %d variables; solving the remaining %d: %w", q.nLabel, n, sub.N, err)
		}
		for i, v := range q.sVar {
			z[q.vars[v]] = q.zr[i]
		}
	}
	return nil
}

// subModel returns the part of the remainder whose variables have class c,
// with q.sVar mapping its variables to the remainder's.
func (q *QPBO) subModel(c int8) *Model {
	red, s := &q.red, &q.sub
	q.sIdx = bnbGrow(q.sIdx, red.N)
	q.sVar = q.sVar[:0]
	for i, ci := range q.cls[:red.N] {
		q.sIdx[i] = -1
		if ci == c {
			q.sIdx[i] = int32(len(q.sVar))
			q.sVar = append(q.sVar, int32(i))
		}
	}
	s.N, s.K = len(q.sVar), 2
	s.Unary = bnbGrow(s.Unary, 2*s.N)
	for i, v := range q.sVar {
		s.Unary[2*i], s.Unary[2*i+1] = 0, red.Unary[2*v+1]
	}
	s.Edges = s.Edges[:0]
	for _, e := range red.Edges {
		if q.cls[e.I] == c {
			s.Edges = append(s.Edges, Edge{I: int(q.sIdx[e.I]), J: int(q.sIdx[e.J]), W: e.W})
		}
	}
	return s
}

// boolInt is 1 for true, 0 for false.
func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
