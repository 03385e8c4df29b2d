// Package argmax defines the latent structures of a discrete VAE and
// exact solvers of their arg max, the core of Gumbel-Max sampling and of
// direct optimization through the arg max.
//
// A [Structure] is a set of codes z ∈ {0,…,K−1}ᴺ with features φ(z); an
// encoder's weight vector w scores a code linearly, h(z) = ⟨w, φ(z)⟩, and
// a [Maximizer] returns argmax_z h(z) exactly. Each structure names its
// solvers, fastest first ([Structure.Solvers]); [Solve] solves one
// problem with the first, [Fastest] returns it for reuse, and [Batch] runs
// one per worker over many weight vectors. [Score] evaluates ⟨w, φ(z)⟩ and
// [Feasible] checks a code.
//
// A problem from natural inputs, float32 or float64, gives a structure and
// its w: [SubsetProblem] (gains), [TreeProblem] (edge weights),
// [MatchingProblem] and [MatchingCostProblem] (a matrix), [ChainProblem]
// (unary and transition tables), [PairwiseProblem] (θ and an edge list);
// [KSubset.Chosen], [SpanningTree.TreeEdges] and [Matching.Permutation]
// read z back.
//
// Structures:
//
//   - [Pairwise]: N variables of K states with unary scores and, for bits,
//     weights on the pairs of a graph ([Independent], [Complete], [Graph]).
//     One rule picks its solver: [Categorical] without
//     edges, [GraphCut] when the weights are kept ≥ 0, [MaxProduct] on
//     forests, [GrayCode] and [BranchAndBound] on small components, [QPBO]
//     on large sparse ones, and a MILP solver when package qip is imported
//     ([RegisterMILP]). These work on a [Model], the structure with its
//     weights loaded ([PairwiseSolver]).
//   - [Chain]: an HMM-like chain of K-state variables, [Viterbi].
//   - [KSubset]: k of n items, [TopK].
//   - [Matching]: permutations of n, [Hungarian].
//   - [SpanningTree]: spanning trees of a graph, [Kruskal].
//   - [Product] and [Repeat]: independent structures side by side.
//
// A structure of your own implements the Structure methods and, while it
// is small, is solved by [Enumerator], the reference every solver is
// tested against. k-subsets, spanning trees and their products are also a
// [UnaryFamily] (exact normalizer and sampler, an importance-sampling
// proposal). [Gumbel], [GumbelFill] and [PerturbUnary] draw the noise that
// turns an arg max into a sample.
//
// Every solver is exact or returns an error: scores that are NaN or
// infinite, or whose sums would overflow float64, are refused. Solvers
// keep buffers and are not safe for concurrent use; structures are. The
// derivations and measurements behind the solvers are in docs/solvers.md.
package argmax
