// Command semisup trains the paper's semi-supervised VAE (Section 4.2 and
// Table 2): a discrete latent z_d ∈ {0..9} and, per component, a
// 20-dimensional Gaussian z_c, on MNIST or Fashion-MNIST (binarized at
// 0.5) with -labels class-balanced labelled training images (0: fully
// unsupervised). The discrete latent trains with -estimator direct (direct
// optimization; labelled examples set z*(ε) to their label) or gsm
// (relaxed Gumbel-Softmax plus α·cross-entropy on labelled examples).
//
//	go run ./cmd/semisup -data mnist -labels 100 -estimator direct
//
// Schedule: every step takes -batch unlabelled images (every training image,
// once per epoch) and -label-batch labelled ones cycled in a fresh order
// each epoch; ε (or τ) anneals from 1 to 0.1 at -anneal per step
// (updated every 1000 steps).
//
// It writes OUT/config.json, OUT/metrics.csv (per epoch: training loss,
// validation NELBO on the first 1000 images, accuracies on the whole test
// set — arg max of h, a Gumbel sample, and after the majority mapping of
// components to classes learnt on the validation set — and the test NELBO
// at the last epoch), OUT/checkpoint.bin (continue with -resume),
// OUT/curves.png, OUT/summary.json and OUT/figure4.png (15 fixed Gaussian
// draws × the 10 components).
package main

import (
	"github.com/argmaxvae/argmaxvae/internal/cli"
	"github.com/argmaxvae/argmaxvae/internal/semirun"
)

func main() { cli.Main("semisup", semirun.Run) }
