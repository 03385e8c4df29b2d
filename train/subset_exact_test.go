package train

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/argmaxvae/argmaxvae/nn"
)

// subsetVAE returns a VAE on a k-subset of n items with a decoder sharpened
// by gain (so that the subsets' log-likelihoods differ by nats) and one
// image.
func subsetVAE(t *testing.T, n, k int, gain float32) (*VAE, nn.Mat) {
	t.Helper()
	s, err := argmax.NewKSubset(n, k)
	if err != nil {
		t.Fatal(err)
	}
	enc, dec, err := NewNetworks(s, 12, 16, rand.New(rand.NewPCG(4, 1)))
	if err != nil {
		t.Fatal(err)
	}
	for i := range dec.Net.L2.W {
		dec.Net.L2.W[i] *= gain
	}
	v, err := NewVAE(enc, dec, s, "", 2)
	if err != nil {
		t.Fatal(err)
	}
	return v, randomImages(9, 1, 12)
}

// subsetExactGradient returns ∂E_P[−log p(x|z)]/∂w (length N·K = 2n) for
// the distribution P(S | g) over the k-subsets S of the gains
// gᵢ = w[2i+1] − w[2i] that prob gives, by enumerating the subsets and
// differencing E in g (central, step 1e-5; E is smooth in g). The code of
// S has item i in state 1 exactly when i ∈ S.
func subsetExactGradient(t *testing.T, v *VAE, x nn.Mat, w []float32, k int, prob func(g []float64, S []int) float64) []float64 {
	t.Helper()
	n := v.N
	var subsets [][]int
	var rec func(start int, cur []int)
	rec = func(start int, cur []int) {
		if len(cur) == k {
			subsets = append(subsets, append([]int(nil), cur...))
			return
		}
		for i := start; i < n; i++ {
			rec(i+1, append(cur, i))
		}
	}
	rec(0, nil)
	loss := make([]float64, len(subsets))
	for c, S := range subsets {
		code := nn.NewMat(1, 2*n)
		for i := 0; i < n; i++ {
			code.Data[2*i] = 1
		}
		for _, i := range S {
			code.Data[2*i], code.Data[2*i+1] = 0, 1
		}
		loss[c] = -float64(must(v.DecodeBackwardCode(x, code, 0, nn.Mat{}))[0])
	}
	nn.ZeroGrad(v.Params())
	g := make([]float64, n)
	for i := range g {
		g[i] = float64(w[2*i+1]) - float64(w[2*i])
	}
	expect := func(g []float64) float64 {
		e, z := 0.0, 0.0
		for c, S := range subsets {
			p := prob(g, S)
			e, z = e+p*loss[c], z+p
		}
		if math.Abs(z-1) > 1e-9 {
			t.Fatalf("the subsets' probabilities sum to %v", z)
		}
		return e
	}
	grad := make([]float64, 2*n)
	const h = 1e-5
	for i := range g {
		gi := g[i]
		g[i] = gi + h
		up := expect(g)
		g[i] = gi - h
		down := expect(g)
		g[i] = gi
		d := (up - down) / (2 * h)
		grad[2*i], grad[2*i+1] = -d, d
	}
	return grad
}

// plackettLuce is the Gumbel-top-k distribution of the subsets: k items
// drawn without replacement with probabilities ∝ exp gᵢ, summed over the
// orders that give S.
func plackettLuce(g []float64, S []int) float64 {
	p := softmax(g)
	var total float64
	var perm func(rest []int, mass, prob float64)
	perm = func(rest []int, mass, prob float64) {
		if len(rest) == 0 {
			total += prob
			return
		}
		for j, i := range rest {
			others := append(append([]int(nil), rest[:j]...), rest[j+1:]...)
			perm(others, mass-p[i], prob*p[i]/mass)
		}
	}
	perm(S, 1, 1)
	return total
}

// subsetGibbs is the exponential family P(S) ∝ exp Σ_{i∈S} gᵢ that I-MLE
// with sum-of-Gamma noise targets.
func subsetGibbs(k int) func(g []float64, S []int) float64 {
	return func(g []float64, S []int) float64 {
		// normalise over all k-subsets by the elementary symmetric sum
		n := len(g)
		e := make([]float64, k+1) // e[j] = Σ over j-subsets of exp Σ g
		e[0] = 1
		for i := 0; i < n; i++ {
			for j := min(k, i+1); j >= 1; j-- {
				e[j] += e[j-1] * math.Exp(g[i])
			}
		}
		s := 0.0
		for _, i := range S {
			s += g[i]
		}
		return math.Exp(s) / e[k]
	}
}

// The two k-subset estimators are biased; on a sharp decoder their mean
// score gradient (the analytic unary KL they add removed first) must still
// point along the exact gradient of E[−log p(x|z)] under the distribution
// each samples from: the Gumbel-top-k (Plackett-Luce) subsets for st-topk,
// the exponential family ∝ exp Σ gᵢ for I-MLE's sum-of-Gamma noise.
func TestSubsetEstimatorsAlignWithExactGradient(t *testing.T) {
	const n, k = 5, 2
	for _, c := range []struct {
		est  Estimator
		temp float64
		prob func(g []float64, S []int) float64
		min  float64
	}{
		{&STTopK{}, 0.5, plackettLuce, 0.9},                           // 0.975 measured
		{&IMLE{SumOfGamma: true, Lambda: 1}, 0, subsetGibbs(k), 0.75}, // 0.849 measured
	} {
		v, x := subsetVAE(t, n, k, 4)
		scores := must(v.Enc.Forward(x))
		w := append([]float32(nil), scores.Row(0)...)
		exact := subsetExactGradient(t, v, x, w, k, c.prob)
		klg := nn.NewMat(1, 2*n)
		klUnary(v, nn.Mat{Rows: 1, Cols: 2 * n, Data: w}, n, 2, make([]float64, 1), klg, 1)
		rows := encoderGradRows(t, v, c.est, x, 2000, 10, c.temp, 17)
		for _, r := range rows {
			for j := range r {
				r[j] -= float64(klg.Data[j])
			}
		}
		mean, _ := meanAndSE(rows)
		dot, na, nb := 0.0, 0.0, 0.0
		for j := range mean {
			dot, na, nb = dot+mean[j]*exact[j], na+mean[j]*mean[j], nb+exact[j]*exact[j]
		}
		cos := dot / math.Sqrt(na*nb)
		t.Logf("%s: cosine(mean, exact) = %.3f; mean %.3f, exact %.3f", c.est.Name(), cos, mean, exact)
		if !(cos >= c.min) {
			t.Errorf("%s: cosine %.3f between the mean estimate and the exact gradient, want ≥ %.2f", c.est.Name(), cos, c.min)
		}
	}
}
