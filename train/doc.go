// Package train fits discrete VAEs whose latent is sampled by an arg max:
// z* = argmax_z h(x,z) + γ(z), solved exactly by any solver of the latent's
// [argmax.Structure].
//
// The latent's structure is an [argmax.Structure] value: its codes, its
// features φ(z) and its exact solvers. The encoder ([NewNetworks]) emits
// the structure's weight vector w(x) (N·K unary scores, then the
// structure's interaction weights, with softplus where the structure asks
// for nonnegative weights), and h(x,z) = ⟨w(x), φ(z)⟩; every estimator
// produces a gradient with respect to w and lets the encoder backpropagate
// it. The trainer never looks inside the solver, and the networks never
// know which solver runs.
//
// Estimators ([Estimator]), one file each:
//
//   - [Direct]: direct optimization through arg max (the paper's
//     Algorithm 1). z*(ε) = argmax h + γ + ε·f̃, where f̃ adds, to the unary
//     score of latent i in state s, the decoder's log-likelihood with latent
//     i set to s and the others kept at z* (exact for N = 1; the paper's
//     low-dimensional approximation otherwise). The gradient with respect
//     to w is −(φ(z*(ε)) − φ(z*))/ε for the loss −f. By default
//     ([KLFolded]) the KL term is folded into the perturbation:
//     z*(ε) = argmax h + γ + ε·[f̃ + log p(z) − log q(z)] with log q held
//     constant, i.e. argmax (1−ε)·h + γ + ε·f̃, so that the estimator
//     trains the negative ELBO it reports; [KLNone] is the reference
//     implementation's form (KL ignored by the encoder) and [KLAnalytic]
//     adds the analytic KL gradient (which keeps q too flat: the direct
//     term is bounded by 1/ε per coordinate, the KL gradient is not).
//   - [GumbelSoftmax]: the relaxed per-latent softmax((h+γ)/τ), straight
//     through by default.
//   - [Exact]: the unbiased gradient of Eq. (2), summing over all K states
//     (one latent only).
//
// Binary latents with a pairwise structure: the encoder scores
// h(z) = Σᵢ hᵢ(zᵢ) + Σᵢⱼ αᵢⱼzᵢzⱼ and defines the Gibbs distribution
// q(z) ∝ exp h(z). The Gumbel-Max identity P[argmax h + γ = z] = q(z) needs
// an independent Gumbel variable γ(z) for each of the 2ⁿ joint states;
// like the paper, the trainer perturbs only the 2n unary scores, which is
// exact without edges but with edges samples from a different
// distribution (the perturbations of joint states are then correlated, and
// the arg max favours the modes). Evaluation therefore reports two KL
// terms: the unary-factor KL of the reference implementation (the product
// of per-bit softmaxes of the unary scores, ignoring α), and, for n ≤ 24,
// the exact KL of the Gibbs distribution by enumeration (Eval.KLExact).
//
// With a pairwise encoder the folded form uses the Gibbs log q ∝ h, which
// scales the unary and pairwise weights by 1 − ε (a supermodular model
// stays supermodular, so the same solver applies). Since the
// perturb-the-unaries sampler is not the Gibbs distribution, this is a
// surrogate there: exact only without edges.
//
// Evaluation ([Evaluate], [ExactLikelihood], [ImportanceLikelihood])
// says what each number is. For one categorical latent the NELBO and
// −log p(x) are exact sums over the K states. Up to [MaxEnumStates] joint
// states, [ExactLikelihood] decodes every code once and gives the exact
// −log p(x) and the Gibbs NELBO E_{q_G}[−log p(x|z)] + KL(q_G‖p) with
// q_G ∝ exp h enumerated: a valid bound. Beyond, [ImportanceLikelihood]
// estimates −log p(x) with the product of the unary factors as proposal.
// The one-sample NELBO with the unary-factor KL (Eval.Sampled) is an
// estimate, and for pairwise encoders not a bound.
//
// Estimators for independent binary latents ([ARM], [DisARM],
// [Reinforce], [Rebar]) are unbiased and serve as baselines.
//
// The loss is the negative ELBO per example in nats,
// −E_q log p(x|z) + KL(q‖uniform), with KL computed for the product of the
// per-latent softmax factors of the unary scores.
//
// Estimators declare what they need ([Needs]: binary, independent or one
// latent; which temperature) and are listed in one registry
// ([RegisterEstimator], [NewEstimator]); state that must survive a
// checkpoint goes through [Stateful]. Every estimator, this package's and
// a user's alike, is written with the VAE's step API alone
// ([VAE.SampleArgmax] or [VAE.Scores], [VAE.Weights], [VAE.Solve],
// [VAE.SolveAgain], [VAE.LocalLogLik], the DecodeBackward methods,
// [VAE.GradBuffer], [VAE.AddFeatures], [VAE.UnaryKL], [VAE.EncoderBackward]);
// a step ends with one EncoderBackward of dL/dw, which [VAE.ScoreGrad]
// returns afterwards (package lab reads estimators through it). A structure
// may choose the codes f̃ evaluates ([argmax.Neighbourhood]).
//
// [NewTrainer] takes [Options] whose zero value is the default (the
// temperature schedule from the estimator's [Needs]) and checks everything
// a first step would trip on. The VAE's one thread count governs solves
// and the nn kernels alike. Everything that can take long takes a context
// and returns its error within about a second of a cancel.
//
// [Fit] is the driver, in the manner of gonum's optimize.Minimize: a
// [Trainer] (VAE, estimator, Adam, schedule), [Data], [Settings] whose zero
// value is the default, and [Recorder]s that receive every epoch. It runs
// on the module's one driver (internal/driver, which semisup's runs use
// too): with a run folder it commits each epoch atomically and resumes
// exactly.
//
// A trained model is used through [VAE.Encode] (the arg max code of an
// image, no noise), [VAE.Sample] (a Gumbel-Max draw), [VAE.Decode] (a
// code's Bernoulli means) and [VAE.Generate] (codes from the uniform prior
// over feasible codes, decoded). [VAE.WriteModel] writes a model file that
// describes itself (structure, sizes, data width, solver, checksum), and
// [ReadModel] rebuilds the VAE from it alone.
package train
