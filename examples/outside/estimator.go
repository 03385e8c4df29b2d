package main

import (
	"context"
	"math"
	"math/rand/v2"

	"github.com/argmaxvae/argmaxvae/nn"
	"github.com/argmaxvae/argmaxvae/train"
)

// readme:estimator

// MyDirect is an estimator of our own, written with train's exported step
// API only: direct optimization through the arg max in its reference form
// (the KL term's gradient ignored). The encoder's gradient is
// (φ(z*) − φ(z*(ε)))/ε with z* = argmax h + γ and z*(ε) = argmax h + γ + ε·f̃.
type MyDirect struct{}

func (MyDirect) Name() string { return "my-direct" }

func (MyDirect) Needs() train.Needs { // any structure; reads a temperature ε
	return train.Needs{Temperature: "ε", MaxTemp: math.Inf(1), AnnealEvery: 500}
}

func (MyDirect) Step(ctx context.Context, v *train.VAE, x nn.Mat, r *rand.Rand, eps float64) (train.Stats, error) {
	scores, zstar, err := v.SampleArgmax(ctx, x, r) // z* = argmax ⟨w(x) + γ, φ(z)⟩
	if err != nil {
		return train.Stats{}, err
	}
	F, err := v.LocalLogLik(x, zstar) // f̃: log p(x | z* with one variable changed)
	if err != nil {
		return train.Stats{}, err
	}
	for b, w := range v.Weights() { // w(x_b) + γ, to perturb in place
		for j, f := range F.Row(b) {
			w[j] += eps * float64(f)
		}
	}
	zeps, err := v.SolveAgain(ctx, x.Rows) // z*(ε)
	if err != nil {
		return train.Stats{}, err
	}
	f, err := v.DecodeBackwardLocal(x, zstar) // the decoder's gradient at z*
	if err != nil {
		return train.Stats{}, err
	}
	dw := v.GradBuffer() // B×Dim, zeroed
	g := float32(1 / (eps * float64(x.Rows)))
	if err := v.AddFeatures(zeps, -g, dw); err != nil {
		return train.Stats{}, err
	}
	if err := v.AddFeatures(zstar, g, dw); err != nil {
		return train.Stats{}, err
	}
	kl, err := v.UnaryKL(scores, nn.Mat{}, 0)
	if err != nil {
		return train.Stats{}, err
	}
	if err := v.EncoderBackward(x, dw); err != nil { // exactly once a step: dw = ∂(mean loss)/∂w
		return train.Stats{}, err
	}
	return train.MeanStats(f, kl), nil
}

// readme:end
