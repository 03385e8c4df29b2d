package decoder_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/argmaxvae/argmaxvae/decoder"
	"github.com/argmaxvae/argmaxvae/nn"
)

// A decoder for 4 latent variables of 3 states and 28×28 images: codes
// become one-hot rows, the rows Bernoulli logits, and f(x, z) = log p(x|z)
// is at most 0; Backward accumulates the gradient of the loss −f into the
// parameters an optimizer then updates.
func Example() {
	r := rand.New(rand.NewPCG(1, 2))
	d, err := decoder.New(4, 3, 200, 784, r)
	if err != nil {
		panic(err)
	}
	codes := []int{ // 2 examples × 4 variables, each state in [0, 3)
		0, 2, 1, 1,
		2, 2, 0, 1,
	}
	z := nn.NewMat(2, 4*3)
	if err := decoder.OneHot(codes, 4, 3, z); err != nil {
		panic(err) // a state outside [0, 3), or sizes that disagree
	}
	logits, err := d.Forward(z) // 2 × 784
	if err != nil {
		panic(err)
	}

	x := nn.NewMat(2, 784) // two images of black and white pixels
	for i := range x.Data {
		x.Data[i] = float32(i % 2)
	}
	f := make([]float32, 2)
	nn.BernoulliLogLik(x, logits, f)

	dlogits := nn.NewMat(2, 784) // ∂(−f)/∂logits = sigmoid(l) − x
	for i, l := range logits.Data {
		dlogits.Data[i] = nn.Sigmoid(l) - x.Data[i]
	}
	nn.ZeroGrad(d.Params())
	if err := d.Backward(z, dlogits, nn.Mat{}); err != nil {
		panic(err)
	}

	fmt.Println(logits.Rows, logits.Cols, f[0] < 0 && f[1] < 0)
	for _, p := range d.Params() {
		moved := false // a gradient was accumulated
		for _, g := range p.G {
			moved = moved || g != 0
		}
		fmt.Println(p.Name, len(p.W), moved)
	}
	// Output:
	// 2 784 true
	// decoder.l1.W 2400 true
	// decoder.l1.B 200 true
	// decoder.l2.W 156800 true
	// decoder.l2.B 784 true
}
