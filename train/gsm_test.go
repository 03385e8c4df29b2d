package train

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/argmaxvae/argmaxvae/nn"
)

// stSurrogate is the straight-through Gumbel-Softmax objective written out
// independently of gsm.go, for fixed Gumbel noise γ (B×N·K), hard sample z
// (B×N) and relaxed sample y0 at the parameters where the gradient is
// taken:
//
//	F = (1/B)·Σ_b −log p(x_b | dec(onehot(z_b) + y_b − y0_b)) + KL(q(·|x_b) ‖ uniform),
//
// with y_b = softmax((h_b + γ_b)/τ) per latent, h_b the encoder's scores.
// At the parameters where y = y0 the decoder sees exactly the one-hot
// sample, so F is the hard loss, its derivative for the decoder's
// parameters is the decoder gradient at the hard sample, and its
// derivative for the encoder's flows through y as if the decoder had seen
// y: the straight-through gradient (y0 plays the stop-gradient).
func stSurrogate(v *VAE, x nn.Mat, noise []float64, z []int, y0 []float64, tau float64) float64 {
	B, n, k := x.Rows, v.N, v.K
	nk := n * k
	scores := must(v.Enc.Forward(x))
	y := relaxedSample(scores, noise, n, k, tau)
	in := nn.NewMat(B, nk)
	kl := 0.0
	for b := 0; b < B; b++ {
		for i := 0; i < n; i++ {
			for s := 0; s < k; s++ {
				j := b*nk + i*k + s
				oh := 0.0
				if z[b*n+i] == s {
					oh = 1
				}
				in.Data[j] = float32(oh + y[j] - y0[j])
			}
			// KL(q ‖ uniform) = Σ_s q_s log q_s + log K, q = softmax(h).
			h := scores.Row(b)[i*k : (i+1)*k]
			mx := math.Inf(-1)
			for _, hs := range h {
				mx = math.Max(mx, float64(hs))
			}
			lse := 0.0
			for _, hs := range h {
				lse += math.Exp(float64(hs) - mx)
			}
			lse = mx + math.Log(lse)
			for _, hs := range h {
				lq := float64(hs) - lse
				kl += math.Exp(lq) * lq
			}
			kl += math.Log(float64(k))
		}
	}
	logits := must(v.Dec.Forward(in))
	rec := 0.0
	for b := 0; b < B; b++ {
		rec -= nn.BernoulliLogLikRow(x.Row(b), logits.Row(b), nil)
	}
	return (rec + kl) / float64(B)
}

// relaxedSample returns softmax((h + γ)/τ) per latent, B×N·K flat.
func relaxedSample(scores nn.Mat, noise []float64, n, k int, tau float64) []float64 {
	nk := n * k
	y := make([]float64, scores.Rows*nk)
	for b := 0; b < scores.Rows; b++ {
		h := scores.Row(b)
		for i := 0; i < n; i++ {
			u := make([]float64, k)
			mx := math.Inf(-1)
			for s := range u {
				u[s] = (float64(h[i*k+s]) + noise[b*nk+i*k+s]) / tau
				mx = math.Max(mx, u[s])
			}
			sum := 0.0
			for s := range u {
				u[s] = math.Exp(u[s] - mx)
				sum += u[s]
			}
			for s := range u {
				y[b*nk+i*k+s] = u[s] / sum
			}
		}
	}
	return y
}

// gsmStepGrads zeroes the gradients, runs one step of est at temperature
// tau with noise from seed, and returns the gradients, the loss, and the
// noise and hard sample the step used.
func gsmStepGrads(t *testing.T, v *VAE, est *GumbelSoftmax, x nn.Mat, seed uint64, tau float64) (grads [][]float32, loss float64, noise []float64, z []int) {
	t.Helper()
	ps := v.Params()
	nn.ZeroGrad(ps)
	st, err := est.Step(context.Background(), v, x, rand.New(rand.NewPCG(seed, seed)), tau)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		grads = append(grads, append([]float32(nil), p.G...))
	}
	return grads, st.Loss, append([]float64(nil), v.noise[:x.Rows*v.NK()]...), append([]int(nil), v.zstar[:x.Rows*v.N]...)
}

