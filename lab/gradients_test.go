package lab

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/argmaxvae/argmaxvae/nn"
	"github.com/argmaxvae/argmaxvae/train"
)

// For one categorical latent the reference-form direct estimate
// (train.KLNone) has the closed-form mean −(softmax(h + ε·f) − softmax(h))/ε per
// example with respect to the scores: DirectMean must give it, and the
// Monte-Carlo mean of Direct{KL: train.KLNone} steps must match it coordinate by
// coordinate within its standard error, for ε below and above 1.
func TestDirectReferenceExpectation(t *testing.T) {
	const k = 6
	v, x := sharpVAE(t, k, 4)
	lj, h := logJoint(v, x)
	q := softmax(h)
	for _, eps := range []float64{0.1, 1, 3} {
		mix := make([]float64, k)
		for s := range mix {
			mix[s] = h[s] + eps*lj[s]
		}
		pe := softmax(mix)
		want := make([]float64, k)
		for s := range want {
			want[s] = -(pe[s] - q[s]) / eps
		}
		dm, err := DirectMean(v, x, train.KLNone, eps)
		if err != nil {
			t.Fatal(err)
		}
		for s := 0; s < k; s++ {
			if got := float64(dm.At(0, s)); math.Abs(got-want[s]) > 1e-5*math.Max(1, math.Abs(want[s])) {
				t.Errorf("ε=%v: DirectMean state %d = %.6f, closed form %.6f", eps, s, got, want[s])
			}
		}
		rows := encoderGradRows(t, v, &train.Direct{KL: train.KLNone}, x, 2000, 25, eps, 23)
		mean, se := meanAndSE(rows)
		far := 0
		for s := 0; s < k; s++ {
			if math.Abs(mean[s]-want[s]) > 4.5*se[s]+1e-6 {
				t.Errorf("ε=%v state %d: Monte-Carlo mean %.4f ± %.4f, closed form %.4f", eps, s, mean[s], se[s], want[s])
			}
			if math.Abs(want[s]) > 6*se[s] {
				far++
			}
		}
		if far == 0 {
			t.Errorf("ε=%v: test too weak, every expected coordinate is within noise", eps)
		}
	}
}

// DirectMean's folded and analytic forms: the folded mean is
// −(softmax((1−ε)h + ε·f) − softmax(h))/ε, and the analytic one the
// reference mean plus the analytic KL gradient; ε outside the mode's range
// and models with more than one latent are refused.
func TestDirectMeanModes(t *testing.T) {
	const k = 5
	v, x := sharpVAE(t, k, 3)
	lj, h := logJoint(v, x)
	q := softmax(h)
	const eps = 0.5
	mix := make([]float64, k)
	for s := range mix {
		mix[s] = (1-eps)*h[s] + eps*lj[s]
	}
	pe := softmax(mix)
	folded, err := DirectMean(v, x, train.KLFolded, eps)
	if err != nil {
		t.Fatal(err)
	}
	for s := 0; s < k; s++ {
		want := -(pe[s] - q[s]) / eps
		if got := float64(folded.At(0, s)); math.Abs(got-want) > 1e-5 {
			t.Errorf("folded state %d: %.6f, want %.6f", s, got, want)
		}
	}
	ref, _ := DirectMean(v, x, train.KLNone, eps)
	ana, err := DirectMean(v, x, train.KLAnalytic, eps)
	if err != nil {
		t.Fatal(err)
	}
	_, kl, err := ExactScoreGradients(v, x)
	if err != nil {
		t.Fatal(err)
	}
	for s := 0; s < k; s++ {
		if d := ana.At(0, s) - ref.At(0, s) - kl.At(0, s); math.Abs(float64(d)) > 1e-6 {
			t.Errorf("analytic − reference − KL gradient at state %d = %g", s, d)
		}
	}
	for _, e := range []float64{0, -1, 1.5, math.NaN()} {
		if _, err := DirectMean(v, x, train.KLFolded, e); err == nil {
			t.Errorf("folded DirectMean accepted ε = %v", e)
		}
	}
	if _, err := DirectMean(v, x, train.KLNone, 4); err != nil {
		t.Errorf("reference DirectMean refused ε = 4: %v", err)
	}
	two := tinyVAE(t, 1, 12, 2, 3, false, false, "")
	if _, err := DirectMean(two, randomImages(1, 2, 12), train.KLNone, 0.5); err == nil {
		t.Error("DirectMean accepted two latents")
	}
	if _, _, err := ExactScoreGradients(two, randomImages(1, 2, 12)); err == nil {
		t.Error("ExactScoreGradients accepted two latents")
	}
}

