// Package encoder is the inference network of the discrete VAE: an MLP
// x → FC(hidden) → ReLU → FC(N·K + Pairs) whose output w(x) scores latent
// assignments linearly, h(x, z) = ⟨w(x), φ(z)⟩ (see package argmax).
//
// The first N·K outputs are unary scores, N variables of K states each; the
// remaining Pairs outputs are pairwise weights. A supermodular encoder
// passes the pairwise block through softplus so that every weight is
// non-negative and the arg max can be found by min-cut.
package encoder
