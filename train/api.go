package train

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/argmaxvae/argmaxvae/decoder"
	"github.com/argmaxvae/argmaxvae/nn"
)

// The methods in this file are the step API: every estimator, in this
// package or outside it, is written with them alone (and the exported
// fields Enc, Dec, S, N, K). A step encodes x (Scores, or SampleArgmax,
// which also perturbs with Gumbel noise and solves for z*), may change the
// per-example weights and solve again (Weights, Solve, SolveAgain,
// SolveInto), evaluates the decoder around a code (LocalLogLik), decodes
// and backpropagates at a code (DecodeBackward, DecodeBackwardLocal,
// DecodeBackwardCode), and ends with exactly one EncoderBackward of dL/dw,
// built in GradBuffer with AddFeatures and UnaryKL. The returned matrices
// and slices belong to the VAE and are valid until the next call that
// sizes the same buffer (the next step, for most); none of the methods is
// safe for concurrent use.

// Scores encodes x and returns the encoder's scores w(x) (B×Dim, B =
// x.Rows); it sizes the step's buffers for B examples and loads each
// example's weight vector (see [VAE.Weights]) with its scores. x must
// have the decoder's width (the Trainer and each estimator's Step check
// it; SampleArgmax returns an error); O(B·encoder).
func (v *VAE) Scores(x nn.Mat) nn.Mat {
	v.sizeEncode(x.Rows)
	scores := v.Enc.Forward(x)
	for b := 0; b < x.Rows; b++ {
		row, w := scores.Row(b), v.w[b]
		for j, s := range row {
			w[j] = float64(s)
		}
	}
	return scores
}

// SampleArgmax encodes x, perturbs the unary scores with Gumbel noise from
// r (row by row) and solves: it returns the encoder's scores w(x) (B×Dim)
// and z* = argmax ⟨w + γ, φ(z)⟩ (B×N, flat). Afterwards Weights(b) holds
// w + γ. Like every method that solves, it checks ctx between rounds of
// solves (about 0.1 s each, one solve per worker at least) and returns
// ctx's error once it is cancelled. A batch of another width is an error.
func (v *VAE) SampleArgmax(ctx context.Context, x nn.Mat, r *rand.Rand) (scores nn.Mat, zstar []int, err error) {
	if d := v.Dec.D; x.Cols != d || len(x.Data) < x.Rows*x.Cols {
		return nn.Mat{}, nil, fmt.Errorf("train: SampleArgmax: a %d×%d batch (%d values), want images of width %d", x.Rows, x.Cols, len(x.Data), d)
	}
	scores, err = v.sample(ctx, x, r)
	return scores, v.zstar[:x.Rows*v.N], err
}

// Weights returns example b's weight vector (length Dim, float64): the
// scores after [VAE.Scores], w + γ after [VAE.SampleArgmax]. An estimator
// may change it in place and solve again.
func (v *VAE) Weights(b int) []float64 { return v.w[b] }

// Solve solves the weight vectors of examples 0…rows−1 into the VAE's z*
// buffer (the one SampleArgmax fills) and returns it (rows×N, flat).
func (v *VAE) Solve(ctx context.Context, rows int) ([]int, error) {
	err := v.solve(ctx, rows, v.zstar)
	return v.zstar[:rows*v.N], err
}

// SolveAgain solves the weight vectors of examples 0…rows−1 into a second
// code buffer, keeping z*, and returns it (rows×N, flat): z*(ε) for the
// direct estimator.
func (v *VAE) SolveAgain(ctx context.Context, rows int) ([]int, error) {
	err := v.solve(ctx, rows, v.zeps)
	return v.zeps[:rows*v.N], err
}

// SolveInto solves the weight vectors of examples 0…len(dst)/N−1 into dst,
// a buffer the caller owns (several solutions per step, say).
func (v *VAE) SolveInto(ctx context.Context, dst []int) error {
	rows := len(dst) / v.N
	if rows*v.N != len(dst) || rows > len(v.w) {
		return fmt.Errorf("train: SolveInto: %d values for %d examples of %d latents", len(dst), len(v.w), v.N)
	}
	return v.solve(ctx, rows, dst)
}

