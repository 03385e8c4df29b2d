package encoder_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/argmaxvae/argmaxvae/encoder"
	"github.com/argmaxvae/argmaxvae/nn"
)

// A supermodular encoder for 3 binary latents with 3 pairwise weights:
// every example gets 3·2 unary scores and 3 non-negative pairwise scores.
func Example() {
	r := rand.New(rand.NewPCG(1, 2))
	nonneg := []bool{false, false, false, false, false, false, true, true, true}
	e, err := encoder.New(784, 300, 9, nonneg, r)
	if err != nil {
		panic(err)
	}
	x := nn.NewMat(100, 784)
	s, err := e.Forward(x) // an error if x were not 784 wide
	if err != nil {
		panic(err)
	}
	ok := true
	for b := 0; b < s.Rows; b++ {
		for _, w := range s.Row(b)[6:] {
			ok = ok && w >= 0
		}
	}
	fmt.Println(s.Rows, s.Cols, ok, len(e.Params()), e.Params()[0].Name)
	// Output: 100 9 true 4 encoder.l1.W
}
