package maxflow

import "math"

// adoptIBFS processes the orphans left by an augmentation, FIFO, until
// none is left (see adoptS). Each orphan event either keeps the node's
// label (no new orphans), raises it, or frees the node; labels are
// bounded, so this ends.
func (g *Graph) adoptIBFS() {
	st := &g.ib
	for h := 0; h < len(st.orph); h++ {
		v := st.orph[h]
		if st.in[v].tree == sTree {
			g.adoptS(v)
		} else {
			g.adoptT(v)
		}
	}
	st.orph = st.orph[:0]
}

// adoptS finds orphan v of S a new parent: first a node of label
// ds(v) − 1 with a residual arc into v, searched from v's current arc on;
// failing that, v is relabelled to one more than the lowest label of such
// a node in S and its children become orphans. If there is none, or the
// new label would exceed the level under construction, v leaves S (its
// children become orphans): then every S node with a residual arc into v
// has not been scanned yet and will take v back when it is. A node
// relabelled to the level under construction is queued for scanning.
func (g *Graph) adoptS(v int32) {
	st := &g.ib
	arcs, in := g.arcs, st.in
	nv := &in[v]
	d := nv.label
	lo, hi := g.off[v], g.off[v+1]
	for a := nv.cur; a < hi; a++ {
		ar := &arcs[a]
		if nu := &in[ar.head]; st.revRes(arcs, a) && nu.tree == sTree && nu.label == d-1 {
			nv.parent, nv.cur = a, a
			return
		}
	}
	limit := st.sLevel
	if st.sOpen {
		limit++
	}
	// The lowest-labelled potential parent, over all arcs: the label
	// must never decrease (a node queued at the level under construction
	// and relabelled below it would never be scanned), so the scan cannot
	// stop at a node of label d while arcs before the current one may
	// hold one of label d − 1.
	best, low := int32(-1), int32(math.MaxInt32)
	for a := lo; a < hi; a++ {
		ar := &arcs[a]
		if nu := &in[ar.head]; st.revRes(arcs, a) && nu.tree == sTree && nu.label < low {
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
			if st.sOpen {
				st.sn = append(st.sn, v)
			} else {
				st.sq = append(st.sq, v)
			}
		}
	}
	g.orphanChildren(v, sTree, d, lo, hi)
}

// adoptT is adoptS for an orphan of T, whose parent needs a residual arc
// from v.
func (g *Graph) adoptT(v int32) {
	st := &g.ib
	arcs, in := g.arcs, st.in
	nv := &in[v]
	d := nv.label
	lo, hi := g.off[v], g.off[v+1]
	for a := nv.cur; a < hi; a++ {
		ar := &arcs[a]
		if nu := &in[ar.head]; ar.rcap > 0 && nu.tree == tTree && nu.label == d-1 {
			nv.parent, nv.cur = a, a
			return
		}
	}
	limit := st.tLevel
	if st.tOpen {
		limit++
	}
	// The lowest-labelled potential parent, over all arcs: the label
	// must never decrease (a node queued at the level under construction
	// and relabelled below it would never be scanned), so the scan cannot
	// stop at a node of label d while arcs before the current one may
	// hold one of label d − 1.
	best, low := int32(-1), int32(math.MaxInt32)
	for a := lo; a < hi; a++ {
		ar := &arcs[a]
		if nu := &in[ar.head]; ar.rcap > 0 && nu.tree == tTree && nu.label < low {
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
			if st.tOpen {
				st.tn = append(st.tn, v)
			} else {
				st.tq = append(st.tq, v)
			}
		}
	}
	g.orphanChildren(v, tTree, d, lo, hi)
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
