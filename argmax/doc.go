// Package argmax defines the arg max problems that a discrete VAE samples
// with the Gumbel-Max trick, and exact solvers for them.
//
// Every structure in the project scores a latent assignment z linearly in a
// feature vector φ(z):
//
//	h(z) = ⟨w, φ(z)⟩ = Σᵢ Unary[i·K+zᵢ] + Σ_{(i,j,W)∈Edges} W·zᵢ·zⱼ
//
// A [Model] holds w: N variables of K states each, one score per variable and
// state, and, for binary variables (K = 2), pairwise weights on an edge list.
// One categorical latent with k values is N = 1, K = k; n independent bits
// are N = n, K = 2 and no edges; the pairwise binary model
// Σᵢ θᵢzᵢ + Σ_{i<j} wᵢⱼzᵢzⱼ is N = n, K = 2 with Unary = (0, θ₁, 0, θ₂, …)
// (see [NewBinary]).
//
// A [Solver] computes argmax_z h(z) exactly for the models it accepts,
// writing the maximizer into a caller-owned slice. Because φ is the same for
// every solver, the direct-optimization gradient with respect to w,
// (φ(z*(ε)) − φ(z*))/ε, is the same for every structure; a trainer needs the
// model's shape and a solver, never the solver's algorithm.
//
// Implementations, one file each:
//
//   - [Categorical]: argmax per variable, for models without edges
//     (categorical latents and independent bits). O(N·K).
//   - [Exhaustive]: Gray-code enumeration of all 2ⁿ assignments with O(deg)
//     updates per step; the exact reference. Refuses n > [MaxExhaustive].
//   - [GraphCut]: supermodular binary models (all weights ≥ 0) by s-t
//     min-cut with the [github.com/argmaxvae/argmaxvae/maxflow] package.
//   - [BranchAndBound]: binary models with weights of any sign.
//   - a MILP solver over lp_solve lives in package qip (cgo) and registers
//     itself here when imported; see [RegisterMILP].
//
// Structures. A [Structure] is a latent's feasible codes and features
// φ(z) with its own solvers ([Maximizer]s over the weight vector w):
// [Pairwise] covers the models above ([Independent], [Complete], any edge
// list through [Graph]: [ChainPairs], [GridPairs]); [Chain] is a chain of
// K-state variables with transition scores, solved by [Viterbi] in
// O(N·K²). Constrained structures ([Constrained]: not every code is
// feasible) are [KSubset] (k of n, [TopK] in O(n) expected), [Matching]
// (permutations, [Hungarian] in O(n³)) and [SpanningTree] ([Kruskal] in
// O(E log E)). [Product] (and [Repeat]) combines independent structures,
// each part solved by its own solver. k-subsets, spanning trees and their
// products are also a [UnaryFamily]: their exponential family on the
// unary scores has a tractable normalizer and exact sampler (an
// importance-sampling proposal). [Enumerate] is the structure-generic reference, [Fastest] picks
// a structure's fastest solver, and [Score] evaluates ⟨w, φ(z)⟩. A new
// structure is one file (its features and signs) plus its solver's file.
//
// [Choose] picks the fastest exact solver that applies to a model, [Batch]
// solves many independent models in parallel, and [Gumbel] and
// [PerturbUnary] draw the Gumbel noise that turns an arg max into a sample.
package argmax
