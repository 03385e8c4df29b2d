package maxflow

import (
	"math/bits"
	"slices"
)

// Incremental breadth-first search (IBFS): A. V. Goldberg, S. Hed,
// H. Kaplan, R. E. Tarjan and R. F. Werneck, "Maximum flows by incremental
// breadth-first search", ESA 2011, with the roots of its successor EIBFS
// (Goldberg, Hed, Kaplan, Kohli, Tarjan, Werneck, "Faster and more dynamic
// maximum flow by incremental breadth-first search", ESA 2015).
//
// Like BK it grows a source tree S and a sink tree T and augments along
// the path found when they touch, on the same CSR arcs and residual
// terminal capacities tr. The roots are EIBFS's: every node with excess
// (tr > 0, its source arc saturated by build's cancellation) is a root of
// S, every node with deficit (tr < 0) a root of T. What differs from BK is
// the discipline of the trees: every S node v has a distance label ds(v),
// its tree parent p has ds(p) = ds(v) − 1 (roots have label 1), and S
// grows one whole BFS level per pass (a forward pass scans every S node
// of label Ds and makes free neighbours children at Ds + 1); T likewise
// with reverse passes. The labels make orphan adoption cheap and local:
// an orphan first looks for a parent of the same label after its current
// arc; otherwise it is relabelled to one more than its lowest-labelled potential parent, its
// children become orphans, and it leaves the tree only when no node of its
// tree has a residual arc into it (or the lowest such node is still
// waiting to be scanned, and will take it back when it is). BK's trees
// have no such structure: its orphans walk their candidate parents' paths
// to the terminal, and its trees grow long, thin paths.
//
// Why this family and not HPF: (E)IBFS is among the fastest serial
// algorithms on the 4-connected vision grids of Jensen et al. (TPAMI
// 2023), and it keeps a flow at all times, from which the minimal cut this
// package promises (residual reachability from s) is read off directly;
// Hochbaum's pseudoflow finds a minimum cut first and needs a separate
// flow-recovery phase for that, and it shares nothing with BK's trees.
// EIBFS's further step, pushing excesses through the trees instead of
// whole augmenting paths (with orphans processed in label order), is not
// done here: every augmentation pushes the bottleneck of one s-t path, as
// BK does, and orphans are processed first in, first out. Measured
// (docs/results/maxflow-second.md), this IBFS takes 0.6–0.8× BK's time
// on complete graphs of 100–600 nodes but 1.2–1.3× on segmentation
// grids, where three in four orphans fail to find a same-label parent
// and their relabelling orphans their whole subtree; EIBFS's excesses are
// the known remedy and the next step.
//
// Invariants, for S (T is symmetric, with arcs reversed):
//   - tree: every S node v that is not an orphan has parent arc p with
//     residual capacity from its parent into v and ds(v) = ds(parent) + 1,
//     or is a root (parent = terminal, tr(v) > 0); so parent chains end at
//     a root and there are no cycles;
//   - labels never exceed the level being built: ds ≤ Ds + 1 during the
//     forward pass at level Ds, ds ≤ Ds between passes;
//   - closure: an S node that has been scanned (every S node of label
//     < Ds, and those of label Ds already scanned in the current pass) has
//     no residual arc to a node outside S. Augmentation only adds residual
//     capacity on reversed tree arcs and on arcs from T to S; a node leaves
//     S only when no S node that has been scanned has a residual arc into
//     it; a scanned node stays scanned when relabelled. Nodes relabelled to
//     the level under construction are queued to be scanned again.
//
// When a pass ends with no node for the next level, its tree is closed:
// no residual arc leaves S (or enters T), so the flow is maximum. If S is
// closed, S is exactly the set of nodes reachable from s in the residual
// graph; if T closed first, a final search extends S to that set.
//
// Time: Goldberg et al. prove O(V²·E) for IBFS, an argument on labels
// that does not count flow units, so real capacities are covered; this
// implementation follows its passes, labels and current arcs but adopts
// orphans first in, first out, which their proof does not cover. What
// holds here: labels never decrease (the relabel takes the minimum over
// all arcs) and are tree depths, at most V; every adoption ends; every
// augmentation saturates an arc. Plus O(V + E) per MaxFlow for building
// and the final search. Memory: O(V + E).

// Trees of an IBFS node.
const (
	freeTree int8 = iota
	sTree
	tTree
)

// inode is the IBFS state of a node, one 16-byte record.
type inode struct {
	parent int32 // arc from the node to its parent, terminal or orphan
	cur    int32 // current arc: where the search for a same-label parent resumes
	label  int32 // distance label in its tree (roots 1)
	tree   int8
}

