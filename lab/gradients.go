package lab

import (
	"errors"
	"fmt"
	"math"

	"github.com/argmaxvae/argmaxvae/nn"
	"github.com/argmaxvae/argmaxvae/train"
)

// The functions in this file measure estimators against exact gradients
// for one categorical latent (cmd/figure1): the exact score gradients of
// the two parts of the negative ELBO, the closed-form expectation of the
// direct estimate, and the encoder-parameter gradient of any score
// gradient. They use the VAE's step buffers and leave its parameters
// unchanged.

// errNotOneLatent is returned for models that are not one categorical
// latent without interactions.
var errNotOneLatent = errors.New("lab: exact gradients need one categorical latent without interactions")

// checkImages returns an error unless v is a VAE and x holds at least one
// finite image of v's width.
func checkImages(op string, v *train.VAE, x nn.Mat) error {
	if v == nil || v.Enc == nil || v.Dec == nil || v.S == nil {
		return fmt.Errorf("lab: %s: nil VAE, or one not made by train.NewVAE or train.ReadModel", op)
	}
	if d := v.Dec.D; x.Cols != d || x.Rows < 1 || x.Rows > len(x.Data)/max(x.Cols, 1) {
		return fmt.Errorf("lab: %s: %d×%d data (%d values), want at least one image of width %d", op, x.Rows, x.Cols, len(x.Data), d)
	}
	for i, p := range x.Data[:x.Rows*x.Cols] {
		if math.IsNaN(float64(p)) || math.IsInf(float64(p), 0) {
			return fmt.Errorf("lab: %s: pixel %d of example %d is %v", op, i%x.Cols, i/x.Cols, p)
		}
	}
	return nil
}

// oneLatent encodes x and returns the scores h (B×K) and F (B×K) with
// F[b,s] = log p(x_b|s), for a VAE with one categorical latent.
func oneLatent(op string, v *train.VAE, x nn.Mat) (scores, F nn.Mat, err error) {
	if err := checkImages(op, v, x); err != nil {
		return nn.Mat{}, nn.Mat{}, err
	}
	if v.N != 1 || v.S.Dim() != v.K {
		return nn.Mat{}, nn.Mat{}, errNotOneLatent
	}
	if scores, err = v.Scores(x); err != nil {
		return nn.Mat{}, nn.Mat{}, err
	}
	// With one latent, the neighbours of any code are all K states.
	if F, err = v.LocalLogLik(x, make([]int, x.Rows)); err != nil {
		return nn.Mat{}, nn.Mat{}, err
	}
	return scores, F, nil
}

// ExactScoreGradients returns, for a VAE with one categorical latent
// (B = x.Rows, q_b = softmax(h_b), F_bs = log p(x_b|s)), the gradients with
// respect to the encoder's scores h (B×K, new matrices) of the two parts
// of the batch's mean negative ELBO, both exact sums over the K states:
//
//	recon: −(1/B)·Σ_b E_q log p(x_b|z), row b: −q_bs·(F_bs − Σ_t q_bt F_bt)/B
//	kl:    (1/B)·Σ_b KL(q_b‖uniform),   row b: q_bs·(log q_bs − Σ_t q_bt log q_bt)/B
//
// Their sum is the score gradient train.Exact backpropagates. O(B·K·(D +
// hidden)).
func ExactScoreGradients(v *train.VAE, x nn.Mat) (recon, kl nn.Mat, err error) {
	scores, F, err := oneLatent("ExactScoreGradients", v, x)
	if err != nil {
		return nn.Mat{}, nn.Mat{}, err
	}
	B, k := x.Rows, v.K
	recon, kl = nn.NewMat(B, k), nn.NewMat(B, k)
	lq := make([]float64, k)
	for b := 0; b < B; b++ {
		nn.LogSoftmax(scores.Row(b)[:k], lq)
		Fb, r := F.Row(b), recon.Row(b)
		mean := 0.0
		for s := 0; s < k; s++ {
			mean += float64(float32(math.Exp(lq[s]))) * float64(Fb[s])
		}
		for s := 0; s < k; s++ {
			r[s] = float32(-float64(float32(math.Exp(lq[s]))) * (float64(Fb[s]) - mean) / float64(B))
		}
	}
	v.UnaryKL(scores, kl, 1/float64(B))
	return recon, kl, nil
}