// TestStraightThroughGumbelSoftmaxGradient checks the gradient of the
// straight-through estimator ("gsm", GumbelSoftmax{}) on every
// parameter group by finite differences of stSurrogate with the step's own
// noise: the decoder's is the gradient at the hard sample z*, the
// encoder's the softmax Jacobian at temperature τ applied to the decoder's
// input gradient at the one-hot z*, plus the KL gradient. Then it checks
// that the comparison can fail: the relaxed estimator's gradient (decoder
// fed y instead of z*) and the straight-through gradient at another
// temperature (a wrong 1/τ) must both be rejected.
func TestStraightThroughGumbelSoftmaxGradient(t *testing.T) {
	const tau = 0.6
	// Central differences are meaningless across a ReLU kink: the seeds
	// are ones where no pre-activation of either network lies within the
	// step (1e-3) of zero; about one seed in six puts one there.
	v := tinyVAE(t, 31, 10, 3, 4, false, false, "")
	x := randomImages(32, 6, 10)
	ps := v.Params()
	encParams := len(v.Enc.Params())

	grads, loss, noise, z := gsmStepGrads(t, v, &GumbelSoftmax{}, x, 33, tau)
	y0 := relaxedSample(must(v.Enc.Forward(x)), noise, v.N, v.K, tau)
	surrogate := func() float64 { return stSurrogate(v, x, noise, z, y0, tau) }
	// The step reports the hard loss (reconstruction at z* plus KL), which
	// is the surrogate's value at these parameters.
	if f := surrogate(); math.Abs(f-loss) > 1e-4*math.Abs(f) {
		t.Fatalf("step loss %v, straight-through surrogate %v", loss, f)
	}
	// The decoder saw z*: its arg max must be that of h + γ.
	scores := must(v.Enc.Forward(x))
	for b := 0; b < x.Rows; b++ {
		for i := 0; i < v.N; i++ {
			best := 0
			for s := 1; s < v.K; s++ {
				j := b*v.NK() + i*v.K
				if float64(scores.At(b, i*v.K+s))+noise[j+s] > float64(scores.At(b, i*v.K+best))+noise[j+best] {
					best = s
				}
			}
			if z[b*v.N+i] != best {
				t.Fatalf("example %d latent %d: z* = %d, arg max of h+γ is %d", b, i, z[b*v.N+i], best)
			}
		}
	}

	check := func(g [][]float32, which []nn.Param, samples int, seed uint64) error {
		for i, p := range ps {
			copy(p.G, g[i])
		}
		return nn.GradCheck(surrogate, which, 1e-3, 5e-2, rand.New(rand.NewPCG(seed, seed)), samples)
	}
	if err := check(grads, ps[:encParams], 300, 34); err != nil {
		t.Errorf("encoder gradient: %v", err)
	}
	if err := check(grads, ps[encParams:], 300, 35); err != nil {
		t.Errorf("decoder gradient: %v", err)
	}

	// The relaxed estimator's decoder sees y: with the same noise, its
	// gradient is not the straight-through one.
	relaxed, _, _, _ := gsmStepGrads(t, v, &GumbelSoftmax{Relaxed: true}, x, 33, tau)
	if err := check(relaxed, ps, 100, 36); err == nil {
		t.Error("the relaxed estimator's gradient passed the straight-through check: the check cannot tell them apart")
	}
	// The same hard sample at temperature 2τ (z* does not depend on τ)
	// scales the softmax Jacobian differently: the encoder check fails.
	other, _, _, z2 := gsmStepGrads(t, v, &GumbelSoftmax{}, x, 33, 2*tau)
	for i := range z {
		if z[i] != z2[i] {
			t.Fatal("the hard sample changed with τ")
		}
	}
	if err := check(other, ps[:encParams], 100, 37); err == nil {
		t.Error("the straight-through gradient at 2τ passed the check at τ: the check cannot see 1/τ")
	}
}
