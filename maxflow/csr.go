package maxflow

// build loads the added edges into the CSR arcs and the terminal
// capacities into tr, and resets the flow.
//
// When the edges have the same endpoints, in the same order, on the same
// node count as at the last build (a trainer re-solving one graph with new
// weights), the CSR rows are still valid: only the solver writes to the
// arcs, and it changes nothing but residual capacities. Then build just
// rewrites the two capacities of each edge through epos, O(E) with no
// counting pass. The comparison is made on the way: epos[k] holds the arcs
// of the built edge k, whose heads are that edge's endpoints, so the rows
// fit exactly when the sizes agree and every edge's endpoints are the
// heads of its two arcs (see loadCaps). On the first difference, build
// lays out the rows from scratch: edge k becomes an arc pair in the rows of
// its two endpoints, in the order the edges were added. Time O(V + E)
// either way.
func (g *Graph) build() {
	if !g.loadCaps() {
		g.buildRows()
	}
	g.loadTerminals()
}

// loadTerminals writes the residual terminal capacities into tr and the
// flow they cancel into g.flow.
func (g *Graph) loadTerminals() {
	n := g.n
	g.tr = resize(g.tr, n)
	tr, snk := g.tr[:n], g.snk[:n]
	flow := 0.0
	for i, s := range g.src[:n] {
		t := snk[i]
		if t < s { // both finite and ≥ 0: min without the NaN cases
			flow += t
		} else {
			flow += s
		}
		tr[i] = s - t
	}
	g.flow = flow
}

// loadCaps writes the edge capacities into the arcs of the built rows and
// reports success, or returns false as soon as it finds that the rows do
// not fit the edges (leaving some capacities written).
func (g *Graph) loadCaps() bool {
	if g.n != g.builtN || len(g.edges) != g.builtM {
		return false
	}
	return g.loadCapsRange(0, len(g.edges))
}

// loadCapsRange is loadCaps for the edges lo..hi-1 of rows of the right
// size.
func (g *Graph) loadCapsRange(lo, hi int) bool {
	edges := g.edges[lo:hi]
	arcs, epos := g.arcs, g.epos[lo:hi]
	for k := range edges {
		e, p := &edges[k], epos[k]
		fwd, rev := &arcs[p.fwd], &arcs[p.rev]
		if fwd.head != e.V || rev.head != e.U {
			return false
		}
		fwd.rcap, rev.rcap = e.Cap, e.Rev
	}
	return true
}

// buildRows lays out the CSR rows (off, arcs with the edges' capacities)
// and epos for the current edges and records the topology as built.
func (g *Graph) buildRows() {
	n := g.n
	g.sizeRows()
	off, cur, arcs := g.off, g.cur, g.arcs
	clear(off)
	for _, e := range g.edges {
		off[e.U+1]++
		off[e.V+1]++
	}
	for i := 0; i < n; i++ {
		off[i+1] += off[i]
		cur[i] = off[i]
	}
	for k, e := range g.edges {
		a, b := cur[e.U], cur[e.V]
		cur[e.U]++
		cur[e.V]++
		arcs[a] = arc{head: e.V, sister: b, rcap: e.Cap}
		arcs[b] = arc{head: e.U, sister: a, rcap: e.Rev}
		g.epos[k] = arcPair{a, b}
	}
	g.builtN, g.builtM = n, len(g.edges)
}

// sizeRows sizes the CSR arrays for the current graph (contents
// unspecified).
func (g *Graph) sizeRows() {
	n, m := g.n, len(g.edges)
	g.off = resize(g.off, n+1)
	g.cur = resize(g.cur, n)
	g.arcs = resize(g.arcs, 2*m)
	g.epos = resize(g.epos, m)
}