// DirectMean returns the expectation over the Gumbel noise of the score
// gradient (B×K, a new matrix) that a train.Direct step with KL mode mode
// and temperature eps backpropagates, for a VAE with one categorical
// latent. With every state perturbed by its own Gumbel variable, z* and
// z*(ε) are distributed as softmax(h) and softmax(h' + ε·F), so row b is
//
//	−(softmax(h'_b + ε·F_b) − softmax(h_b))/(ε·B)
//
// with h' = h for KLNone and KLAnalytic (which also adds the analytic KL
// gradient) and h' = (1−ε)·h for KLFolded. eps must be in
// (0, mode.MaxEps()].
func DirectMean(v *train.VAE, x nn.Mat, mode train.KLMode, eps float64) (nn.Mat, error) {
	if !(eps > 0) || eps > mode.MaxEps() {
		return nn.Mat{}, fmt.Errorf("lab: DirectMean: ε = %v outside (0, %v] for the %s KL", eps, mode.MaxEps(), mode)
	}
	if mode < train.KLFolded || mode > train.KLAnalytic {
		return nn.Mat{}, fmt.Errorf("lab: DirectMean: unknown %v", mode)
	}
	scores, F, err := oneLatent("DirectMean", v, x)
	if err != nil {
		return nn.Mat{}, err
	}
	B, k := x.Rows, v.K
	out := nn.NewMat(B, k)
	shrink := 1.0
	if mode == train.KLFolded {
		shrink = 1 - eps
	}
	h, he := make([]float64, k), make([]float64, k)
	for b := 0; b < B; b++ {
		row, Fb, o := scores.Row(b), F.Row(b), out.Row(b)
		for s := 0; s < k; s++ {
			h[s] = float64(row[s])
			he[s] = shrink*h[s] + eps*float64(Fb[s])
		}
		nn.SoftmaxInPlace(h)
		nn.SoftmaxInPlace(he)
		for s := 0; s < k; s++ {
			o[s] = float32(-(he[s] - h[s]) / (eps * float64(B)))
		}
	}
	if mode == train.KLAnalytic {
		v.UnaryKL(scores, out, 1/float64(B))
	}
	return out, nil
}

// EncoderGradientOf returns the encoder-parameter gradient (flattened in
// [EncoderGradient]'s order) of the score gradient dw (x.Rows × the
// encoder's width): the encoder's backward pass at x. The encoder's
// parameter gradients are used as workspace and left zero. Images or a dw
// of the wrong shape are an error.
func EncoderGradientOf(v *train.VAE, x, dw nn.Mat) ([]float64, error) {
	if err := checkImages("EncoderGradientOf", v, x); err != nil {
		return nil, err
	}
	if w := v.Enc.Width; dw.Rows != x.Rows || dw.Cols != w || dw.Rows > len(dw.Data)/max(dw.Cols, 1) {
		return nil, fmt.Errorf("lab: EncoderGradientOf: a %d×%d score gradient for %d images, want %d×%d", dw.Rows, dw.Cols, x.Rows, x.Rows, w)
	}
	ps := v.Enc.Params()
	if _, err := v.Enc.Forward(x); err != nil {
		return nil, err
	}
	nn.ZeroGrad(ps)
	if err := v.Enc.Backward(x, dw); err != nil {
		return nil, err
	}
	g := EncoderGradient(v, nil)
	nn.ZeroGrad(ps)
	return g, nil
}

// EncoderGradient appends the encoder's accumulated parameter gradients,
// parameter by parameter in v.Enc.Params() order, to dst as float64 (a
// VAE without an encoder, nil say, has none to append).
func EncoderGradient(v *train.VAE, dst []float64) []float64 {
	if v == nil || v.Enc == nil || v.Enc.Net == nil {
		return dst
	}
	for _, p := range v.Enc.Params() {
		for _, g := range p.G {
			dst = append(dst, float64(g))
		}
	}
	return dst
}
