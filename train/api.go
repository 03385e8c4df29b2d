package train

import (
	"math/rand/v2"

	"github.com/argmaxvae/argmaxvae/nn"
)

// The methods in this file are the narrow API an estimator outside this
// package is written with (see the example in external_test.go): sample
// z*, change the perturbed weights and solve again, decode and
// backpropagate at a code, and backpropagate the encoder from dL/dw.
// Within one step call them in this order: SampleArgmax, then any of
// Weights/SolveAgain/LocalLogLik, then DecodeBackward, then
// EncoderBackward; the returned matrices and slices belong to the VAE and
// are valid until the next step.

// SampleArgmax encodes x, perturbs the unary scores with Gumbel noise from
// r and solves: it returns the encoder's scores w(x) (B×Dim) and
// z* = argmax ⟨w + γ, φ(z)⟩ (B×N, flat).
func (v *VAE) SampleArgmax(x nn.Mat, r *rand.Rand) (scores nn.Mat, zstar []int, err error) {
	scores, err = v.sample(x, r)
	return scores, v.zstar[:x.Rows*v.N], err
}

// Weights returns example b's perturbed weight vector (length Dim): after
// SampleArgmax it holds w + γ; an estimator may change it in place and
// call SolveAgain.
func (v *VAE) Weights(b int) []float64 { return v.w[b] }

// SolveAgain solves the current weight vectors of the batch (rows rows)
// and returns the codes (B×N, flat; a second buffer, z* is kept).
func (v *VAE) SolveAgain(rows int) ([]int, error) {
	err := v.solve(rows, v.zeps)
	return v.zeps[:rows*v.N], err
}

// LocalLogLik returns F (B×N·K) with F[b, i·K+s] = log p(x_b | z_b with
// variable i set to s): the decoder's local changes f̃ around z.
func (v *VAE) LocalLogLik(x nn.Mat, z []int) nn.Mat {
	v.Dec.Variants(x, z, v.F)
	return v.F
}

// DecodeBackward decodes the codes z (B×N), accumulates the decoder
// gradient of the mean loss −(1/B)·Σ_b log p(x_b|z_b), and returns
// log p(x_b|z_b) per example.
func (v *VAE) DecodeBackward(x nn.Mat, z []int) []float32 {
	v.decodeAndBackward(x, z)
	return v.f[:x.Rows]
}

// DecodeBackwardLocal is DecodeBackward for the z of the last LocalLogLik
// call, in the same step (before the parameters change): it reuses the
// decoder pass LocalLogLik made at z instead of decoding again (see
// decoder.Decoder.ForwardVariants); for any other z it is DecodeBackward.
func (v *VAE) DecodeBackwardLocal(x nn.Mat, z []int) []float32 {
	v.decodeVariantsAndBackward(x, z)
	return v.f[:x.Rows]
}

// AddFeatures adds scale·φ(z_b) to row b of dw for every example (z is
// B×N): the building block of (φ(z*(ε)) − φ(z*))/ε.
func (v *VAE) AddFeatures(z []int, scale float32, dw nn.Mat) {
	for b := 0; b < dw.Rows; b++ {
		v.S.AddFeatures(z[b*v.N:(b+1)*v.N], scale, dw.Row(b))
	}
}

// GradBuffer returns a zeroed B×Dim matrix owned by the VAE for dL/dw.
func (v *VAE) GradBuffer(rows int) nn.Mat {
	g := v.dscores.Slice(0, rows)
	clear(g.Data[:rows*g.Cols])
	return g
}

// UnaryKL returns KL(q‖uniform) of the unary factors for each example
// (q the product of per-variable softmaxes of the unary scores), adding
// scale times its gradient to grad when grad has rows.
func (v *VAE) UnaryKL(scores nn.Mat, grad nn.Mat, scale float64) []float64 {
	klUnary(v, scores, v.N, v.K, v.kl[:scores.Rows], grad, scale)
	return v.kl[:scores.Rows]
}

// EncoderBackward accumulates the encoder's parameter gradients from dw,
// the gradient of the loss with respect to the scores SampleArgmax
// returned, for the same x.
func (v *VAE) EncoderBackward(x, dw nn.Mat) { v.Enc.Backward(x, dw) }

// MeanStats averages −f and the KL over the batch into [Stats].
func MeanStats(f []float32, kl []float64) Stats { return meanStats(f, kl) }
