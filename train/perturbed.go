package train

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/argmaxvae/argmaxvae/nn"
)

// Perturbed is the perturbed-optimizer estimator (Berthet et al., NeurIPS
// 2020) on the VAE's own solver, for any structure: the decoder sees the mean
// ŷ of M solutions y_m = argmax ⟨w + σ·Z_m, φ⟩ (Gaussian Z_m on the unary
// block only, so a supermodular structure stays supermodular), and the
// encoder gets the Monte-Carlo Jacobian-vector product with a leave-one-out
// baseline; the temperature is σ and the unary KL is added analytically. It
// differentiates the loss of the smoothed solution, biased for finite M (12%
// low at M = 400 on the test's one-bit model). M solves per example a step.
// Derivation: docs/estimators.md#perturbed.
type Perturbed struct {
	M int // perturbed solves per example; 0 means 10

	z    []float64 // M×B×N·K noise
	ys   []int     // M×B×N solutions
	yhat nn.Mat    // B×N·K relaxed code
	dz   nn.Mat
}

// Name implements [Estimator].
func (*Perturbed) Name() string { return "perturbed" }

// Needs implements [Estimator]: any structure; temperature σ, annealed
// every 500 iterations by default.
func (*Perturbed) Needs() Needs {
	return Needs{Temperature: "σ", MaxTemp: inf, AnnealEvery: 500}
}

// check refuses M = 1 or negative: the baseline needs two solves.
func (p *Perturbed) check() error {
	if p.M != 0 && p.M < 2 {
		return fmt.Errorf("train: perturbed optimizer needs M ≥ 2 samples for its baseline (0 means 10), got %d", p.M)
	}
	return nil
}

// Step implements [Estimator]; sigma must be positive.
func (p *Perturbed) Step(ctx context.Context, v *VAE, x nn.Mat, r *rand.Rand, sigma float64) (Stats, error) {
	if err := checkStep(p.Name(), v, x, r); err != nil {
		return Stats{}, err
	}
	if err := p.check(); err != nil {
		return Stats{}, err
	}
	if !(sigma > 0) {
		return Stats{}, fmt.Errorf("train: perturbed optimizer needs σ > 0, got %v", sigma)
	}
	M := p.M
	if M == 0 {
		M = 10
	}
	B, n, k, nk := x.Rows, v.N, v.K, v.NK()
	scores, err := v.Scores(x)
	if err != nil {
		return Stats{}, err
	}
	if cap(p.z) < M*B*nk {
		p.z, p.ys = make([]float64, M*B*nk), make([]int, M*B*n)
	}
	p.z, p.ys = p.z[:M*B*nk], p.ys[:M*B*n]
	for i := range p.z {
		p.z[i] = r.NormFloat64()
	}
	nn.Resize(&p.yhat, B, nk)
	clear(p.yhat.Data[:B*nk])
	inv := float32(1) / float32(M)
	for m := 0; m < M; m++ {
		for b := 0; b < B; b++ {
			row, w, z := scores.Row(b), v.Weights()[b], p.z[(m*B+b)*nk:]
			for j := range w {
				w[j] = float64(row[j])
			}
			for j := 0; j < nk; j++ {
				w[j] += sigma * z[j]
			}
		}
		ym := p.ys[m*B*n : (m+1)*B*n]
		if err := v.SolveInto(ctx, ym); err != nil {
			return Stats{}, err
		}
		for b := 0; b < B; b++ {
			yr := p.yhat.Row(b)
			for i, s := range ym[b*n : (b+1)*n] {
				yr[i*k+s] += inv
			}
		}
	}
	nn.Resize(&p.dz, B, nk)
	f, err := v.DecodeBackwardCode(x, p.yhat, float32(1)/float32(B), p.dz) // dz = (1/B)·∂L_b/∂ŷ_b
	if err != nil {
		return Stats{}, err
	}
	ds := v.GradBuffer()
	for b := 0; b < B; b++ {
		dz, yh, g := p.dz.Row(b), p.yhat.Row(b), ds.Row(b)
		// ⟨dz, ŷ⟩·M, so that ⟨dz, ȳ₋ₘ⟩ = (M·⟨dz, ŷ⟩ − ⟨dz, y_m⟩)/(M−1).
		total := 0.0
		for j := range dz {
			total += float64(dz[j]) * float64(yh[j])
		}
		total *= float64(M)
		for m := 0; m < M; m++ {
			dy := 0.0
			for i, s := range p.ys[(m*B+b)*n : (m*B+b+1)*n] {
				dy += float64(dz[i*k+s])
			}
			coef := (dy - (total-dy)/float64(M-1)) / (float64(M) * sigma)
			z := p.z[(m*B+b)*nk : (m*B+b+1)*nk]
			for j := range z {
				g[j] += float32(coef * z[j])
			}
		}
	}
	kl, err := v.UnaryKL(scores, ds, 1/float64(B))
	if err != nil {
		return Stats{}, err
	}
	if err := v.EncoderBackward(x, ds); err != nil {
		return Stats{}, err
	}
	return MeanStats(f, kl), nil
}
