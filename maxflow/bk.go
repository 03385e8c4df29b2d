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

// MaxFlow implements [MinCut] with the Boykov–Kolmogorov algorithm: it
// returns the maximum s-t flow value of the graph built since Reset, or the
// first error recorded while building it. After a successful call,
// SourceSide reports the minimal minimum cut. It allocates only when the
// graph is larger than any graph solved before.
//
// Time: O(V²·E·|C|) worst case for integer capacities with cut value |C|;
// close to linear on grid graphs. Memory: O(V + E).
func (g *Graph) MaxFlow() (float64, error) {
	if g.err != nil {
		return 0, g.err
	}
	g.build()
	g.initTrees()
	g.run()
	g.markSourceSide()
	if math.IsInf(g.flow, 0) || math.IsNaN(g.flow) {
		g.solved = false
		return 0, fmt.Errorf("%w: flow value overflows (%v)", ErrCapacity, g.flow)
	}
	g.solved = true
	return g.flow, nil
}

// build gathers the added edges into CSR arcs and the terminal capacities
// into tr. Edge k becomes arc pair (a, sister[a]) in the rows of its two
// endpoints, in the order the edges were added.
func (g *Graph) build() {
	n, m := g.n, len(g.eu)
	g.off = resize(g.off, n+1)
	g.cur = resize(g.cur, n)
	g.head = resize(g.head, 2*m)
	g.sister = resize(g.sister, 2*m)
	g.rcap = resize(g.rcap, 2*m)
	off, cur := g.off, g.cur
	clear(off)
	for k := 0; k < m; k++ {
		off[g.eu[k]+1]++
		off[g.ev[k]+1]++
	}
	for i := 0; i < n; i++ {
		off[i+1] += off[i]
		cur[i] = off[i]
	}
	for k := 0; k < m; k++ {
		u, v := g.eu[k], g.ev[k]
		a, b := cur[u], cur[v]
		cur[u]++
		cur[v]++
		g.head[a], g.head[b] = v, u
		g.sister[a], g.sister[b] = b, a
		g.rcap[a], g.rcap[b] = g.ecap[k], g.erev[k]
	}
	g.tr = resize(g.tr, n)
	g.flow = 0
	for i := 0; i < n; i++ {
		s, t := g.src[i], g.snk[i]
		g.flow += min(s, t)
		g.tr[i] = s - t
	}
}

// initTrees puts every node with residual terminal capacity into its
// terminal's tree at distance 1 and makes it active.
func (g *Graph) initTrees() {
	n := g.n
	g.parent = resize(g.parent, n)
	g.sink = resize(g.sink, n)
	g.ts = resize(g.ts, n)
	g.dist = resize(g.dist, n)
	g.active = resize(g.active, n)
	g.aq.reset(n)
	g.oq.reset(n)
	clear(g.ts)
	clear(g.active)
	g.time = 0
	for i := 0; i < n; i++ {
		switch tr := g.tr[i]; {
		case tr > 0:
			g.parent[i], g.sink[i], g.dist[i] = terminal, false, 1
			g.activate(int32(i))
		case tr < 0:
			g.parent[i], g.sink[i], g.dist[i] = terminal, true, 1
			g.activate(int32(i))
		default:
			g.parent[i] = free
		}
	}
}

func (g *Graph) activate(i int32) {
	if !g.active[i] {
		g.active[i] = true
		g.aq.push(i)
	}
}

// nextActive pops the next active node that is still in a tree, or -1.
func (g *Graph) nextActive() int32 {
	for g.aq.size > 0 {
		i := g.aq.pop()
		g.active[i] = false
		if g.parent[i] != free {
			return i
		}
	}
	return -1
}

// run alternates the growth, augment and adoption stages until no active
// node is left. A node whose growth found a path stays current, so its
// remaining arcs are searched again before the queue moves on.
func (g *Graph) run() {
	current := int32(-1)
	for {
		i := current
		if i >= 0 {
			g.active[i] = false
			if g.parent[i] == free {
				i = -1
			}
		}
		if i < 0 {
			if i = g.nextActive(); i < 0 {
				return
			}
		}
		a := g.grow(i)
		g.tick()
		if a < 0 {
			current = -1
			continue
		}
		g.active[i] = true // keep i out of the queue while it is current
		current = i
		g.augment(a)
		g.adopt()
	}
}

// tick advances the clock used to time-stamp distance estimates. On
// overflow all stamps are cleared, which only invalidates estimates.
func (g *Graph) tick() {
	if g.time == math.MaxInt32 {
		clear(g.ts)
		g.time = 0
	}
	g.time++
}

// grow scans the arcs of active node i: free neighbours reachable through
// a residual arc join i's tree; a neighbour of the other tree closes an s→t
// path, returned as the arc from the source-tree side to the sink-tree
// side. It returns -1 when i has no such neighbour. Nodes of i's own tree
// that get a shorter path through i are re-hung below i.
func (g *Graph) grow(i int32) int32 {
	lo, hi := g.off[i], g.off[i+1]
	di, ti := g.dist[i], g.ts[i]
	head, sister, rcap, parent := g.head, g.sister, g.rcap, g.parent
	if !g.sink[i] {
		for a := lo; a < hi; a++ {
			if rcap[a] <= 0 {
				continue
			}
			j := head[a]
			switch {
			case parent[j] == free:
				parent[j], g.sink[j], g.ts[j], g.dist[j] = sister[a], false, ti, di+1
				g.activate(j)
			case g.sink[j]:
				return a
			case g.ts[j] <= ti && g.dist[j] > di:
				parent[j], g.ts[j], g.dist[j] = sister[a], ti, di+1
			}
		}
		return -1
	}
	for a := lo; a < hi; a++ {
		b := sister[a]
		if rcap[b] <= 0 {
			continue
		}
		j := head[a]
		switch {
		case parent[j] == free:
			parent[j], g.sink[j], g.ts[j], g.dist[j] = b, true, ti, di+1
			g.activate(j)
		case !g.sink[j]:
			return b
		case g.ts[j] <= ti && g.dist[j] > di:
			parent[j], g.ts[j], g.dist[j] = b, ti, di+1
		}
	}
	return -1
}

