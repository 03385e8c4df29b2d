// Package lab measures gradient estimators against exact gradients at
// fixed parameters of a [train.VAE]: research instruments, written on
// train's exported step API like any user's estimator, used by
// cmd/figure1 (one categorical latent) and cmd/structlab (n ≤ 16 binary
// latents, independent or pairwise).
//
// For one categorical latent, [ExactScoreGradients] gives the exact score
// gradients of the negative ELBO's two parts and [DirectMean] the
// closed-form expectation of the direct estimate; [EncoderGradientOf]
// carries any score gradient through the encoder.
//
// [Structured] compares estimators of ∇_α E_γ[L(x, z*(γ))] for n ≤ 16
// binary latents, independent or pairwise, with respect to each bit's logit
// αᵢ = h_{i1} − h_{i0}: all 2ⁿ codes are decoded once, so every arg max is
// a scan of tables. The reference is the closed form for independent
// latents and an exact conditional Monte Carlo for pairwise ones; the
// estimators (direct with f̃ and with the exact z*(ε), REINFORCE and ARM
// on the noise, and through their Step the training estimators ARM,
// DisARM, REINFORCE, REBAR and RELAX on independent encoders, read through
// train.VAE.ScoreGrad) are compared with it on common random numbers,
// bias with its paired standard error ([Running] accumulates both).
// Derivation: docs/estimators.md#labstructured.
package lab
