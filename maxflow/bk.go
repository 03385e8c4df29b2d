package maxflow

import (
	"fmt"
	"math"
)

// Tags stored in parent instead of an arc index.
const (
	terminal int32 = -1 // the node hangs directly from its tree's terminal
	orphan   int32 = -2 // the node lost its parent arc, awaiting adoption
	free     int32 = -3 // the node is in neither tree
)

const infDist = math.MaxInt32

// MaxFlow implements [MinCut] with the Boykov–Kolmogorov algorithm (or
// the algorithm chosen by [NewWith]): it
// returns the maximum s-t flow value of the graph built since Reset, or the
// first error recorded while building it. After a successful call,
// SourceSide reports the minimal minimum cut: the source search tree, which
// at termination is exactly the set of nodes reachable from s in the
// residual graph (see the argument at the end of this file). It allocates only when the
// graph is larger than any graph solved before.
//
// Time: O(V²·E·|C|) worst case for integer capacities with cut value |C|;
// close to linear on grid graphs. Memory: O(V + E).
func (g *Graph) MaxFlow() (float64, error) {
	if g.err != nil {
		return 0, g.err
	}
	alg := g.alg
	if alg == ParallelBK && g.n < parallelFrom && g.pb.blocks == 0 {
		alg = BK // small graphs: exactly BK (pbk.go)
	}
	switch alg {
	case BK:
		g.build()
		g.solveSerial()
	case ParallelBK:
		g.maxFlowParallel()
	case IBFS:
		g.maxFlowIBFS()
	default:
		g.solved = false
		return 0, fmt.Errorf("maxflow: unknown algorithm %v", g.alg)
	}
	if math.IsInf(g.flow, 0) || math.IsNaN(g.flow) {
		g.solved = false
		return 0, fmt.Errorf("%w: flow value overflows (%v)", ErrCapacity, g.flow)
	}
	g.solved = true
	return g.flow, nil
}

// bkSolver is one Boykov–Kolmogorov search: the shared graph arrays
// (slice headers of the Graph's) and the per-search state, its queues,
// clock and flow. It works on the nodes lo..lo+span-1 only: the serial
// solver on all of them, each worker of ParallelBK (pbk.go) on its block,
// where the arcs leaving the block have been set to capacity 0 so that
// the search never follows them, and release skips their heads; so the
// workers write disjoint memory.
type bkSolver struct {
	off    []int32
	arcs   []arc
	nodes  []node
	tr     []float64
	aq     ring // active nodes, FIFO
	oq     ring // orphans, FIFO
	time   int32
	flow   float64
	lo     int32  // first node of the block
	span   uint32 // number of nodes in the block
	queues int    // the queues' length (≥ span)

	saved []savedArc // ParallelBK: the block's arcs set to 0 (pbk.go)
}

// attach points s at g's arrays (after build, with g.nodes sized) and
// gives it the block lo..hi-1 with queues of room nodes.
func (s *bkSolver) attach(g *Graph, lo, hi, room int) {
	s.off, s.arcs, s.nodes, s.tr = g.off, g.arcs, g.nodes, g.tr
	s.lo, s.span = int32(lo), uint32(hi-lo)
	s.aq.reset(room)
	s.oq.reset(room)
}

// solveSerial runs BK on the whole built graph, starting from the flow
// build left in g.flow.
func (g *Graph) solveSerial() {
	g.nodes = resize(g.nodes, g.n)
	s := &g.bk
	s.attach(g, 0, g.n, g.n)
	s.flow = g.flow
	s.initTrees()
	s.run()
	g.flow = s.flow
}

// initTrees puts every node of the block with residual terminal capacity
// into its terminal's tree at distance 1 and makes it active; the other
// nodes of the block become free. The clock restarts.
func (s *bkSolver) initTrees() {
	s.time = 0
	lo := int(s.lo)
	nodes, tr := s.nodes[lo:lo+int(s.span)], s.tr[lo:lo+int(s.span)]
	for i := range nodes {
		nd := &nodes[i]
		*nd = node{parent: free}
		if t := tr[i]; t != 0 {
			nd.parent, nd.sink, nd.dist = terminal, t < 0, 1
			s.activate(int32(lo + i))
		}
	}
}

func (s *bkSolver) activate(i int32) {
	if nd := &s.nodes[i]; !nd.active {
		nd.active = true
		s.aq.push(i)
	}
}

// nextActive pops the next active node that is still in a tree, or -1.
func (s *bkSolver) nextActive() int32 {
	for s.aq.size > 0 {
		i := s.aq.pop()
		nd := &s.nodes[i]
		nd.active = false
		if nd.parent != free {
			return i
		}
	}
	return -1
}

