package maxflow

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// ParallelBK: Boykov–Kolmogorov by bottom-up merging of blocks, after
// J. Liu and J. Sun, "Parallel graph-cuts by adaptive bottom-up merging",
// CVPR 2010 (also reviewed by Jensen et al., "A review of serial and
// parallel min-cut/max-flow algorithms for computer vision", TPAMI 2023).
//
// The nodes are split into B contiguous blocks of about blockNodes nodes
// (at least one per worker). Preparation: each block's arcs whose head lies in
// another block are saved and set to capacity 0 (every arc lies in its
// tail's row, so each block writes only its own rows). Then each block is
// solved by serial BK on its own (bkSolver with lo and span), in parallel:
// with the crossing arcs at 0 no search ever leaves its block, and release
// skips the heads outside the block, so the workers write disjoint memory
// and read none that another writes. Each leaves a feasible flow of the
// whole graph (crossing arcs carry none) and search trees that satisfy
// BK's invariants within the block. Merging: adjacent blocks are merged in
// pairs, level by level, the pairs of one level in parallel: the arcs
// between the two halves get their saved capacities back, every tree node
// with such an arc is activated, the clocks are merged (the later one,
// ticked before any adoption, so no stamp is trusted wrongly) and the
// flows added, and BK continues on the union, keeping both halves' trees.
// The last merge covers the whole graph.
//
// Why this is exact and leaves the minimal cut: after a block's search,
// every node of its source tree is passive in the sense of the argument at
// the end of bk.go for all arcs inside the block, and the arcs leaving it
// had no capacity. Restoring an arc u→v can break that invariant only at
// u, which is activated; so the continued search starts from trees that
// satisfy the invariant on the merged range, and everything in bk.go's
// argument applies to it unchanged: at the end of the last merge the flow
// is maximum and the source tree is exactly the set of nodes reachable
// from s in the residual graph, the same set BK reports. The flow value is
// BK's up to floating-point rounding (identical for integer capacities
// below 2⁵³); the order of augmentations, and so the flow on each arc,
// differs.
//
// Time: the serial bound of BK per block and per merge, O(V²·E·|C|) in
// all for integer capacities, plus O(V + E) for the preparation and
// O(C·log B) for restoring the C crossing arcs over the log₂ B merge
// levels. On grids the blocks take nearly all the work and the merges
// little, so the wall time approaches 1/P of the blocks' serial time with
// P workers, and small blocks are faster than BK even on one worker
// (cache locality). Memory: BK's, plus the saved crossing arcs (16 bytes
// each) and the queues of the blocks and of the merged ranges, O(V·log B)
// int32s. Below parallelFrom nodes, or with one block, MaxFlow runs serial
// BK (identical results to [BK]).

// parallelFrom is the node count from which ParallelBK splits the graph
// into blocks; smaller graphs are solved by serial BK. A variable for the
// tests, which force the split on small graphs.
var parallelFrom = 1 << 16

// blockNodes is the block size ParallelBK aims at: B is the node count
// over blockNodes, rounded, and at least the number of workers. Blocks
// this small keep a block's nodes and arcs in cache while BK works on it:
// on the 1024² segmentation grid one worker solves 32 blocks (and their
// merges) in 0.72× the time of serial BK, and 2 workers on 2 blocks take
// 0.52×, on 32 blocks 0.38× (docs/results/maxflow-third.md).
var blockNodes = 1 << 15

// savedArc is an arc set to capacity 0 while its block is solved alone.
type savedArc struct {
	a, tail int32
	cap     float64
}

// pbkState is ParallelBK's part of a Graph, kept across MaxFlow calls.
type pbkState struct {
	workers int        // SetWorkers; 0: runtime.GOMAXPROCS(0)
	blocks  int        // for the tests: split into this many blocks at any size (0: automatic)
	w       []bkSolver // one search per block; w[k] covers block k and the ranges merged into it
	bounds  []int      // block k is nodes bounds[k]..bounds[k+1]-1
	ranges  []int      // first blocks of the current ranges (merging), then B
	tasks   []pbkTask  // the tasks of the current round
	next    atomic.Int32
	jobs    []func()  // one per helper goroutine, made once (no allocation per solve)
	cnt     [][]int32 // buildParallel: per chunk, row counts, then row cursors
	ok      []bool    // buildParallel: whether each chunk's edges fit the rows
	wg      sync.WaitGroup
}

// pbkTask is one task of a round: prepare or solve block k, or merge the
// range of blocks k..m-1 into the one of blocks l..k-1 (l is kept in the
// solver: the task carries l, k and m).
type pbkTask struct {
	kind    uint8 // taskPrepare, taskSolve, taskMerge
	l, k, m int32
}

