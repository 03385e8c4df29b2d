package train

import (
	"context"
	"errors"
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
// safe for concurrent use. Every method that takes data checks its shape
// (and states, in O(B·N)) and returns an error naming what is wrong; none
// panics on bad input.

// Scores encodes x and returns the encoder's scores w(x) (B×Dim, B =
// x.Rows); it sizes the step's buffers for B examples and loads each
// example's weight vector (see [VAE.Weights]) with its scores. A batch of
// another width is an error. O(B·encoder).
func (v *VAE) Scores(x nn.Mat) (nn.Mat, error) {
	if err := v.checkX("Scores", x); err != nil {
		return nn.Mat{}, err
	}
	v.sizeEncode(x.Rows)
	scores, err := v.Enc.Forward(x)
	if err != nil {
		return nn.Mat{}, err
	}
	for b := 0; b < x.Rows; b++ {
		row, w := scores.Row(b), v.w[b]
		for j, s := range row {
			w[j] = float64(s)
		}
	}
	return scores, nil
}

// SampleArgmax encodes x, perturbs the unary scores with Gumbel noise from
// r (row by row) and solves: it returns the encoder's scores w(x) (B×Dim)
// and z* = argmax ⟨w + γ, φ(z)⟩ (B×N, flat). Afterwards Weights() holds
// w + γ. Like every method that solves, it checks ctx between rounds of
// solves (about 0.1 s each, one solve per worker at least) and returns
// ctx's error once it is cancelled. A batch of another width is an error.
func (v *VAE) SampleArgmax(ctx context.Context, x nn.Mat, r *rand.Rand) (scores nn.Mat, zstar []int, err error) {
	if err := v.checkX("SampleArgmax", x); err != nil {
		return nn.Mat{}, nil, err
	}
	if r == nil {
		return nn.Mat{}, nil, fmt.Errorf("train: SampleArgmax: nil random generator (the Gumbel noise is drawn from it)")
	}
	scores, err = v.sample(ctx, x, r)
	if err != nil {
		return nn.Mat{}, nil, err
	}
	return scores, v.zstar[:x.Rows*v.N], nil
}

// Weights returns the weight vectors of the step's examples, one per row
// of the x given to the last [VAE.Scores] or [VAE.SampleArgmax] (each of
// length Dim, float64): the scores after Scores, w + γ after
// SampleArgmax. An estimator may change them in place and solve again:
// the Solve methods read exactly these vectors (one replaced by a vector
// of another length is the solver's error). They are valid until the next
// Scores or SampleArgmax.
func (v *VAE) Weights() [][]float64 { return v.w }

// Solve solves the weight vectors of examples 0…rows−1 into the VAE's z*
// buffer (the one SampleArgmax fills) and returns it (rows×N, flat). rows
// outside [0, examples of the step] is an error.
func (v *VAE) Solve(ctx context.Context, rows int) ([]int, error) {
	if err := v.checkRows("Solve", rows); err != nil {
		return nil, err
	}
	err := v.solve(ctx, rows, v.zstar)
	return v.zstar[:rows*v.N], err
}

// SolveAgain solves the weight vectors of examples 0…rows−1 into a second
// code buffer, keeping z*, and returns it (rows×N, flat): z*(ε) for the
// direct estimator. rows outside [0, examples of the step] is an error.
func (v *VAE) SolveAgain(ctx context.Context, rows int) ([]int, error) {
	if err := v.checkRows("SolveAgain", rows); err != nil {
		return nil, err
	}
	err := v.solve(ctx, rows, v.zeps)
	return v.zeps[:rows*v.N], err
}

// SolveInto solves the weight vectors of examples 0…len(dst)/N−1 into dst,
// a buffer the caller owns (several solutions per step, say).
func (v *VAE) SolveInto(ctx context.Context, dst []int) error {
	if err := v.usable(); err != nil {
		return err
	}
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
// z must hold B·N states in [0, K).
func (v *VAE) LocalLogLik(x nn.Mat, z []int) (nn.Mat, error) {
	if err := v.checkCodes("LocalLogLik", x, z); err != nil {
		if v != nil {
			v.local = false
		}
		return nn.Mat{}, err
	}
	v.local = false
	nn.Resize(&v.vars, x.Rows, v.NK())
	if nb, ok := v.S.(argmax.Neighbourhood); ok {
		if err := v.neighbourLogLik(nb, x, z, v.vars); err != nil {
			return nn.Mat{}, err
		}
		return v.vars, nil
	}
	if err := v.Dec.Variants(x, z, v.vars); err != nil {
		return nn.Mat{}, err
	}
	v.local = true
	return v.vars, nil
}

// DecodeBackward decodes the codes z (B×N, flat), accumulates the decoder
// gradient of the mean loss −(1/B)·Σ_b log p(x_b|z_b) and returns
// log p(x_b|z_b) per example. When dcode has data (B×N·K) it is set to the
// gradient of the mean loss with respect to the decoder's one-hot input.
// x may have more rows than the step's examples (two samples each, say);
// z must hold x.Rows·N states in [0, K).
func (v *VAE) DecodeBackward(x nn.Mat, z []int, dcode nn.Mat) ([]float32, error) {
	if err := v.checkCodes("DecodeBackward", x, z); err != nil {
		return nil, err
	}
	if err := v.decodeAndBackward(x, z, dcode); err != nil {
		return nil, err
	}
	return v.f[:x.Rows], nil
}

// DecodeBackwardLocal is DecodeBackward (without dcode) for the z of the
// last LocalLogLik call, in the same step (before the parameters change):
// it reuses the decoder pass LocalLogLik made at z instead of decoding
// again (see decoder.Decoder.ForwardVariants); for any other z it is
// DecodeBackward.
func (v *VAE) DecodeBackwardLocal(x nn.Mat, z []int) ([]float32, error) {
	if err := v.usable(); err != nil {
		return nil, err
	}
	if !v.local {
		return v.DecodeBackward(x, z, nn.Mat{})
	}
	v.local = false
	if err := v.checkCodes("DecodeBackwardLocal", x, z); err != nil {
		return nil, err
	}
	if err := v.decodeVariantsAndBackward(x, z); err != nil {
		return nil, err
	}
	return v.f[:x.Rows], nil
}

// DecodeBackwardCode decodes code (rows×N·K: one-hot or relaxed codes),
// accumulates the decoder gradient of weight·Σ_b −log p(x_b|code_b)
// (weight 1/rows is the mean loss) and returns log p(x_b|code_b). When
// dcode has data it is set to that loss's gradient with respect to code.
// code must have x's rows.
func (v *VAE) DecodeBackwardCode(x, code nn.Mat, weight float32, dcode nn.Mat) ([]float32, error) {
	if err := v.checkX("DecodeBackwardCode", x); err != nil {
		return nil, err
	}
	if code.Rows != x.Rows {
		return nil, fmt.Errorf("train: DecodeBackwardCode: %d codes for %d images", code.Rows, x.Rows)
	}
	logits, err := v.Dec.Forward(code)
	if err != nil {
		return nil, fmt.Errorf("train: DecodeBackwardCode: %w", err)
	}
	v.sizeDecode(x.Rows)
	if err := v.backwardAt(x, code, logits, dcode, -weight); err != nil {
		return nil, err
	}
	return v.f[:x.Rows], nil
}

// LogLikAll sets F (resized to B×C) to log p(x_b|z_c) for every example
// b of x and every code c of z (C×N, flat): codes shared by all examples,
// each decoded once, in chunks of 4096, so that f for the whole batch is
// one product x·L_zᵀ − Σ_d softplus(L_z,d) per chunk. It leaves the
// decoder's activations at the last chunk (no gradient). z must hold a
// multiple of N states in [0, K), and F must not be nil.
// O(C·hidden·(N·K + D) + B·C·D).
func (v *VAE) LogLikAll(x nn.Mat, z []int, F *nn.Mat) error {
	if err := v.checkX("LogLikAll", x); err != nil {
		return err
	}
	if F == nil {
		return fmt.Errorf("train: LogLikAll: nil F (the B×C result goes there)")
	}
	if len(z)%v.N != 0 {
		return fmt.Errorf("train: LogLikAll: %d states, not a whole number of codes of %d latents", len(z), v.N)
	}
	if err := checkStates("LogLikAll", z, v.N, v.K); err != nil {
		return err
	}
	B, n, nk, C := x.Rows, v.N, v.NK(), len(z)/v.N
	nn.Resize(F, B, C)
	a := &v.all
	a.sp = grow(a.sp, min(C, allChunk))
	for c0 := 0; c0 < C; c0 += allChunk {
		cc := min(allChunk, C-c0)
		nn.Resize(&a.onehot, cc, nk)
		if err := decoder.OneHot(z[c0*n:(c0+cc)*n], n, v.K, a.onehot); err != nil {
			return err
		}
		logits, err := v.Dec.Forward(a.onehot)
		if err != nil {
			return err
		}
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
	return nil
}

// allChunk is the number of codes LogLikAll decodes at once.
const allChunk = 4096

// allBuf is LogLikAll's scratch.
type allBuf struct {
	onehot, fc nn.Mat
	sp         []float32
}

// AddFeatures adds scale·φ(z_b) to row b of dw for every row (z is
// rows×N, states in [0, K); dw is rows×Dim): the building block of
// (φ(z*(ε)) − φ(z*))/ε. Other shapes or states are an error.
// O(rows·(N + the structure's features)).
func (v *VAE) AddFeatures(z []int, scale float32, dw nn.Mat) error {
	if err := v.usable(); err != nil {
		return err
	}
	if dw.Rows < 0 || dw.Cols != v.S.Dim() || dw.Rows > len(dw.Data)/max(dw.Cols, 1) {
		return fmt.Errorf("train: AddFeatures: dw is %d×%d with %d values, want rows×%d", dw.Rows, dw.Cols, len(dw.Data), v.S.Dim())
	}
	if len(z) != dw.Rows*v.N {
		return fmt.Errorf("train: AddFeatures: %d states for %d rows of %d latents, want %d", len(z), dw.Rows, v.N, dw.Rows*v.N)
	}
	if err := checkStates("AddFeatures", z, v.N, v.K); err != nil {
		return err
	}
	for b := 0; b < dw.Rows; b++ {
		v.S.AddFeatures(z[b*v.N:(b+1)*v.N], scale, dw.Row(b))
	}
	return nil
}

// GradBuffer returns a zeroed B×Dim matrix owned by the VAE for dL/dw, B
// the examples of the step (the rows of the x given to the last
// [VAE.Scores] or [VAE.SampleArgmax]).
func (v *VAE) GradBuffer() nn.Mat {
	g := v.dscores.Slice(0, len(v.w))
	clear(g.Data[:g.Rows*g.Cols])
	return g
}

// UnaryKL returns KL(q‖uniform) of the unary factors for each row of
// scores (q the product of per-variable softmaxes of the unary scores),
// adding scale times its gradient to grad when grad has data. scores (and
// grad, when it has data) must be rows×Dim. O(rows·N·K).
func (v *VAE) UnaryKL(scores nn.Mat, grad nn.Mat, scale float64) ([]float64, error) {
	if err := v.usable(); err != nil {
		return nil, err
	}
	dim := v.S.Dim()
	if scores.Rows < 0 || scores.Cols != dim || scores.Rows > len(scores.Data)/max(dim, 1) {
		return nil, fmt.Errorf("train: UnaryKL: scores are %d×%d with %d values, want rows×%d", scores.Rows, scores.Cols, len(scores.Data), dim)
	}
	if grad.Data != nil && (grad.Rows != scores.Rows || grad.Cols != dim || grad.Rows > len(grad.Data)/max(dim, 1)) {
		return nil, fmt.Errorf("train: UnaryKL: grad is %d×%d with %d values, want %d×%d", grad.Rows, grad.Cols, len(grad.Data), scores.Rows, dim)
	}
	v.kl = grow(v.kl, scores.Rows)
	klUnary(v, scores, v.N, v.K, v.kl, grad, scale)
	return v.kl, nil
}

// EncoderBackward accumulates the encoder's parameter gradients from dw,
// the gradient of the loss with respect to the scores of the last
// Scores/SampleArgmax call, for the same x. Every step calls it exactly
// once, last; [VAE.ScoreGrad] returns dw afterwards. An x or dw of
// another shape than that encoding's is an error.
func (v *VAE) EncoderBackward(x, dw nn.Mat) error {
	if err := v.usable(); err != nil {
		return err
	}
	if err := v.Enc.Backward(x, dw); err != nil {
		return fmt.Errorf("train: EncoderBackward: %w", err)
	}
	v.grad = dw
	return nil
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
// A neighbour with a state out of range is an error naming the structure.
func (v *VAE) neighbourLogLik(nb argmax.Neighbourhood, x nn.Mat, z []int, F nn.Mat) error {
	n, k, nk, d := v.N, v.K, v.NK(), x.Cols
	c := &v.nbr
	c.codes = grow(c.codes, nbrChunk*n)
	c.target, c.f = grow(c.target, nbrChunk), grow(c.f, nbrChunk)
	rows := 0
	flush := func() error {
		if rows == 0 {
			return nil
		}
		nn.Resize(&c.onehot, rows, nk)
		nn.Resize(&c.xs, rows, d)
		if err := decoder.OneHot(c.codes[:rows*n], n, k, c.onehot); err != nil {
			return fmt.Errorf("train: a neighbour from %s: %w", v.S.Name(), err)
		}
		for r := 0; r < rows; r++ {
			copy(c.xs.Row(r), x.Row(c.target[r]/nk))
		}
		logits, err := v.Dec.Forward(c.onehot)
		if err != nil {
			return err
		}
		nn.BernoulliLogLik(c.xs, logits, c.f[:rows])
		for r := 0; r < rows; r++ {
			F.Data[c.target[r]] = c.f[r]
		}
		rows = 0
		return nil
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
					if err := flush(); err != nil {
						return err
					}
				}
			}
		}
	}
	return flush()
}

// usable returns an error for a nil VAE or one that NewVAE or ReadModel
// did not make (a zero VAE{}, say), whose methods would find no networks,
// structure or solvers. O(1).
func (v *VAE) usable() error {
	if v == nil || v.batch == nil || v.Enc == nil || v.Dec == nil || v.S == nil {
		return errors.New("train: the VAE is nil or was not made by NewVAE or ReadModel")
	}
	return nil
}

// checkX returns an error unless x is a batch of images of the decoder's
// width (any number of rows, Data as long as the shape). O(1).
func (v *VAE) checkX(method string, x nn.Mat) error {
	if err := v.usable(); err != nil {
		return err
	}
	if d := v.Dec.D; x.Rows < 0 || x.Cols != d || x.Rows > len(x.Data)/max(x.Cols, 1) {
		return fmt.Errorf("train: %s: a %d×%d batch (%d values), want images of width %d", method, x.Rows, x.Cols, len(x.Data), d)
	}
	return nil
}

// checkCodes returns an error unless x is a batch of the decoder's width
// and z holds x.Rows codes of N states in [0, K). O(B·N).
func (v *VAE) checkCodes(method string, x nn.Mat, z []int) error {
	if err := v.checkX(method, x); err != nil {
		return err
	}
	if len(z) != x.Rows*v.N {
		return fmt.Errorf("train: %s: %d states for %d images of %d latents, want %d", method, len(z), x.Rows, v.N, x.Rows*v.N)
	}
	return checkStates(method, z, v.N, v.K)
}

// checkRows returns an error unless 0 ≤ rows ≤ the step's examples.
func (v *VAE) checkRows(method string, rows int) error {
	if err := v.usable(); err != nil {
		return err
	}
	if rows < 0 || rows > len(v.w) {
		return fmt.Errorf("train: %s: %d rows, the step has %d examples (see Scores, SampleArgmax)", method, rows, len(v.w))
	}
	return nil
}

// checkStates returns an error naming the first state of z (codes of n
// latents) outside [0, k). O(len(z)).
func checkStates(method string, z []int, n, k int) error {
	for j, s := range z {
		if s < 0 || s >= k {
			return fmt.Errorf("train: %s: state %d of latent %d in code %d outside [0, %d)", method, s, j%n, j/n, k)
		}
	}
	return nil
}
