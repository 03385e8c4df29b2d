package train

import (
	"errors"
	"fmt"

	"github.com/argmaxvae/argmaxvae/nn"
)

// The functions in this file measure estimators against exact gradients
// for one categorical latent (cmd/figure1): the exact score gradients of
// the two parts of the negative ELBO, the closed-form expectation of the
// direct estimate, and the encoder-parameter gradient of any score
// gradient. They read the networks and use the VAE's buffers; they do not
// change the parameters.

// errNotOneLatent is returned for models that are not one categorical
// latent without interactions.
var errNotOneLatent = errors.New("train: exact gradients need one categorical latent without interactions")

// ExactScoreGradients returns, for a VAE with one categorical latent
// (B = x.Rows, q_b = softmax(h_b), F_bs = log p(x_b|s)), the gradients with
// respect to the encoder's scores h (B×K, new matrices) of the two parts
// of the batch's mean negative ELBO, both exact sums over the K states:
//
//	recon: −(1/B)·Σ_b E_q log p(x_b|z), row b: −q_bs·(F_bs − Σ_t q_bt F_bt)/B
//	kl:    (1/B)·Σ_b KL(q_b‖uniform),   row b: q_bs·(log q_bs − Σ_t q_bt log q_bt)/B
//
// Their sum is the score gradient [Exact] backpropagates.
func ExactScoreGradients(v *VAE, x nn.Mat) (recon, kl nn.Mat, err error) {
	if !v.oneLatent() {
		return nn.Mat{}, nn.Mat{}, errNotOneLatent
	}
	B, k := x.Rows, v.K
	scores := v.Scores(x)
	var c allCodes
	F := nn.NewMat(B, k)
	c.forward(v, x, F)
	recon, kl = nn.NewMat(B, k), nn.NewMat(B, k)
	exactTerms(scores, F, nn.NewMat(B, k), recon, make([]float32, B), make([]float64, k))
	klUnary(v, scores, 1, k, v.kl, kl, 1/float64(B))
	return recon, kl, nil
}

// DirectMean returns the expectation over the Gumbel noise of the score
// gradient (B×K, a new matrix) that a [Direct] step with KL mode mode and
// temperature eps backpropagates, for a VAE with one categorical latent.
// With every state perturbed by its own Gumbel variable, z* and z*(ε) are
// distributed as softmax(h) and softmax(h' + ε·F), so row b is
//
//	−(softmax(h'_b + ε·F_b) − softmax(h_b))/(ε·B)
//
// with h' = h for [KLNone] and [KLAnalytic] (which also adds the analytic
// KL gradient) and h' = (1−ε)·h for [KLFolded]. eps must be in
// (0, mode.MaxEps()].
func DirectMean(v *VAE, x nn.Mat, mode KLMode, eps float64) (nn.Mat, error) {
	if !v.oneLatent() {
		return nn.Mat{}, errNotOneLatent
	}
	if !(eps > 0) || eps > mode.MaxEps() {
		return nn.Mat{}, fmt.Errorf("train: DirectMean: ε = %v outside (0, %v] for the %s KL", eps, mode.MaxEps(), mode)
	}
	if mode < KLFolded || mode > KLAnalytic {
		return nn.Mat{}, fmt.Errorf("train: DirectMean: unknown %v", mode)
	}
	B, k := x.Rows, v.K
	scores := v.Scores(x)
	var c allCodes
	Fm := nn.NewMat(B, k)
	c.forward(v, x, Fm)
	out := nn.NewMat(B, k)
	shrink := 1.0
	if mode == KLFolded {
		shrink = 1 - eps
	}
	h, he := make([]float64, k), make([]float64, k)
	for b := 0; b < B; b++ {
		row, F, o := scores.Row(b), Fm.Row(b), out.Row(b)
		for s := 0; s < k; s++ {
			h[s] = float64(row[s])
			he[s] = shrink*h[s] + eps*float64(F[s])
		}
		nn.SoftmaxInPlace(h)
		nn.SoftmaxInPlace(he)
		for s := 0; s < k; s++ {
			o[s] = float32(-(he[s] - h[s]) / (eps * float64(B)))
		}
	}
	if mode == KLAnalytic {
		klUnary(v, scores, 1, k, v.kl, out, 1/float64(B))
	}
	return out, nil
}

// EncoderGradientOf returns the encoder-parameter gradient (flattened in
// [EncoderGradient]'s order) of the score gradient dw (x.Rows × the
// encoder's width): the encoder's backward pass at x. The encoder's
// parameter gradients are used as workspace and left zero.
func EncoderGradientOf(v *VAE, x, dw nn.Mat) []float64 {
	ps := v.Enc.Params()
	v.Enc.Forward(x)
	nn.ZeroGrad(ps)
	v.Enc.Backward(x, dw)
	g := EncoderGradient(v, nil)
	nn.ZeroGrad(ps)
	return g
}

// EncoderGradient appends the encoder's accumulated parameter gradients,
// parameter by parameter in v.Enc.Params() order, to dst as float64.
func EncoderGradient(v *VAE, dst []float64) []float64 {
	for _, p := range v.Enc.Params() {
		for _, g := range p.G {
			dst = append(dst, float64(g))
		}
	}
	return dst
}
