// Package maxflow computes s-t maximum flows and minimum cuts with float64
// capacities, tuned for the graphs that arise in energy minimization
// (graph cuts for binary labelling problems).
//
// # Algorithm
//
// [Graph] implements the Boykov–Kolmogorov algorithm (Y. Boykov and
// V. Kolmogorov, "An experimental comparison of min-cut/max-flow algorithms
// for energy minimization in vision", IEEE PAMI 26(9), 2004). It grows two
// search trees, one from the source s and one from the sink t, through arcs
// of positive residual capacity (growth stage); when the trees touch, it
// pushes the bottleneck capacity along the s→t path found (augment stage),
// which saturates at least one arc and turns the nodes below it into
// orphans; orphans then look for a new parent in their own tree that is
// still rooted at the terminal, or leave the tree (adoption stage). The
// trees are kept between augmentations instead of being rebuilt, which is
// what makes the method fast on vision graphs: every node there has a
// terminal arc (a data term), so the trees start with all nodes at depth one
// and the augmenting paths are very short, while a breadth-first search per
// path (Edmonds–Karp, used by [YourBasic]) or global relabelling (push-relabel)
// repeat work on every path. Terminal capacities are stored per node, as in
// BK's add_tweights: s→u and u→t capacities of the same node cancel into a
// single residual terminal capacity, and the cancelled amount is flow that
// never needs a path.
//
// The worst-case running time is O(V²·E·|C|) for integer capacities, where
// |C| is the cut value (each augmentation adds at least one unit of flow,
// and the stages between two augmentations cost O(V·E)), worse than
// Edmonds–Karp's O(V·E²) in theory;
// on grid-like energy-minimization graphs it is close to linear in practice.
// Memory is O(V + E).
//
// # Storage
//
// Everything is arrays indexed by int32, no pointers: the edges as added
// (one [Edge] record each), the per-node terminal capacities, the arcs
// gathered into compressed rows (CSR) at the start of each [Graph.MaxFlow],
// the per-node search-tree state, and the active and orphan queues (ring
// buffers). The fields read together in the inner loops sit together: one
// 16-byte record per arc (head, reverse arc, residual capacity) and one per
// node (parent arc, time stamp, distance, flags), which measured 1.5–2×
// faster on 512² grids than one array per field. [Graph.Reset] empties the
// graph but keeps every array, so a graph of the same or smaller size is
// rebuilt and solved without allocating.
//
// A graph re-solved with the same edges (same endpoints in the same order,
// same node count) and new capacities — a trainer solving one model
// structure many times — keeps its CSR rows: MaxFlow only writes the new
// capacities into them. Nothing needs to be declared; MaxFlow compares the
// edges with the rows as it writes. [Graph.AddEdges] adds a batch of edges
// with the checks of [Graph.AddEdge] but without a call per edge.
//
// # Real capacities
//
// A residual capacity ≤ 0 counts as saturated. Each augmentation subtracts
// the bottleneck from the arcs on the path; the bottleneck arc becomes
// exactly zero and every other arc stays positive (IEEE subtraction of
// distinct numbers never gives zero), so every augmentation makes progress.
// With real capacities the flow value is exact up to floating-point
// rounding in the sums; with integer capacities below 2⁵³ it is exact.
//
// # Cut returned
//
// After MaxFlow, [MinCut.SourceSide] reports the source side S of a minimum
// cut: the nodes reachable from s in the residual graph. This S is the
// smallest source set of any minimum cut (the intersection of all of them),
// so a node is on the source side only when every minimum cut puts it there.
// [Graph] reads it off its source search tree, which at the end of the
// algorithm is exactly that set (the argument is in bk.go; the tests check
// it against a residual search on thousands of graphs).
//
// # A second algorithm: IBFS
//
// [NewWith](IBFS, ...) gives a Graph that MaxFlow solves by incremental
// breadth-first search (Goldberg, Hed, Kaplan, Tarjan, Werneck, ESA
// 2011), the core of EIBFS (ESA 2015), on the same arrays, with the same
// builder calls, errors, reuse without allocation, flow value and minimal
// cut; see ibfs.go for the algorithm, its invariants and why it was
// chosen over Hochbaum's pseudoflow. It keeps BK's two trees but with
// exact BFS distance labels, grown one level per pass. Measured on a
// shared 2-core machine (docs/results/maxflow-second.md): 0.6–0.8× BK's
// time on complete graphs of 100 to 600 nodes, 0.86–0.88× on
// argmax.GraphCut's graphs of 15 and 100 nodes but 1.1× at 200, and
// 1.2–1.3× BK's time on the 4-connected segmentation grids of
// [SegmentationGrid]. BK stays the default.
//
// # A parallel algorithm: ParallelBK
//
// [NewWith](ParallelBK, ...) gives a Graph that MaxFlow solves by BK with
// bottom-up merging (J. Liu and J. Sun, "Parallel graph-cuts by adaptive
// bottom-up merging", CVPR 2010): the nodes are cut into contiguous
// blocks of about 2¹⁵ nodes; each block is solved by BK on its own, the
// blocks in parallel on [Graph.SetWorkers] goroutines (default
// GOMAXPROCS), with the arcs between blocks held at capacity 0; then
// adjacent blocks are merged in pairs, level by level, by restoring the
// arcs between them and continuing BK on the union from both blocks'
// search trees, until one range is left. The CSR rows are also built on
// the workers, identical to the serial ones. The result is exact: the
// same flow value as BK (up to rounding for real capacities) and the same
// minimal minimum cut, read off the final source tree by the argument of
// bk.go (see pbk.go). Time: BK's worst case, O(V²·E·|C|), plus O(V + E)
// for the split; on grids nearly all the work is in the blocks, which run
// in parallel and, being small, in cache. Graphs under 2¹⁶ nodes (the
// VAE's dense graphs among them) are solved by serial BK with identical
// results. Measured on a shared 2-core machine
// (docs/results/maxflow-third.md): about 0.4× the C++ BK library's time
// on the 512² and 1024² segmentation grids with two workers.
//
// # Other pieces
//
// [YourBasic] runs the same [MinCut] interface through
// github.com/yourbasic/graph (Edmonds–Karp, integer capacities), as an
// independent reference. [ReadDIMACS] reads the DIMACS max-flow format into
// an [Instance] that can be loaded into any MinCut, [Instance.WriteDIMACS]
// writes it, and [SegmentationGrid] makes the benchmark instance.
package maxflow
