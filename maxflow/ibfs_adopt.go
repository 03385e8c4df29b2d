package maxflow

import "math"

// adoptIBFS processes the orphans left by an augmentation, FIFO, until
// none is left (see adopt). Each orphan event either keeps the node's
// label (no new orphans), raises it, or frees the node; labels are
// bounded, so this ends.
func (g *Graph) adoptIBFS() {
	st := &g.ib
	for h := 0; h < len(st.orph); h++ {
		v := st.orph[h]
		g.adopt(v, st.in[v].tree == sTree)
	}
	st.orph = st.orph[:0]
}

// adopt finds orphan v of S (src) or T a new parent: first a node of its
// tree one label lower with a residual arc into v (S) or from v (T),
// searched from v's current arc on; failing that, v is relabelled to one
// more than the lowest label of such a node and its children become
// orphans. If there is none, or the new label would exceed the level under
// construction, v leaves its tree (its children become orphans): then
// every node of the tree with a residual arc to or from v has not been
// scanned yet and will take v back when it is. A node relabelled to the
// level under construction is queued for scanning.
func (g *Graph) adopt(v int32, src bool) {
	st := &g.ib
	arcs, in := g.arcs, st.in
	tree, limit, open, next, queue := tTree, st.tLevel, st.tOpen, &st.tn, &st.tq
	if src {
		tree, limit, open, next, queue = sTree, st.sLevel, st.sOpen, &st.sn, &st.sq
	}
	// residual: the arc from v's neighbour into v (S) or from v (T).
	residual := func(a int32) bool {
		if src {
			return st.revRes(arcs, a)
		}
		return arcs[a].rcap > 0
	}
	nv := &in[v]
	d := nv.label
	lo, hi := g.off[v], g.off[v+1]
	for a := nv.cur; a < hi; a++ {
		if nu := &in[arcs[a].head]; nu.tree == tree && nu.label == d-1 && residual(a) {
			nv.parent, nv.cur = a, a
			return
		}
	}
	if open {
		limit++
	}
	// The lowest-labelled potential parent, over all arcs: the label
	// must never decrease (a node queued at the level under construction
	// and relabelled below it would never be scanned), so the scan cannot
	// stop at a node of label d while arcs before the current one may
	// hold one of label d − 1.
	best, low := int32(-1), int32(math.MaxInt32)
	for a := lo; a < hi; a++ {
		if nu := &in[arcs[a].head]; nu.tree == tree && nu.label < low && residual(a) {
			best, low = a, nu.label
		}
	}
	if best >= 0 && low+1 == d {
		nv.parent, nv.cur = best, best
		return
	}
	if best < 0 || low+1 > limit {
		nv.tree = freeTree
	} else {
		nv.parent, nv.cur, nv.label = best, best, low+1
		if low+1 == limit {
			if open {
				*next = append(*next, v)
			} else {
				*queue = append(*queue, v)
			}
		}
	}
	g.orphanChildren(v, tree, d, lo, hi)
}

// orphanChildren queues as orphans the tree children of v, whose arcs are
// lo..hi-1 and whose tree and label were tree and d before it was
// relabelled or freed: the neighbours whose parent arc points to v.
func (g *Graph) orphanChildren(v int32, tree int8, d, lo, hi int32) {
	arcs, in := g.arcs, g.ib.in
	for a := lo; a < hi; a++ {
		// A child is in v's tree one label above v, and its parent arc
		// is the sister of a or a parallel arc to v.
		u := arcs[a].head
		if nu := &in[u]; nu.tree == tree && nu.label == d+1 && nu.parent >= 0 &&
			(nu.parent == arcs[a].sister || arcs[nu.parent].head == v) {
			g.orphanIBFS(u)
		}
	}
}
