package maxflow

// build loads the added edges into the CSR arcs and the terminal
// capacities into tr, and resets the flow.
//
// When the edges have the same endpoints, in the same order, on the same
// node count as at the last build (a trainer re-solving one graph with new
// weights), the CSR rows are still valid: only the solver writes to the
// arcs, and it changes nothing but residual capacities. Then build just
// rewrites the two capacities of each edge through epos, O(E) with no
// counting pass. AddEdge makes the comparison as the edges arrive, against
// the built edges still in its array, and forgets the built topology on
// the first difference. Otherwise build gathers the rows from scratch: edge k becomes an
// arc pair in the rows of its two endpoints, in the order the edges were
// added. Time O(V + E) either way.
func (g *Graph) build() {
	n := g.n
	if !g.rowsValid() {
		g.buildRows()
	}
	arcs := g.arcs
	for k, e := range g.edges {
		p := g.epos[k]
		arcs[p.fwd].rcap = e.cap
		arcs[p.rev].rcap = e.rev
	}
	g.tr = resize(g.tr, n)
	g.flow = 0
	for i, s := range g.src[:n] {
		t := g.snk[i]
		g.flow += min(s, t)
		g.tr[i] = s - t
	}
}

// rowsValid reports whether the CSR rows of the last build fit the
// current edges.
func (g *Graph) rowsValid() bool {
	return g.n == g.builtN && len(g.edges) == g.builtM
}

// buildRows lays out the CSR rows (off, arcs' head and sister) and epos
// for the current edges and records the topology as built.
func (g *Graph) buildRows() {
	n, m := g.n, len(g.edges)
	g.off = resize(g.off, n+1)
	g.cur = resize(g.cur, n)
	g.arcs = resize(g.arcs, 2*m)
	g.epos = resize(g.epos, m)
	off, cur, arcs := g.off, g.cur, g.arcs
	clear(off)
	for _, e := range g.edges {
		off[e.u+1]++
		off[e.v+1]++
	}
	for i := 0; i < n; i++ {
		off[i+1] += off[i]
		cur[i] = off[i]
	}
	for k, e := range g.edges {
		a, b := cur[e.u], cur[e.v]
		cur[e.u]++
		cur[e.v]++
		arcs[a] = arc{head: e.v, sister: b}
		arcs[b] = arc{head: e.u, sister: a}
		g.epos[k] = arcPair{a, b}
	}
	g.builtN, g.builtM = n, m
}
