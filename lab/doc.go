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
// [Structured] compares estimators of ∇_α E_γ[L(x, z*(γ))],
// z*(γ) = argmax_z h(x,z) + Σᵢ γ_{i,zᵢ}, L = −log p(x|z), with respect to
// each bit's logit αᵢ = h_{i1} − h_{i0}. The decoder's input does not
// depend on x, so all 2ⁿ codes are decoded once: f(x_b, z) and h(x_b, z)
// are tables, and every arg max is a scan of them. Only γ's differences
// ℓᵢ = γ_{i1} − γ_{i0} (logistic) matter.
//
// The reference gradient is the closed form Σ_z q(z)·L(z)·(zᵢ − θᵢ) for
// independent latents. For pairwise encoders the sampler's distribution
// has no closed form; the lab estimates the gradient by conditional Monte
// Carlo: given ℓ₋ᵢ, bit i of z*(γ) is 1 exactly when ℓᵢ + aᵢ > 0, where
// aᵢ = max_{zᵢ=1}(h + ℓ·z − ℓᵢ) − max_{zᵢ=0}(h + ℓ·z), and the two clamped
// arg maxes z^{i,1}, z^{i,0} do not depend on ℓᵢ, so
//
//	∂/∂αᵢ E[L] = E_{ℓ₋ᵢ}[σ(aᵢ)σ(−aᵢ)·(L(z^{i,1}) − L(z^{i,0}))]
//
// exactly (ℓᵢ integrated out): each sample is unbiased and bounded. The
// estimators are compared with it on common random numbers: an
// estimator's bias is the mean of its per-sample difference from the
// reference's sample at the same noise, with the paired standard error
// ([Running] accumulates both).
//
// Estimators on the tables, at each ε: direct with f̃ (train.Direct, KL
// ignored), direct with the exact perturbed arg max (train.DirectExact),
// REINFORCE on the noise, (L − c)·tanh(ℓᵢ/2) (c a running mean of earlier
// samples' L for the example), and ARM on the noise,
// (L(z*(ℓ)) − L(z*(−ℓ)))·(σ(ℓᵢ) − ½), unbiased for any function of ℓ.
// DisARM, REBAR and RELAX need the per-bit structure of independent
// latents; the lab runs them, and the training estimators ARM and
// REINFORCE, through their Step on independent encoders only, reading the
// step's dL/dw from train.VAE.ScoreGrad.
package lab
