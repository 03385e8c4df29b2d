package train_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/argmaxvae/argmaxvae/nn"
	"github.com/argmaxvae/argmaxvae/train"
)

// A model with 6 binary latents and a complete pairwise structure has 64
// codes, few enough to compute −log p(x) exactly; the importance-weighted
// estimate with many samples agrees with it, and the negative ELBO of the
// encoder's Gibbs distribution bounds it from above.
func ExampleExactLikelihood() {
	const n, d = 6, 20
	r := rand.New(rand.NewPCG(1, 2))
	s, err := argmax.Complete(n, true)
	if err != nil {
		panic(err)
	}
	enc, dec, err := train.NewNetworks(s, d, 32, r)
	if err != nil {
		panic(err)
	}
	v, err := train.NewVAE(enc, dec, s, "maxflow", 1)
	if err != nil {
		panic(err)
	}
	X := nn.NewMat(50, d)
	for i := range X.Data {
		if r.Float64() < 0.3 {
			X.Data[i] = 1
		}
	}

	fmt.Println(train.Enumerable(v))
	exact, err := train.ExactLikelihood(context.Background(), v, X)
	if err != nil {
		panic(err)
	}
	iw, err := train.ImportanceLikelihood(context.Background(), v, X, 2000, rand.New(rand.NewPCG(3, 4)))
	if err != nil {
		panic(err)
	}
	fmt.Println(exact.Exact, exact.GibbsNELBO >= exact.NLL, exact.GibbsKL > 0)
	fmt.Println(math.Abs(iw.NLL-exact.NLL) < 4*iw.NLLStdErr+1e-3)
	// Output:
	// true
	// true true true
	// true
}