// ibfsState is the IBFS part of a Graph, kept across MaxFlow calls.
type ibfsState struct {
	in             []inode
	sq, sn, tq, tn []int32  // current and next BFS level of S and of T
	sLevel, tLevel int32    // label of the nodes in sq, in tq
	sOpen, tOpen   bool     // a forward (reverse) pass is running
	orph           []int32  // orphans awaiting adoption, FIFO
	mark           []uint64 // bit set of nodes, for inOrder
	// rres[k] caches arcs[arcs[k].sister].rcap > 0: whether the arc's
	// reverse has residual capacity, read by the reverse passes and the
	// source-tree adoption without touching the sister arc (in another
	// node's row). augmentIBFS keeps it in step with every residual.
	// The cache pays on large graphs, whose arcs do not fit in cache
	// (15% on the 512² grid), and costs on small dense ones (20% on the
	// 100-node complete graph), so it is kept only from cacheFrom nodes.
	rres   []bool
	cached bool
}

// cacheFrom is the node count from which IBFS caches reverse residuals
// and orders its levels (see rres and inOrder); a variable for the tests.
var cacheFrom = 1 << 16

// revRes reports whether arc k's reverse has residual capacity.
func (st *ibfsState) revRes(arcs []arc, k int32) bool {
	if st.cached {
		return st.rres[k]
	}
	return arcs[arcs[k].sister].rcap > 0
}

// maxFlowIBFS runs IBFS on the built graph.
func (g *Graph) maxFlowIBFS() {
	g.build()
	g.initIBFS()
	for {
		st := &g.ib
		if len(st.sq) == 0 { // S closed
			return
		}
		if len(st.tq) == 0 { // T closed
			g.closeSource()
			return
		}
		// Grow the shallower tree (S on ties): on the segmentation
		// grids this halved the orphans and relabels of growing the
		// tree with the shorter queue, which let S stay at its roots.
		if st.sLevel <= st.tLevel {
			g.passS()
		} else {
			g.passT()
		}
	}
}

// initIBFS makes every node with excess a root of S and every node with
// deficit a root of T, at label 1, all to be scanned by the first passes.
func (g *Graph) initIBFS() {
	st := &g.ib
	n := g.n
	st.in = resize(st.in, n)
	// Room for every node in each queue up front; a queue can still
	// outgrow it (a node queued again after a relabel), rarely, and then
	// keeps the larger array for later solves.
	for _, q := range []*[]int32{&st.sq, &st.sn, &st.tq, &st.tn, &st.orph} {
		if cap(*q) < n {
			*q = make([]int32, 0, n)
		}
		*q = (*q)[:0]
	}
	st.sLevel, st.tLevel, st.sOpen, st.tOpen = 1, 1, false, false
	st.mark = resize(st.mark, (n+63)/64)
	clear(st.mark)
	// Every arc's reverse residual is its edge's other capacity, as build
	// has just loaded them: one sequential pass over the edges.
	st.cached = n >= cacheFrom
	if st.cached {
		st.rres = resize(st.rres, 2*len(g.edges))
		rres := st.rres
		for k, p := range g.epos[:len(g.edges)] {
			e := &g.edges[k]
			rres[p.fwd], rres[p.rev] = e.Rev > 0, e.Cap > 0
		}
	}
	for i, tr := range g.tr[:n] {
		nd := &st.in[i]
		*nd = inode{parent: terminal, cur: g.off[i], label: 1}
		switch {
		case tr > 0:
			nd.tree = sTree
			st.sq = append(st.sq, int32(i))
		case tr < 0:
			nd.tree = tTree
			st.tq = append(st.tq, int32(i))
		default:
			nd.tree = freeTree
		}
	}
}

// passS is a forward pass: it scans every S node of label sLevel, in
// increasing node order (see inOrder). A free
// head of a residual arc joins S at the next level; a T head closes an
// augmenting path, which is augmented, and the node goes on scanning from
// the same arc if it is still in S at the same label.
func (g *Graph) passS() {
	st := &g.ib
	L := st.sLevel
	st.sOpen = true
	st.sq = st.inOrder(st.sq)
	arcs, off := g.arcs, g.off
	for idx := 0; idx < len(st.sq); idx++ {
		v := st.sq[idx]
		in := st.in
		if in[v].tree != sTree || in[v].label != L {
			continue // stale: freed or relabelled since it was queued
		}
		for k, end := off[v], off[v+1]; k < end; {
			ar := &arcs[k]
			if ar.rcap > 0 {
				nw := &in[ar.head]
				switch nw.tree {
				case freeTree:
					*nw = inode{parent: ar.sister, cur: ar.sister, label: L + 1, tree: sTree}
					st.sn = append(st.sn, ar.head)
				case tTree:
					g.augmentIBFS(k)
					g.adoptIBFS()
					if nv := &st.in[v]; nv.tree != sTree || nv.label != L {
						k = end
					}
					continue // the same arc again: it may still be residual
				}
			}
			k++
		}
	}
	st.sq, st.sn = st.sn, st.sq[:0]
	st.sLevel = L + 1
	st.sOpen = false
}

