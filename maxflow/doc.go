// Package maxflow computes s-t maximum flows and minimum cuts with float64
// capacities, tuned for the graphs that arise in energy minimization
// (graph cuts for binary labelling problems).
//
// [Graph] implements the Boykov–Kolmogorov algorithm (IEEE PAMI 26(9),
// 2004): two search trees, from s and from t, kept between augmentations,
// which makes augmenting paths short on graphs where every node has a
// terminal arc. Worst case O(V²·E·|C|) for integer capacities, close to
// linear on grid-like graphs in practice; memory O(V + E), all in int32-
// indexed arrays. [Graph.Reset] keeps every array, so a graph of the same
// or smaller size is rebuilt without allocating, and a graph re-solved with
// the same edges and new capacities keeps its compressed rows.
//
// With real capacities the flow value is exact up to the rounding of its
// sums (exact for integers below 2⁵³). After MaxFlow, [MinCut.SourceSide]
// reports the smallest source set of any minimum cut: the nodes reachable
// from s in the residual graph. A Graph is not safe for concurrent use.
//
// [NewWith] selects another algorithm on the same arrays and calls: IBFS
// (incremental breadth-first search, Goldberg et al. 2011) or ParallelBK
// (BK with bottom-up merging of blocks solved in parallel, Liu and Sun
// 2010; exact, identical results). [YourBasic] runs the [MinCut] interface
// through github.com/yourbasic/graph (Edmonds–Karp) as an independent
// reference. [ReadDIMACS] reads the DIMACS max-flow format into an
// [Instance], [Instance.WriteDIMACS] writes it, and [SegmentationGrid]
// makes the benchmark instance. The algorithms' details, why the cut is
// minimal, and the measurements are in docs/maxflow.md.
package maxflow