// LocalLogLik returns F (B×N·K) with F[b, i·K+s] = log p(x_b | z^{(i,s)}_b),
// z^{(i,s)} the neighbour of z_b with latent i in state s: the decoder's
// local changes f̃ around z. The neighbour is z_b with latent i set to s
// (decoder.Variants, one pass for all of them), unless the structure is an
// [argmax.Neighbourhood], which then supplies a feasible neighbour (each
// is decoded: B·N·K decoder rows); where it has none, F holds f(x_b, z_b).
func (v *VAE) LocalLogLik(x nn.Mat, z []int) nn.Mat {
	nn.Resize(&v.vars, x.Rows, v.NK())
	if nb, ok := v.S.(argmax.Neighbourhood); ok {
		v.local = false
		v.neighbourLogLik(nb, x, z, v.vars)
		return v.vars
	}
	v.Dec.Variants(x, z, v.vars)
	v.local = true
	return v.vars
}

// DecodeBackward decodes the codes z (B×N, flat), accumulates the decoder
// gradient of the mean loss −(1/B)·Σ_b log p(x_b|z_b) and returns
// log p(x_b|z_b) per example. When dcode has data (B×N·K) it is set to the
// gradient of the mean loss with respect to the decoder's one-hot input.
// x may have more rows than the step's examples (two samples each, say).
func (v *VAE) DecodeBackward(x nn.Mat, z []int, dcode nn.Mat) []float32 {
	v.decodeAndBackward(x, z, dcode)
	return v.f[:x.Rows]
}

// DecodeBackwardLocal is DecodeBackward (without dcode) for the z of the
// last LocalLogLik call, in the same step (before the parameters change):
// it reuses the decoder pass LocalLogLik made at z instead of decoding
// again (see decoder.Decoder.ForwardVariants); for any other z it is
// DecodeBackward.
func (v *VAE) DecodeBackwardLocal(x nn.Mat, z []int) []float32 {
	if !v.local {
		return v.DecodeBackward(x, z, nn.Mat{})
	}
	v.local = false
	v.decodeVariantsAndBackward(x, z)
	return v.f[:x.Rows]
}

// DecodeBackwardCode decodes code (rows×N·K: one-hot or relaxed codes),
// accumulates the decoder gradient of weight·Σ_b −log p(x_b|code_b)
// (weight 1/rows is the mean loss) and returns log p(x_b|code_b). When
// dcode has data it is set to that loss's gradient with respect to code.
func (v *VAE) DecodeBackwardCode(x, code nn.Mat, weight float32, dcode nn.Mat) []float32 {
	v.sizeDecode(x.Rows)
	v.backwardAt(x, code, v.Dec.Forward(code), dcode, -weight)
	return v.f[:x.Rows]
}

// LogLikAll sets F (resized to B×C) to log p(x_b|z_c) for every example
// b of x and every code c of z (C×N, flat): codes shared by all examples,
// each decoded once, in chunks of 4096, so that f for the whole batch is
// one product x·L_zᵀ − Σ_d softplus(L_z,d) per chunk. It leaves the
// decoder's activations at the last chunk (no gradient).
// O(C·hidden·(N·K + D) + B·C·D).
func (v *VAE) LogLikAll(x nn.Mat, z []int, F *nn.Mat) {
	B, n, nk, C := x.Rows, v.N, v.NK(), len(z)/v.N
	nn.Resize(F, B, C)
	a := &v.all
	a.sp = grow(a.sp, min(C, allChunk))
	for c0 := 0; c0 < C; c0 += allChunk {
		cc := min(allChunk, C-c0)
		nn.Resize(&a.onehot, cc, nk)
		decoder.OneHot(z[c0*n:(c0+cc)*n], n, v.K, a.onehot)
		logits := v.Dec.Forward(a.onehot)
		sp := a.sp[:cc]
		nn.SoftplusRows(logits, nil, sp)
		nn.Resize(&a.fc, B, cc)
		nn.Gemm(false, true, 1, x, logits, 0, a.fc)
		for b := 0; b < B; b++ {
			src, dst := a.fc.Row(b), F.Row(b)[c0:c0+cc]
			for c := range dst {
				dst[c] = src[c] - sp[c]
			}
		}
	}
}

// allChunk is the number of codes LogLikAll decodes at once.
const allChunk = 4096

