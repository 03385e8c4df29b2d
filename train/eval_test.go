package train

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/argmaxvae/argmaxvae/nn"
)

// Evaluate's exact −log p(x) for one categorical latent against brute
// force: each code decoded on its own, p(x) = (1/K)·Σ_s p(x|s); and the
// exact NELBO must bound it from above.
func TestEvaluateNLLOneLatentMatchesBruteForce(t *testing.T) {
	const k, d, rows = 7, 12, 23
	v, _ := sharpVAE(t, k, 3)
	x := randomImages(31, rows, d)
	e, err := Evaluate(context.Background(), v, x, rand.New(rand.NewPCG(1, 2)), EvalOptions{Chunk: 5})
	if err != nil {
		t.Fatal(err)
	}
	want := 0.0
	for b := 0; b < rows; b++ {
		xb := repeatRow(x, b, 1)
		terms := make([]float32, k)
		for s := 0; s < k; s++ {
			oh := nn.NewMat(1, k)
			oh.Data[s] = 1
			f := make([]float32, 1)
			nn.BernoulliLogLik(xb, must(v.Dec.Forward(oh)), f)
			terms[s] = f[0]
		}
		want += (math.Log(k) - nn.LogSumExp(terms)) / rows
	}
	if math.Abs(e.NLL-want) > 1e-4*math.Abs(want) {
		t.Errorf("NLL %v, brute force %v", e.NLL, want)
	}
	if !(e.Exact >= e.NLL) {
		t.Errorf("exact NELBO %v below −log p(x) %v", e.Exact, e.NLL)
	}
	v2 := tinyVAE(t, 3, d, 3, 2, false, false, "")
	if e2, err := Evaluate(context.Background(), v2, x, rand.New(rand.NewPCG(1, 2)), EvalOptions{}); err != nil || !math.IsNaN(e2.NLL) {
		t.Errorf("three latents: NLL %v, err %v; want NaN (not computed here)", e2.NLL, err)
	}
}
