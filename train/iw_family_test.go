package train

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/argmaxvae/argmaxvae/argmax"
)

// subsetProductVAE is a VAE whose latent is two 2-of-4 subsets (36
// feasible codes of 2⁸, so ExactLikelihood is the reference).
func subsetProductVAE(t *testing.T, seed uint64, d int) *VAE {
	t.Helper()
	a, err := argmax.NewKSubset(4, 2)
	if err != nil {
		t.Fatal(err)
	}
	p, err := argmax.Repeat(a, 2)
	if err != nil {
		t.Fatal(err)
	}
	return constrainedVAE(t, p, seed, d)
}

// With a UnaryFamily proposal over the feasible codes the importance
// estimate converges to the exact −log p(x) under the uniform prior over
// them, and one sample per example averages to the Gibbs NELBO (the
// proposal is then exactly q_G ∝ exp h on the feasible codes), which
// checks the sampler against the log r the weights use.
func TestImportanceLikelihoodUnaryFamily(t *testing.T) {
	t.Run("subsets", func(t *testing.T) { checkUnaryFamilyIW(t, subsetProductVAE(t, 71, 16)) })
	t.Run("trees", func(t *testing.T) {
		tree, err := argmax.NewSpanningTree(5, argmax.CompleteGraph(5))
		if err != nil {
			t.Fatal(err)
		}
		checkUnaryFamilyIW(t, constrainedVAE(t, tree, 75, 16))
	})
}

func checkUnaryFamilyIW(t *testing.T, v *VAE) {
	const d = 16
	sharpen(v, 3, 6)
	X := randomImages(72, 13, d)
	exact, err := ExactLikelihood(context.Background(), v, X)
	if err != nil {
		t.Fatal(err)
	}
	l, err := ImportanceLikelihood(context.Background(), v, X, 4000, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("S = 4000: %.5f ± %.5f, exact %.5f; Gibbs NELBO %.5f (enumerated %.5f), KL %.5f (%.5f)", l.NLL, l.NLLStdErr, exact.NLL, l.GibbsNELBO, exact.GibbsNELBO, l.GibbsKL, exact.GibbsKL)
	// The estimate errs high by O(1/S) (Jensen) besides its noise.
	if gap := l.NLL - exact.NLL; gap < -4*l.NLLStdErr || gap > 4*l.NLLStdErr+0.02 {
		t.Errorf("S = 4000: %.5f, exact %.5f: not within [−4, +4] standard errors (%.5f) + 0.02", l.NLL, exact.NLL, l.NLLStdErr)
	}
	// The mean log weight estimates the Gibbs NELBO and KL (the proposal is
	// q_G): the standard error of the mean of 13·4000 draws is well below
	// 0.05 nats here.
	if math.Abs(l.GibbsNELBO-exact.GibbsNELBO) > 0.05 || math.Abs(l.GibbsKL-exact.GibbsKL) > 0.05 {
		t.Errorf("Gibbs NELBO %.5f, KL %.5f from the samples; enumerated %.5f, %.5f", l.GibbsNELBO, l.GibbsKL, exact.GibbsNELBO, exact.GibbsKL)
	}
	x := X.Slice(0, 1)
	one, err := ExactLikelihood(context.Background(), v, x)
	if err != nil {
		t.Fatal(err)
	}
	mean, sd, _ := seedSpread(t, v, repeatRow(x, 0, 20000), 1, 10)
	se := sd / math.Sqrt(10)
	t.Logf("S = 1 average %.5f ± %.5f; Gibbs NELBO %.5f, NLL %.5f", mean, se, one.GibbsNELBO, one.NLL)
	if math.Abs(mean-one.GibbsNELBO) > 4*se {
		t.Errorf("one-sample average %.5f differs from the Gibbs NELBO %.5f by more than 4 standard errors (%.5f)", mean, one.GibbsNELBO, se)
	}
	if se > 0.1*(one.GibbsNELBO-one.NLL) {
		t.Errorf("test too weak: standard error %.5f against NELBO − NLL = %.5f", se, one.GibbsNELBO-one.NLL)
	}
}

// A constrained structure without a tractable proposal is refused.
func TestImportanceLikelihoodConstrainedRefused(t *testing.T) {
	m, err := argmax.NewMatching(3)
	if err != nil {
		t.Fatal(err)
	}
	v := constrainedVAE(t, m, 73, 16)
	_, err = ImportanceLikelihood(context.Background(), v, randomImages(74, 3, 16), 10, rand.New(rand.NewPCG(1, 2)))
	if err == nil || !strings.Contains(err.Error(), "no tractable proposal") {
		t.Errorf("matching: error %v", err)
	}
}