// run alternates the growth, augment and adoption stages until no active
// node is left. A node whose growth found a path stays current, so its
// remaining arcs are searched again before the queue moves on.
func (s *bkSolver) run() {
	current := int32(-1)
	for {
		i := current
		if i >= 0 {
			s.nodes[i].active = false
			if s.nodes[i].parent == free {
				i = -1
			}
		}
		if i < 0 {
			if i = s.nextActive(); i < 0 {
				return
			}
		}
		a := s.grow(i)
		s.tick()
		if a < 0 {
			current = -1
			continue
		}
		s.nodes[i].active = true // keep i out of the queue while it is current
		current = i
		s.augment(a)
		s.adopt()
	}
}

// tick advances the clock used to time-stamp distance estimates. On
// overflow all stamps are cleared, which only invalidates estimates.
func (s *bkSolver) tick() {
	if s.time == math.MaxInt32 {
		lo := int(s.lo)
		for i := range s.nodes[lo : lo+int(s.span)] {
			s.nodes[lo+i].ts = 0
		}
		s.time = 0
	}
	s.time++
}

// grow scans the arcs of active node i: free neighbours reachable through
// a residual arc join i's tree; a neighbour of the other tree closes an s→t
// path, returned as the arc from the source-tree side to the sink-tree
// side. It returns -1 when i has no such neighbour. Nodes of i's own tree
// that get a shorter path through i are re-hung below i. The two trees
// have their own loop: the source tree needs residual i→j (the arc itself),
// the sink tree residual j→i (its sister).
func (s *bkSolver) grow(i int32) int32 {
	if s.nodes[i].sink {
		return s.growSink(i)
	}
	first := s.off[i]
	arcs, nodes := s.arcs[first:s.off[i+1]], s.nodes
	ts, dist := nodes[i].ts, nodes[i].dist
	for k := range arcs {
		ar := &arcs[k]
		if ar.rcap <= 0 {
			continue
		}
		nj := &nodes[ar.head]
		switch {
		case nj.parent == free:
			nj.parent, nj.sink, nj.ts, nj.dist = ar.sister, false, ts, dist+1
			s.activate(ar.head)
		case nj.sink:
			return first + int32(k)
		case nj.ts <= ts && nj.dist > dist:
			nj.parent, nj.ts, nj.dist = ar.sister, ts, dist+1
		}
	}
	return -1
}

// growSink is grow for a node i of the sink tree.
func (s *bkSolver) growSink(i int32) int32 {
	all, nodes := s.arcs, s.nodes
	arcs := all[s.off[i]:s.off[i+1]]
	ts, dist := nodes[i].ts, nodes[i].dist
	for k := range arcs {
		ar := &arcs[k]
		if all[ar.sister].rcap <= 0 {
			continue
		}
		nj := &nodes[ar.head]
		switch {
		case nj.parent == free:
			nj.parent, nj.sink, nj.ts, nj.dist = ar.sister, true, ts, dist+1
			s.activate(ar.head)
		case !nj.sink:
			return ar.sister
		case nj.ts <= ts && nj.dist > dist:
			nj.parent, nj.ts, nj.dist = ar.sister, ts, dist+1
		}
	}
	return -1
}

// augment pushes the bottleneck capacity along the path
// s → … → tail(a) → head(a) → … → t through the two trees. Nodes whose
// parent arc (or terminal arc) saturates become orphans.
func (s *bkSolver) augment(a int32) {
	arcs, nodes := s.arcs, s.nodes
	b := arcs[a].rcap
	// Bottleneck on the source side: the parent→child residuals.
	i := arcs[arcs[a].sister].head
	for p := nodes[i].parent; p != terminal; p = nodes[i].parent {
		b = min(b, arcs[arcs[p].sister].rcap)
		i = arcs[p].head
	}
	b = min(b, s.tr[i])
	// Sink side: the child→parent residuals.
	i = arcs[a].head
	for p := nodes[i].parent; p != terminal; p = nodes[i].parent {
		b = min(b, arcs[p].rcap)
		i = arcs[p].head
	}
	b = min(b, -s.tr[i])

	arcs[arcs[a].sister].rcap += b
	arcs[a].rcap -= b
	i = arcs[arcs[a].sister].head
	for p := nodes[i].parent; p != terminal; p = nodes[i].parent {
		down := &arcs[arcs[p].sister]
		arcs[p].rcap += b
		down.rcap -= b
		if down.rcap <= 0 {
			s.setOrphan(i)
		}
		i = arcs[p].head
	}
	s.tr[i] -= b
	if s.tr[i] <= 0 {
		s.setOrphan(i)
	}
	i = arcs[a].head
	for p := nodes[i].parent; p != terminal; p = nodes[i].parent {
		up := &arcs[p]
		arcs[up.sister].rcap += b
		up.rcap -= b
		if up.rcap <= 0 {
			s.setOrphan(i)
		}
		i = up.head
	}
	s.tr[i] += b
	if s.tr[i] >= 0 {
		s.setOrphan(i)
	}
	s.flow += b
}

func (s *bkSolver) setOrphan(i int32) {
	s.nodes[i].parent = orphan
	s.oq.push(i)
}

