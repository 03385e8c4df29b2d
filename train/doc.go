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
// Estimators ([Estimator]), one file each: [Direct] (direct optimization
// through arg max, the paper's Algorithm 1, with the KL folded into the
// perturbation by default, [KLMode]) and [DirectExact] (its exact perturbed
// arg max); [GumbelSoftmax] (straight-through by default); [Exact] (the
// sum over K states, one latent); the unbiased baselines for independent
// bits [ARM], [DisARM], [Reinforce], [Rebar], [Relax]; [IMLE], [Perturbed]
// and [STTopK] on the VAE's own solver. The loss is the negative ELBO per
// example in nats, −E_q log p(x|z) + KL(q‖uniform), the KL of the product
// of per-latent softmaxes of the unary scores. With pairwise encoders the
// Gumbel-Max sampler perturbs only the unary scores, so it does not sample
// the Gibbs distribution q ∝ exp h; evaluation reports both KLs
// (Eval.KL, Eval.KLExact). Derivations: docs/estimators.md.
//
// Evaluation ([Evaluate], [ExactLikelihood], [ImportanceLikelihood])
// says what each number is: exact sums for one categorical latent; up to
// [MaxEnumStates] joint states the exact −log p(x) and the Gibbs NELBO (a
// valid bound) by enumeration; beyond, an importance-weighted estimate.
// The one-sample NELBO (Eval.Sampled) is an estimate, and for pairwise
// encoders not a bound.
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
