package train

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/argmaxvae/argmaxvae/decoder"
	"github.com/argmaxvae/argmaxvae/nn"
)

// tinyVAE builds a small VAE: D pixels, N latents of K states, optional
// complete pairwise structure.
func tinyVAE(t testing.TB, seed uint64, d, n, k int, pairs, supermodular bool, solver string) *VAE {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 1))
	var s argmax.Structure = must(argmax.Independent(n, k))
	if pairs {
		s = must(argmax.Complete(n, supermodular))
	}
	enc, dec, err := NewNetworks(s, d, 16, r)
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewVAE(enc, dec, s, solver, 2)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// randomImages returns rows×d random binary pixels.
func randomImages(seed uint64, rows, d int) nn.Mat {
	r := rand.New(rand.NewPCG(seed, 2))
	x := nn.NewMat(rows, d)
	for i := range x.Data {
		if r.Float64() < 0.3 {
			x.Data[i] = 1
		}
	}
	return x
}

// repeatRow returns a matrix of rows copies of row i of x.
func repeatRow(x nn.Mat, i, rows int) nn.Mat {
	m := nn.NewMat(rows, x.Cols)
	for b := 0; b < rows; b++ {
		copy(m.Row(b), x.Row(i))
	}
	return m
}

// exactBinaryGrad returns the exact gradient, with respect to the unary
// scores h (2 per bit), of E_q[−log p(x|z)] for independent bits with
// q(zᵢ=1) = σ(h_i1 − h_i0), by enumerating all 2ⁿ codes.
func exactBinaryGrad(v *VAE, x nn.Mat, scores []float32) []float64 {
	n := v.N
	codes := 1 << n
	z := make([]int, codes*n)
	for c := 0; c < codes; c++ {
		for i := 0; i < n; i++ {
			z[c*n+i] = c >> i & 1
		}
	}
	xs := repeatRow(x, 0, codes)
	oh := nn.NewMat(codes, n*2)
	noErr(decoder.OneHot(z, n, 2, oh))
	f := make([]float32, codes)
	nn.BernoulliLogLik(xs, must(v.Dec.Forward(oh)), f)
	p := make([]float64, n)
	for i := range p {
		p[i] = sigmoid(float64(scores[2*i+1]) - float64(scores[2*i]))
	}
	g := make([]float64, 2*n)
	for c := 0; c < codes; c++ {
		q := 1.0
		for i := 0; i < n; i++ {
			if z[c*n+i] == 1 {
				q *= p[i]
			} else {
				q *= 1 - p[i]
			}
		}
		L := -float64(f[c])
		for i := 0; i < n; i++ {
			d := q * L * (float64(z[c*n+i]) - p[i])
			g[2*i+1] += d
			g[2*i] -= d
		}
	}
	return g
}

// meanAndSE returns per-column means and standard errors of rows.
func meanAndSE(rows [][]float64) (mean, se []float64) {
	n := float64(len(rows))
	mean = make([]float64, len(rows[0]))
	se = make([]float64, len(rows[0]))
	for _, r := range rows {
		for j, v := range r {
			mean[j] += v / n
		}
	}
	for _, r := range rows {
		for j, v := range r {
			se[j] += (v - mean[j]) * (v - mean[j])
		}
	}
	for j := range se {
		se[j] = math.Sqrt(se[j] / (n - 1) / n)
	}
	return mean, se
}