// augment pushes the bottleneck capacity along the path
// s → … → tail(a) → head(a) → … → t through the two trees. Nodes whose
// parent arc (or terminal arc) saturates become orphans.
func (g *Graph) augment(a int32) {
	head, sister, rcap, parent := g.head, g.sister, g.rcap, g.parent
	b := rcap[a]
	// Bottleneck on the source side: the parent→child residuals.
	i := head[sister[a]]
	for parent[i] != terminal {
		pa := parent[i]
		b = min(b, rcap[sister[pa]])
		i = head[pa]
	}
	b = min(b, g.tr[i])
	// Sink side: the child→parent residuals.
	i = head[a]
	for parent[i] != terminal {
		pa := parent[i]
		b = min(b, rcap[pa])
		i = head[pa]
	}
	b = min(b, -g.tr[i])

	rcap[sister[a]] += b
	rcap[a] -= b
	i = head[sister[a]]
	for parent[i] != terminal {
		pa := parent[i]
		rcap[pa] += b
		rcap[sister[pa]] -= b
		if rcap[sister[pa]] <= 0 {
			g.setOrphan(i)
		}
		i = head[pa]
	}
	g.tr[i] -= b
	if g.tr[i] <= 0 {
		g.setOrphan(i)
	}
	i = head[a]
	for parent[i] != terminal {
		pa := parent[i]
		rcap[sister[pa]] += b
		rcap[pa] -= b
		if rcap[pa] <= 0 {
			g.setOrphan(i)
		}
		i = head[pa]
	}
	g.tr[i] += b
	if g.tr[i] >= 0 {
		g.setOrphan(i)
	}
	g.flow += b
}

func (g *Graph) setOrphan(i int32) {
	g.parent[i] = orphan
	g.oq.push(i)
}

// adopt processes orphans until none is left: each finds a new parent in
// its tree whose path to the terminal is valid (preferring the shortest
// estimated distance), or leaves the tree, orphaning its children and
// re-activating the tree neighbours that could grow into it again.
func (g *Graph) adopt() {
	for g.oq.size > 0 {
		i := g.oq.pop()
		if g.adoptParent(i) {
			continue
		}
		g.release(i)
	}
}

// adoptParent looks for a new parent of orphan i and reports success.
func (g *Graph) adoptParent(i int32) bool {
	head, sister, rcap, parent := g.head, g.sister, g.rcap, g.parent
	inSink := g.sink[i]
	best, dmin := int32(-1), int32(infDist)
	for a := g.off[i]; a < g.off[i+1]; a++ {
		// A parent j needs residual j→i in the source tree, i→j in the sink tree.
		r := rcap[sister[a]]
		if inSink {
			r = rcap[a]
		}
		if r <= 0 {
			continue
		}
		j := head[a]
		if parent[j] == free || g.sink[j] != inSink {
			continue
		}
		d := g.originDist(j)
		if d == infDist {
			continue
		}
		if d < dmin {
			best, dmin = a, d
		}
		// Stamp the checked path with its now known distances.
		for k := j; g.ts[k] != g.time; k = head[parent[k]] {
			g.ts[k], g.dist[k] = g.time, d
			d--
		}
	}
	if best < 0 {
		return false
	}
	parent[i], g.ts[i], g.dist[i] = best, g.time, dmin+1
	return true
}

// originDist walks from j towards its terminal and returns the distance,
// or infDist when the path runs into an orphan. Nodes stamped with the
// current time are known to reach the terminal.
func (g *Graph) originDist(j int32) int32 {
	d := int32(0)
	for {
		if g.ts[j] == g.time {
			return d + g.dist[j]
		}
		pa := g.parent[j]
		d++
		switch pa {
		case terminal:
			g.ts[j], g.dist[j] = g.time, 1
			return d
		case orphan:
			return infDist
		}
		j = g.head[pa]
	}
}

// release takes orphan i out of its tree.
func (g *Graph) release(i int32) {
	head, sister, rcap, parent := g.head, g.sister, g.rcap, g.parent
	inSink := g.sink[i]
	parent[i] = free
	for a := g.off[i]; a < g.off[i+1]; a++ {
		j := head[a]
		pj := parent[j]
		if pj == free || g.sink[j] != inSink {
			continue
		}
		r := rcap[sister[a]]
		if inSink {
			r = rcap[a]
		}
		if r > 0 {
			g.activate(j)
		}
		if pj >= 0 && head[pj] == i {
			g.setOrphan(j)
		}
	}
}

// markSourceSide computes side = the nodes reachable from s in the
// residual graph, by breadth-first search from the nodes with residual
// source capacity. O(V + E).
func (g *Graph) markSourceSide() {
	n := g.n
	g.side = resize(g.side, n)
	clear(g.side)
	q := &g.aq
	q.reset(n)
	for i := 0; i < n; i++ {
		if g.tr[i] > 0 {
			g.side[i] = true
			q.push(int32(i))
		}
	}
	for q.size > 0 {
		i := q.pop()
		for a := g.off[i]; a < g.off[i+1]; a++ {
			if j := g.head[a]; g.rcap[a] > 0 && !g.side[j] {
				g.side[j] = true
				q.push(j)
			}
		}
	}
}