const (
	taskPrepare uint8 = iota
	taskSolve
	taskMerge
	taskCaps    // loadCapsRange of the edges l..m-1 (chunk k)
	taskCount   // countRows of chunk k, edges l..m-1
	taskScatter // scatterRows of chunk k, edges l..m-1
)

// SetWorkers sets the number of goroutines a [ParallelBK] graph uses
// (p ≤ 0: runtime.GOMAXPROCS(0) at each MaxFlow, the default). The other
// algorithms ignore it. With one worker ParallelBK still splits a graph
// of 2¹⁶ nodes or more into blocks, solved and merged in turn.
func (g *Graph) SetWorkers(p int) { g.pb.workers = max(p, 0) }

// maxFlowParallel is MaxFlow for ParallelBK.
func (g *Graph) maxFlowParallel() {
	pb := &g.pb
	n := g.n
	p := pb.workers
	if p == 0 {
		p = runtime.GOMAXPROCS(0)
	}
	b := max(p, (n+blockNodes/2)/blockNodes) // MaxFlow sent graphs under parallelFrom to BK
	if pb.blocks > 0 {
		b = pb.blocks
	}
	if b < 2 {
		g.build()
		g.solveSerial()
		return
	}
	for len(pb.jobs) < p-1 {
		pb.jobs = append(pb.jobs, func() {
			g.pbkLoop()
			g.pb.wg.Done()
		})
	}
	g.buildParallel(p)
	g.nodes = resize(g.nodes, n)
	pb.w = resize(pb.w, b)
	pb.bounds = resize(pb.bounds, b+1)
	for k := range pb.bounds {
		pb.bounds[k] = int(int64(k) * int64(n) / int64(b))
	}

	// Prepare every block, then solve every block.
	pb.tasks = pb.tasks[:0]
	for k := range b {
		pb.tasks = append(pb.tasks, pbkTask{kind: taskPrepare, k: int32(k)})
	}
	g.pbkRound(p)
	for k := range pb.tasks {
		pb.tasks[k].kind = taskSolve
	}
	g.pbkRound(p)

	// Merge adjacent ranges in pairs until one is left.
	pb.ranges = pb.ranges[:0]
	for k := range b + 1 {
		pb.ranges = append(pb.ranges, k)
	}
	for len(pb.ranges) > 2 {
		pb.tasks = pb.tasks[:0]
		r := pb.ranges
		kept := r[:0]
		for i := 0; i+1 < len(r); i += 2 {
			kept = append(kept, r[i])
			if i+2 < len(r) {
				pb.tasks = append(pb.tasks, pbkTask{kind: taskMerge, l: int32(r[i]), k: int32(r[i+1]), m: int32(r[i+2])})
			}
		}
		kept = append(kept, b)
		pb.ranges = kept
		g.pbkRound(min(p, len(pb.tasks)))
	}
	g.flow = pb.w[0].flow + g.flow
}

// pbkRound runs the tasks of pb.tasks on p goroutines (the caller's and
// p−1 helpers), each taking the next task until none is left, and waits
// for all of them. The tasks of a round write disjoint memory, so the
// result does not depend on which goroutine runs which.
func (g *Graph) pbkRound(p int) {
	pb := &g.pb
	pb.next.Store(0)
	pb.wg.Add(p - 1)
	for k := range p - 1 {
		go pb.jobs[k]()
	}
	g.pbkLoop()
	pb.wg.Wait()
}

// pbkLoop runs tasks of the current round until none is left.
func (g *Graph) pbkLoop() {
	pb := &g.pb
	for {
		t := int(pb.next.Add(1) - 1)
		if t >= len(pb.tasks) {
			return
		}
		task := pb.tasks[t]
		switch task.kind {
		case taskPrepare:
			g.prepareBlock(int(task.k))
		case taskSolve:
			pb.w[task.k].run()
		case taskMerge:
			g.mergeRanges(int(task.l), int(task.k), int(task.m))
		case taskCaps:
			pb.ok[task.k] = g.loadCapsRange(int(task.l), int(task.m))
		case taskCount:
			g.countRows(int(task.k), int(task.l), int(task.m))
		case taskScatter:
			g.scatterRows(int(task.k), int(task.l), int(task.m))
		}
	}
}