// Every lab entry refuses images of another width, no images, a NaN pixel
// and a nil VAE with an error naming the problem, and EncoderGradientOf a
// score gradient of the wrong shape; nothing panics.
func TestLabRefusesBadInput(t *testing.T) {
	v := tinyVAE(t, 3, 12, 1, 4, false, false, "")
	bits := tinyVAE(t, 3, 12, 3, 2, false, false, "")
	nan := randomImages(1, 2, 12)
	nan.Data[13] = float32(math.NaN())
	good := randomImages(1, 2, 12)
	for _, c := range []struct {
		name string
		v    *train.VAE
		x    nn.Mat
		want string
	}{
		{"width 11", v, randomImages(1, 2, 11), "width 12"},
		{"no images", v, nn.NewMat(0, 12), "at least one image"},
		{"NaN pixel", v, nan, "pixel 1 of example 1"},
		{"nil VAE", nil, good, "nil VAE"},
		{"zero VAE", &train.VAE{}, good, "not made by train.NewVAE"},
	} {
		vb := c.v
		if c.v == v {
			vb = bits
		}
		for name, call := range map[string]func() error{
			"ExactScoreGradients": func() error { _, _, err := ExactScoreGradients(c.v, c.x); return err },
			"DirectMean":          func() error { _, err := DirectMean(c.v, c.x, train.KLNone, 0.5); return err },
			"EncoderGradientOf":   func() error { _, err := EncoderGradientOf(c.v, c.x, nn.NewMat(c.x.Rows, 4)); return err },
			"Structured": func() error {
				_, err := Structured(context.Background(), vb, c.x, Config{Eps: []float64{0.5}, Reps: 2})
				return err
			},
		} {
			if err := call(); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s, %s: error %v, want one naming %q", name, c.name, err, c.want)
			}
		}
	}
	if g := EncoderGradient(&train.VAE{}, nil); g != nil {
		t.Errorf("EncoderGradient of a zero VAE: %v", g)
	}
	if _, err := EncoderGradientOf(v, good, nn.NewMat(2, 5)); err == nil || !strings.Contains(err.Error(), "want 2×4") {
		t.Errorf("EncoderGradientOf with a 2×5 gradient: %v", err)
	}
}

// The reconstruction and KL score gradients, backpropagated through the
// encoder, add up to the encoder gradient an Exact step accumulates; and
// EncoderGradientOf leaves the encoder's gradients zero.
func TestExactScoreGradientsMatchExactStep(t *testing.T) {
	v := tinyVAE(t, 3, 12, 1, 7, false, false, "")
	x := randomImages(4, 9, 12)
	recon, kl, err := ExactScoreGradients(v, x)
	if err != nil {
		t.Fatal(err)
	}
	sum := nn.NewMat(x.Rows, v.K)
	for i := range sum.Data {
		sum.Data[i] = recon.Data[i] + kl.Data[i]
	}
	var g3 [3][]float64
	for i, dw := range []nn.Mat{recon, kl, sum} {
		if g3[i], err = EncoderGradientOf(v, x, dw); err != nil {
			t.Fatal(err)
		}
	}
	gr, gk, gs := g3[0], g3[1], g3[2]
	for _, g := range EncoderGradient(v, nil) {
		if g != 0 {
			t.Fatal("EncoderGradientOf left a nonzero encoder gradient")
		}
	}
	nn.ZeroGrad(v.Params())
	if _, err := (&train.Exact{}).Step(context.Background(), v, x, rand.New(rand.NewPCG(1, 1)), 0); err != nil {
		t.Fatal(err)
	}
	step := EncoderGradient(v, nil)
	if len(step) != len(gs) {
		t.Fatalf("%d encoder gradients from the step, %d from EncoderGradientOf", len(step), len(gs))
	}
	norm, diff, lin := 0.0, 0.0, 0.0
	for i := range step {
		norm += step[i] * step[i]
		diff += (step[i] - gs[i]) * (step[i] - gs[i])
		lin += (gr[i] + gk[i] - gs[i]) * (gr[i] + gk[i] - gs[i])
	}
	if norm == 0 {
		t.Fatal("the exact step's encoder gradient is zero")
	}
	if math.Sqrt(diff) > 1e-5*math.Sqrt(norm) || math.Sqrt(lin) > 1e-5*math.Sqrt(norm) {
		t.Errorf("‖step − (recon+kl)‖ = %g, ‖recon + kl − sum‖ = %g, ‖step‖ = %g", math.Sqrt(diff), math.Sqrt(lin), math.Sqrt(norm))
	}
}
