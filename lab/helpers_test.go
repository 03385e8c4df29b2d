package lab

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/argmaxvae/argmaxvae/nn"
	"github.com/argmaxvae/argmaxvae/train"
)

// tinyVAE builds a small VAE: d pixels, n latents of k states, optionally
// a complete pairwise structure.
func tinyVAE(t testing.TB, seed uint64, d, n, k int, pairs, supermodular bool, solver string) *train.VAE {
	t.Helper()
	return tinyVAEThreads(t, seed, d, n, k, pairs, supermodular, solver, 2)
}

// tinyVAEThreads is tinyVAE on the given number of threads.
func tinyVAEThreads(t testing.TB, seed uint64, d, n, k int, pairs, supermodular bool, solver string, threads int) *train.VAE {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 1))
	var s argmax.Structure
	var err error
	if pairs {
		s, err = argmax.Complete(n, supermodular)
	} else {
		s, err = argmax.Independent(n, k)
	}
	if err != nil {
		t.Fatal(err)
	}
	enc, dec, err := train.NewNetworks(s, d, 16, r)
	if err != nil {
		t.Fatal(err)
	}
	v, err := train.NewVAE(enc, dec, s, solver, threads)
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

// sharpVAE is a one-latent VAE of k states whose decoder is sharpened by
// gain, with one image.
func sharpVAE(t *testing.T, k int, gain float32) (*train.VAE, nn.Mat) {
	v := tinyVAE(t, 1, 12, 1, k, false, false, "")
	for i := range v.Dec.Net.L2.W {
		v.Dec.Net.L2.W[i] *= gain
	}
	return v, randomImages(2, 1, 12)
}

// logJoint returns log p(x, s) = f(x, s) − log K for every state s of a
// one-latent VAE and one image, and the encoder's scores h of x.
func logJoint(v *train.VAE, x nn.Mat) (lj, h []float64) {
	k := v.K
	scores, err := v.Scores(x)
	if err != nil {
		panic(err)
	}
	F, err := v.LocalLogLik(x, make([]int, 1))
	if err != nil {
		panic(err)
	}
	lj, h = make([]float64, k), make([]float64, k)
	for s := 0; s < k; s++ {
		lj[s] = float64(F.At(0, s)) - math.Log(float64(k))
		h[s] = float64(scores.At(0, s))
	}
	return lj, h
}

func softmax(a []float64) []float64 {
	out := append([]float64(nil), a...)
	nn.SoftmaxInPlace(out)
	return out
}

// encoderGradRows runs steps steps of est on B copies of x's first row
// and returns each example's score gradient times B (its own estimate).
func encoderGradRows(t *testing.T, v *train.VAE, est train.Estimator, x nn.Mat, B, steps int, temp float64, seed uint64) [][]float64 {
	t.Helper()
	xb := nn.NewMat(B, x.Cols)
	for b := 0; b < B; b++ {
		copy(xb.Row(b), x.Row(0))
	}
	r := rand.New(rand.NewPCG(seed, 3))
	var rows [][]float64
	for s := 0; s < steps; s++ {
		nn.ZeroGrad(v.Params())
		if _, err := est.Step(context.Background(), v, xb, r, temp); err != nil {
			t.Fatal(err)
		}
		dw := v.ScoreGrad()
		for b := 0; b < B; b++ {
			row := make([]float64, v.NK())
			for j := range row {
				row[j] = float64(B) * float64(dw.At(b, j))
			}
			rows = append(rows, row)
		}
	}
	return rows
}

// meanAndSE returns per-column means and standard errors of rows.
func meanAndSE(rows [][]float64) (mean, se []float64) {
	acc := NewRunning(len(rows[0]))
	for _, r := range rows {
		noErr(acc.Add(r))
	}
	se = make([]float64, len(rows[0]))
	for j := range se {
		se[j] = math.Sqrt(acc.Var(j) / float64(acc.N()))
	}
	return acc.Mean(), se
}

// noErr fails the test binary on an error the test did not expect.
func noErr(err error) {
	if err != nil {
		panic(err)
	}
}