// allBuf is LogLikAll's scratch.
type allBuf struct {
	onehot, fc nn.Mat
	sp         []float32
}

// AddFeatures adds scale·φ(z_b) to row b of dw for every row (z is
// rows×N): the building block of (φ(z*(ε)) − φ(z*))/ε.
func (v *VAE) AddFeatures(z []int, scale float32, dw nn.Mat) {
	for b := 0; b < dw.Rows; b++ {
		v.S.AddFeatures(z[b*v.N:(b+1)*v.N], scale, dw.Row(b))
	}
}

// GradBuffer returns a zeroed rows×Dim matrix owned by the VAE for dL/dw.
func (v *VAE) GradBuffer(rows int) nn.Mat {
	g := v.dscores.Slice(0, rows)
	clear(g.Data[:rows*g.Cols])
	return g
}

// UnaryKL returns KL(q‖uniform) of the unary factors for each row of
// scores (q the product of per-variable softmaxes of the unary scores),
// adding scale times its gradient to grad when grad has data.
// O(rows·N·K).
func (v *VAE) UnaryKL(scores nn.Mat, grad nn.Mat, scale float64) []float64 {
	v.kl = grow(v.kl, scores.Rows)
	klUnary(v, scores, v.N, v.K, v.kl, grad, scale)
	return v.kl
}

// EncoderBackward accumulates the encoder's parameter gradients from dw,
// the gradient of the loss with respect to the scores of the last
// Scores/SampleArgmax call, for the same x. Every step calls it exactly
// once, last; [VAE.ScoreGrad] returns dw afterwards.
func (v *VAE) EncoderBackward(x, dw nn.Mat) {
	v.Enc.Backward(x, dw)
	v.grad = dw
}

// ScoreGrad returns the dw of the last EncoderBackward call (B×Dim): the
// gradient of the step's mean loss with respect to the encoder's output,
// the estimate an estimator makes. Valid until the next step.
func (v *VAE) ScoreGrad() nn.Mat { return v.grad }

// MeanStats averages −f and the KL over the batch into [Stats].
func MeanStats(f []float32, kl []float64) Stats { return meanStats(f, kl) }

// nbrBuf is LocalLogLik's scratch for a structure's own neighbourhood.
type nbrBuf struct {
	codes      []int // chunk×N neighbour codes
	onehot, xs nn.Mat
	f          []float32
	target     []int // b·N·K + i·K + s of each chunk row
}

// nbrChunk is the number of neighbour codes decoded at once.
const nbrChunk = 2048

// neighbourLogLik sets F[b, i·K+s] to log p(x_b|nb.Neighbour(z_b, i, s)),
// decoding nbrChunk neighbours at a time. O(B·N·K·(N + hidden·(N·K + D))).
func (v *VAE) neighbourLogLik(nb argmax.Neighbourhood, x nn.Mat, z []int, F nn.Mat) {
	n, k, nk, d := v.N, v.K, v.NK(), x.Cols
	c := &v.nbr
	c.codes = grow(c.codes, nbrChunk*n)
	c.target, c.f = grow(c.target, nbrChunk), grow(c.f, nbrChunk)
	rows := 0
	flush := func() {
		if rows == 0 {
			return
		}
		nn.Resize(&c.onehot, rows, nk)
		nn.Resize(&c.xs, rows, d)
		decoder.OneHot(c.codes[:rows*n], n, k, c.onehot)
		for r := 0; r < rows; r++ {
			copy(c.xs.Row(r), x.Row(c.target[r]/nk))
		}
		nn.BernoulliLogLik(c.xs, v.Dec.Forward(c.onehot), c.f[:rows])
		for r := 0; r < rows; r++ {
			F.Data[c.target[r]] = c.f[r]
		}
		rows = 0
	}
	for b := 0; b < x.Rows; b++ {
		zb := z[b*n : (b+1)*n]
		for i := 0; i < n; i++ {
			for s := 0; s < k; s++ {
				dst := c.codes[rows*n : (rows+1)*n]
				if !nb.Neighbour(zb, i, s, dst) {
					copy(dst, zb)
				}
				c.target[rows] = b*nk + i*k + s
				rows++
				if rows == nbrChunk {
					flush()
				}
			}
		}
	}
	flush()
}