// prepareBlock saves and zeroes the arcs leaving block k and puts the
// block's nodes into their initial trees.
func (g *Graph) prepareBlock(k int) {
	lo, hi := g.pb.bounds[k], g.pb.bounds[k+1]
	s := &g.pb.w[k]
	s.attach(g, lo, hi, hi-lo)
	s.flow = 0
	saved := s.saved[:0]
	arcs, off := g.arcs, g.off
	for u := lo; u < hi; u++ {
		for a := off[u]; a < off[u+1]; a++ {
			if h := arcs[a].head; h < int32(lo) || h >= int32(hi) {
				saved = append(saved, savedArc{a, int32(u), arcs[a].rcap})
				arcs[a].rcap = 0
			}
		}
	}
	s.saved = saved
	s.initTrees()
}

// mergeRanges merges the range of blocks k..m-1 into the range of blocks
// l..k-1 (solved by pb.w[l]) and continues BK on the union.
func (g *Graph) mergeRanges(l, k, m int) {
	pb := &g.pb
	s, r := &pb.w[l], &pb.w[k]
	lo, hi := pb.bounds[l], pb.bounds[m]
	s.flow += r.flow
	s.time = max(s.time, r.time)
	s.attach(g, lo, hi, hi-lo)
	arcs, nodes := g.arcs, g.nodes
	for blk := l; blk < m; blk++ {
		w := &pb.w[blk]
		kept := w.saved[:0]
		for _, sa := range w.saved {
			if h := arcs[sa.a].head; h < int32(lo) || h >= int32(hi) {
				kept = append(kept, sa)
				continue
			}
			arcs[sa.a].rcap = sa.cap
			if nodes[sa.tail].parent != free {
				s.activate(sa.tail)
			}
		}
		w.saved = kept
	}
	s.run()
}

// buildParallel is build on p goroutines, with the same result: the
// edges are cut into p chunks of consecutive edges. When the rows fit
// (same sizes), each chunk writes its capacities (loadCapsRange);
// otherwise, or when a chunk finds an edge that does not fit, the rows are
// laid out anew: each chunk counts its edges' arcs per row, a serial pass
// over the nodes turns the counts into offsets and per-chunk cursors
// (chunk c's arcs of row u follow those of chunks 0..c-1), and each chunk
// writes its arcs. Within a row the arcs are in edge order, as in
// buildRows, so the rows are identical to the serial ones. Every arc and
// epos entry is written by the chunk of its edge only.
func (g *Graph) buildParallel(p int) {
	pb := &g.pb
	n, m := g.n, len(g.edges)
	pb.ok = resize(pb.ok, p)
	chunk := func(c int) (int32, int32) { return int32(c * m / p), int32((c + 1) * m / p) }
	fits := n == g.builtN && m == g.builtM
	if fits {
		pb.tasks = pb.tasks[:0]
		for c := range p {
			lo, hi := chunk(c)
			pb.tasks = append(pb.tasks, pbkTask{kind: taskCaps, k: int32(c), l: lo, m: hi})
		}
		g.pbkRound(p)
		for _, ok := range pb.ok {
			fits = fits && ok
		}
	}
	if !fits {
		g.sizeRows()
		for len(pb.cnt) < p {
			pb.cnt = append(pb.cnt, nil)
		}
		pb.tasks = pb.tasks[:0]
		for c := range p {
			pb.cnt[c] = resize(pb.cnt[c], n)
			lo, hi := chunk(c)
			pb.tasks = append(pb.tasks, pbkTask{kind: taskCount, k: int32(c), l: lo, m: hi})
		}
		g.pbkRound(p)
		off, next := g.off, int32(0)
		for u := range n {
			off[u] = next
			for _, cnt := range pb.cnt[:p] {
				cnt[u], next = next, next+cnt[u]
			}
		}
		off[n] = next
		for k := range pb.tasks {
			pb.tasks[k].kind = taskScatter
		}
		g.pbkRound(p)
		g.builtN, g.builtM = n, m
	}
	g.loadTerminals()
}

// countRows counts, for chunk c (edges lo..hi-1), the arcs of each row.
func (g *Graph) countRows(c, lo, hi int) {
	cnt := g.pb.cnt[c]
	clear(cnt)
	for _, e := range g.edges[lo:hi] {
		cnt[e.U]++
		cnt[e.V]++
	}
}

// scatterRows writes the arcs and epos of chunk c's edges lo..hi-1 at the
// chunk's row cursors.
func (g *Graph) scatterRows(c, lo, hi int) {
	cur, arcs, epos := g.pb.cnt[c], g.arcs, g.epos
	for k := lo; k < hi; k++ {
		e := g.edges[k]
		a, b := cur[e.U], cur[e.V]
		cur[e.U]++
		cur[e.V]++
		arcs[a] = arc{head: e.V, sister: b, rcap: e.Cap}
		arcs[b] = arc{head: e.U, sister: a, rcap: e.Rev}
		epos[k] = arcPair{a, b}
	}
}