// adopt processes orphans until none is left: each finds a new parent in
// its tree whose path to the terminal is valid (preferring the shortest
// estimated distance), or leaves the tree, orphaning its children and
// re-activating the tree neighbours that could grow into it again.
func (s *bkSolver) adopt() {
	for s.oq.size > 0 {
		i := s.oq.pop()
		if !s.adoptParent(i) {
			s.release(i)
		}
	}
}

// adoptParent looks for a new parent of orphan i and reports success.
func (s *bkSolver) adoptParent(i int32) bool {
	arcs, nodes, now := s.arcs, s.nodes, s.time
	inSink := nodes[i].sink
	best, dmin := int32(-1), int32(infDist)
	first, end := s.off[i], s.off[i+1]
	for a := first; a < end; a++ {
		ar := &arcs[a]
		// A parent j needs residual j→i in the source tree, i→j in the sink tree.
		in := ar.sister
		if inSink {
			in = a
		}
		if arcs[in].rcap <= 0 {
			continue
		}
		j := ar.head
		if nj := &nodes[j]; nj.parent == free || nj.sink != inSink {
			continue
		}
		d := originDist(arcs, nodes, now, j)
		if d == infDist {
			continue
		}
		if d < dmin {
			best, dmin = a, d
		}
		// Stamp the checked path with its now known distances.
		for k := j; nodes[k].ts != now; k = arcs[nodes[k].parent].head {
			nodes[k].ts, nodes[k].dist = now, d
			d--
		}
	}
	if best < 0 {
		return false
	}
	ni := &nodes[i]
	ni.parent, ni.ts, ni.dist = best, now, dmin+1
	return true
}

// originDist walks from j towards its terminal and returns the distance,
// or infDist when the path runs into an orphan. Nodes stamped with the
// current time now are known to reach the terminal. A function of the
// arrays, not a method, so that the loop keeps them in registers.
func originDist(arcs []arc, nodes []node, now, j int32) int32 {
	d := int32(0)
	for {
		nj := &nodes[j]
		if nj.ts == now {
			return d + nj.dist
		}
		d++
		switch nj.parent {
		case terminal:
			nj.ts, nj.dist = now, 1
			return d
		case orphan:
			return infDist
		}
		j = arcs[nj.parent].head
	}
}

// release takes orphan i out of its tree.
func (s *bkSolver) release(i int32) {
	arcs, nodes := s.arcs, s.nodes
	inSink := nodes[i].sink
	nodes[i].parent = free
	lo, span := s.lo, s.span
	first, end := s.off[i], s.off[i+1]
	for a := first; a < end; a++ {
		ar := &arcs[a]
		j := ar.head
		if uint32(j-lo) >= span {
			continue // outside the block: an arc of capacity 0 (pbk.go)
		}
		pj := nodes[j].parent
		if pj == free || nodes[j].sink != inSink {
			continue
		}
		in := ar.sister
		if inSink {
			in = a
		}
		if arcs[in].rcap > 0 {
			s.activate(j)
		}
		if pj >= 0 && arcs[pj].head == i {
			s.setOrphan(j)
		}
	}
}

// Why SourceSide can read the source tree instead of searching the
// residual graph after the flow: when run returns, the source tree S (its
// nodes, orphans included while adopt runs) equals R, the set of nodes
// reachable from s through arcs of positive residual capacity.
//
// S ⊆ R: every node of S has a parent chain to s whose arcs (parent→child,
// and s→root through tr > 0) have positive residual capacity. Growth and
// re-hanging use only such arcs, adoption checks them, and augment orphans
// every node whose parent arc (or root terminal arc) it saturates; run
// returns only after adopt has emptied the orphan queue.
//
// R ⊆ S: call an S node passive when it is neither in the active queue nor
// the current node. Invariant: a passive S node i has no positive residual
// arc i→j to a node j outside S. It holds after a full scan by grow (which
// returns -1 only after every arc; free heads joined S, a sink-tree head
// would have returned the arc). It is kept by every later change:
//   - augment raises only the residuals of reversed path arcs y→x for a
//     path arc x→y; with the path s…S…→T…t, y in S implies x in S, so no
//     new arc from S to outside S appears;
//   - a node j leaving S (release of an orphan) activates every S node k
//     with residual k→j > 0, orphan or not, so k is scanned again (or
//     leaves S itself); the current node is already marked active and is
//     re-scanned from its first arc by run;
//   - a free node joining S only shrinks the outside of S, and one joining
//     the sink tree was outside S already;
//   - re-hanging and re-adoption move a node within S.
//
// Roots: tr > 0 only for the initial source roots (tr of a sink root stays
// ≤ 0 and a freed node has tr = 0), and a root leaves S only when augment
// drives its tr to ≤ 0. So every node with tr > 0 is in S at the end.
// When run returns, the active queue holds no tree node, so every S node is
// passive; a breadth-first search from the nodes with tr > 0 through
// positive residual arcs therefore never leaves S, which gives R ⊆ S.
// Residuals are compared with 0 the same way everywhere (> 0 means
// residual), so the argument holds for real capacities as well.
// The tests keep that search (reachFromSource) as an oracle.
