package train_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/argmaxvae/argmaxvae/nn"
	"github.com/argmaxvae/argmaxvae/train"
)

// myDirect is direct optimization (the reference form: no KL gradient)
// written outside package train with its exported API only.
type myDirect struct{}

func (myDirect) Name() string { return "my-direct" }
func (myDirect) Needs() train.Needs {
	return train.Needs{Temperature: "ε", MaxTemp: math.Inf(1), AnnealEvery: 500}
}

func (myDirect) Step(ctx context.Context, v *train.VAE, x nn.Mat, r *rand.Rand, eps float64) (train.Stats, error) {
	scores, zstar, err := v.SampleArgmax(context.Background(), x, r)
	if err != nil {
		return train.Stats{}, err
	}
	F, err := v.LocalLogLik(x, zstar)
	if err != nil {
		return train.Stats{}, err
	}
	for b, w := range v.Weights() {
		for j, f := range F.Row(b) {
			w[j] += eps * float64(f)
		}
	}
	zeps, err := v.SolveAgain(context.Background(), x.Rows)
	if err != nil {
		return train.Stats{}, err
	}
	f, err := v.DecodeBackwardLocal(x, zstar)
	if err != nil {
		return train.Stats{}, err
	}
	dw := v.GradBuffer()
	g := float32(1 / (eps * float64(x.Rows)))
	if err := v.AddFeatures(zeps, -g, dw); err != nil {
		return train.Stats{}, err
	}
	if err := v.AddFeatures(zstar, g, dw); err != nil {
		return train.Stats{}, err
	}
	kl, err := v.UnaryKL(scores, nn.Mat{}, 0)
	if err != nil {
		return train.Stats{}, err
	}
	if err := v.EncoderBackward(x, dw); err != nil {
		return train.Stats{}, err
	}
	return train.MeanStats(f, kl), nil
}

// An estimator written outside the package with the exported API gives
// the same gradients as the package's own (direct, reference form), on a
// pairwise structure with a graph cut and on a chain with Viterbi.
func TestEstimatorOutsideThePackage(t *testing.T) {
	chain, err := argmax.NewChain(4, 3)
	if err != nil {
		t.Fatal(err)
	}
	complete, err := argmax.Complete(5, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []argmax.Structure{complete, chain} {
		grads := func(est train.Estimator) ([][]float32, train.Stats) {
			r := rand.New(rand.NewPCG(7, 7))
			enc, dec, err := train.NewNetworks(s, 12, 16, r)
			if err != nil {
				t.Fatal(err)
			}
			v, err := train.NewVAE(enc, dec, s, "", 2)
			if err != nil {
				t.Fatal(err)
			}
			x := nn.NewMat(32, 12)
			for i := range x.Data {
				x.Data[i] = float32(r.IntN(2))
			}
			nn.ZeroGrad(v.Params())
			st, err := est.Step(context.Background(), v, x, rand.New(rand.NewPCG(8, 8)), 0.7)
			if err != nil {
				t.Fatal(err)
			}
			var g [][]float32
			for _, p := range v.Params() {
				g = append(g, append([]float32(nil), p.G...))
			}
			return g, st
		}
		mine, s1 := grads(myDirect{})
		theirs, s2 := grads(&train.Direct{KL: train.KLNone})
		if s1 != s2 {
			t.Errorf("%s: stats %+v, package's %+v", s.Name(), s1, s2)
		}
		nonzero := false
		for i := range mine {
			for j := range mine[i] {
				if mine[i][j] != theirs[i][j] {
					t.Fatalf("%s: param %d[%d]: %v, package's %v", s.Name(), i, j, mine[i][j], theirs[i][j])
				}
				nonzero = nonzero || mine[i][j] != 0
			}
		}
		if !nonzero {
			t.Errorf("%s: all gradients zero: the test compares nothing", s.Name())
		}
	}
}

// Example trains a tiny VAE whose latent is a chain of 4 three-state
// variables, solved exactly by Viterbi, with the direct estimator and
// train.Fit (settings at their defaults but the epoch count).
func Example() {
	s, _ := argmax.NewChain(4, 3)
	r := rand.New(rand.NewPCG(1, 2))
	enc, dec, err := train.NewNetworks(s, 16, 32, r) // 16 pixels, 32 hidden units
	if err != nil {
		panic(err)
	}
	v, err := train.NewVAE(enc, dec, s, "viterbi", 1)
	if err != nil {
		panic(err)
	}
	images := func(rows int) nn.Mat { // two kinds of image: left or right half on
		x := nn.NewMat(rows, 16)
		for b := 0; b < rows; b++ {
			half := r.IntN(2)
			for d := 8 * half; d < 8*half+8; d++ {
				x.Data[b*16+d] = 1
			}
		}
		return x
	}
	data := train.Data{Train: images(400), Valid: images(100), Test: images(100)}
	sched := train.Schedule{Start: 1, Min: 0.1, Rate: 1e-3, Every: 10}
	t, err := train.NewTrainer(v, &train.Direct{}, train.Options{LR: 1e-2, Batch: 20, Schedule: sched, Seed: 1})
	if err != nil {
		panic(err)
	}
	exact := func(ctx context.Context, v *train.VAE, X nn.Mat) (train.Likelihood, error) {
		return train.ExactLikelihood(ctx, v, X)
	}
	sum, err := train.Fit(context.Background(), t, data, train.Settings{Epochs: 30, Likelihood: exact, LikelihoodKind: "exact"})
	if err != nil {
		panic(err)
	}
	// Two equally likely images: −log p(x) ≥ log 2 ≈ 0.69 nats.
	nll, bound := sum.TestNLLAtBest, sum.TestGibbsNELBOAtBest
	fmt.Printf("exact −log p(x) below 1 nat: %v; Gibbs NELBO bounds it: %v\n", nll < 1, bound >= nll)
	// Output: exact −log p(x) below 1 nat: true; Gibbs NELBO bounds it: true
}