// passT is a reverse pass, passS for T: it scans every T node of label
// tLevel through the arcs with residual capacity into it.
func (g *Graph) passT() {
	st := &g.ib
	L := st.tLevel
	st.tOpen = true
	st.tq = st.inOrder(st.tq)
	arcs, off := g.arcs, g.off
	for idx := 0; idx < len(st.tq); idx++ {
		v := st.tq[idx]
		in := st.in
		if in[v].tree != tTree || in[v].label != L {
			continue
		}
		for k, end := off[v], off[v+1]; k < end; {
			ar := &arcs[k]
			if nw := &in[ar.head]; st.revRes(arcs, k) && nw.tree != tTree {
				switch nw.tree {
				case freeTree:
					*nw = inode{parent: ar.sister, cur: ar.sister, label: L + 1, tree: tTree}
					st.tn = append(st.tn, ar.head)
				case sTree:
					g.augmentIBFS(ar.sister)
					g.adoptIBFS()
					if nv := &st.in[v]; nv.tree != tTree || nv.label != L {
						k = end
					}
					continue
				}
			}
			k++
		}
	}
	st.tq, st.tn = st.tn, st.tq[:0]
	st.tLevel = L + 1
	st.tOpen = false
}

// augmentIBFS pushes the bottleneck capacity along the path
// s → … → tail(a) → head(a) → … → t through the two trees, as BK's
// augment does, and queues the nodes whose parent arc (or terminal arc)
// saturates as orphans.
func (g *Graph) augmentIBFS(a int32) {
	arcs, in := g.arcs, g.ib.in
	b := arcs[a].rcap
	i := arcs[arcs[a].sister].head
	for p := in[i].parent; p != terminal; p = in[i].parent {
		b = min(b, arcs[arcs[p].sister].rcap)
		i = arcs[p].head
	}
	b = min(b, g.tr[i])
	i = arcs[a].head
	for p := in[i].parent; p != terminal; p = in[i].parent {
		b = min(b, arcs[p].rcap)
		i = arcs[p].head
	}
	b = min(b, -g.tr[i])

	rres, cached := g.ib.rres, g.ib.cached
	sa := arcs[a].sister
	arcs[sa].rcap += b
	arcs[a].rcap -= b
	if cached {
		rres[a], rres[sa] = true, arcs[a].rcap > 0
	}
	i = arcs[sa].head
	for p := in[i].parent; p != terminal; p = in[i].parent {
		sp := arcs[p].sister
		down := &arcs[sp]
		arcs[p].rcap += b
		down.rcap -= b
		if cached {
			rres[sp], rres[p] = true, down.rcap > 0
		}
		next := arcs[p].head
		if down.rcap <= 0 {
			g.orphanIBFS(i)
		}
		i = next
	}
	g.tr[i] -= b
	if g.tr[i] <= 0 {
		g.orphanIBFS(i)
	}
	i = arcs[a].head
	for p := in[i].parent; p != terminal; p = in[i].parent {
		up := &arcs[p]
		arcs[up.sister].rcap += b
		up.rcap -= b
		if cached {
			rres[p], rres[up.sister] = true, up.rcap > 0
		}
		next := up.head
		if up.rcap <= 0 {
			g.orphanIBFS(i)
		}
		i = next
	}
	g.tr[i] += b
	if g.tr[i] >= 0 {
		g.orphanIBFS(i)
	}
	g.flow += b
}

func (g *Graph) orphanIBFS(i int32) {
	g.ib.in[i].parent = orphan
	g.ib.orph = append(g.ib.orph, i)
}

// closeSource extends S, after T has closed, to every node reachable from
// it through residual arcs: breadth-first from all S nodes. Every node it
// reaches is free, since no residual arc enters the closed T; it joins S
// as a child of the node it was reached from, so the tree invariants
// still hold. O(V + E).
func (g *Graph) closeSource() {
	st := &g.ib
	q := st.sq[:0]
	for i := range st.in {
		if st.in[i].tree == sTree {
			q = append(q, int32(i))
		}
	}
	arcs, off, in := g.arcs, g.off, st.in
	for h := 0; h < len(q); h++ {
		v := q[h]
		for _, ar := range arcs[off[v]:off[v+1]] {
			if ar.rcap > 0 && in[ar.head].tree == freeTree {
				in[ar.head] = inode{parent: ar.sister, cur: ar.sister, label: in[v].label + 1, tree: sTree}
				q = append(q, ar.head)
			}
		}
	}
	st.sq = q[:0]
}

// inOrder returns the nodes of q in increasing order, in q's array: a
// pass then sweeps the node and arc arrays forwards instead of jumping
// about them in the order the level was discovered, which on the 1024²
// segmentation grid saved about a fifth of the solve time. A large level
// (at least V/256 nodes) is ordered through a bit set, which also drops
// repeats, in O(len(q) + V/64) = O(len(q)), leaving the set empty; a
// small one is sorted, in O(len(q)·log len(q)), so that a graph with many
// small levels (a long path) does not pay V/64 per pass.
func (st *ibfsState) inOrder(q []int32) []int32 {
	mark := st.mark
	if len(q) < 2 || !st.cached {
		return q // a small graph: its node array fits in cache
	}
	if len(q) < 4*len(mark) {
		slices.Sort(q)
		return q
	}
	for _, v := range q {
		mark[v>>6] |= 1 << (v & 63)
	}
	q = q[:0]
	for w, word := range mark {
		for word != 0 {
			q = append(q, int32(w<<6+bits.TrailingZeros64(word)))
			word &= word - 1
		}
		mark[w] = 0
	}
	return q
}
