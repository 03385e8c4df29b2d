// Package decoder is the generative network of the discrete VAE: an MLP
// z → FC(hidden) → ReLU → FC(D) from a latent code of N one-hot blocks of K
// states (or a relaxation of it) to Bernoulli logits over D pixels, with
// f(x, z) = log p(x|z) = Σ_d x_d·l_d − softplus(l_d).
//
// Besides the usual forward and backward passes it evaluates, in one
// batched computation, f at every single-variable change of a code
// ([Decoder.Variants]): all K values of a categorical latent for the direct
// estimator, and each variable set to each state for the structured
// low-dimensional approximation f̃ of the paper's Section 4.1. A code that
// several of those rows share is decoded once, and the training step can
// take the rows of the codes themselves from that pass instead of decoding
// them again ([Decoder.ForwardVariants]).
package decoder
