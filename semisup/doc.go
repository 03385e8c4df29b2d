// Package semisup is the semi-supervised VAE of the paper's Section 4.2
// and Table 2: a mixed latent of one categorical z_d ∈ {0..K−1} and, per
// component, a C-dimensional Gaussian z_c (reparameterized, analytic KL to
// N(0, I)). The decoder sees the K×C matrix that is zero except row z_d,
// which holds that component's Gaussian sample.
//
// The categorical latent trains with [Direct] (direct optimization through
// the arg max; for labelled examples the perturbed arg max z*(ε) is the
// label, i.e. direct loss minimization with the indicator loss) or with
// the [GSM] baseline (relaxed Gumbel-Softmax plus a weighted cross-entropy
// on labelled examples). Both implement [Estimator]; [Run] trains through
// the driver train.Fit uses (per-epoch atomic checkpoints, resume,
// interruption) and reports each epoch to [Recorder]s: semisup writes no
// file of its own beyond the run folder's, and does not depend on the
// plotting library. [Model.Evaluate] reports the NELBO with the sum over z_d
// exact and one Gaussian sample per component (an unbiased estimate of a
// valid bound on −log p(x)) and the accuracy of arg max h and of a Gumbel
// sample; [MajorityMap] scores unsupervised clusterings.
//
// The building blocks are nn's layers and its Gaussian kernels
// (nn.GaussianSample, nn.GaussianKL, nn.GaussianBackward); the data flow is
// data → encoder → h, (μ, log σ²) → arg max → z → decoder → loss →
// estimator → update, and no part reaches back upstream.
package semisup
