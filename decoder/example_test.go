package decoder_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/argmaxvae/argmaxvae/decoder"
	"github.com/argmaxvae/argmaxvae/nn"
)

// Variants gives, for every example, f(x, z) with one latent changed at a
// time; entries at the current state all equal f(x, z) itself.
func ExampleDecoder_Variants() {
	r := rand.New(rand.NewPCG(1, 2))
	d, err := decoder.New(3, 2, 20, 8, r) // 3 binary latents, 8 pixels
	if err != nil {
		panic(err)
	}
	x := nn.NewMat(1, 8)
	copy(x.Data, []float32{1, 1, 0, 0, 1, 0, 1, 0})
	z := []int{1, 0, 1}
	F := nn.NewMat(1, 6)
	if err := d.Variants(x, z, F); err != nil {
		panic(err)
	}

	oh := nn.NewMat(1, 6)
	if err := decoder.OneHot(z, 3, 2, oh); err != nil {
		panic(err)
	}
	logits, err := d.Forward(oh)
	if err != nil {
		panic(err)
	}
	ll := make([]float32, 1)
	nn.BernoulliLogLik(x, logits, ll)
	diff := float64(F.At(0, 1) - ll[0])
	fmt.Println(F.At(0, 1) == F.At(0, 2), F.At(0, 2) == F.At(0, 5), diff*diff < 1e-10)
	// Output: true true true
}
