package nn_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/argmaxvae/argmaxvae/nn"
)

// A few Adam steps on a tiny MLP that reconstructs its binary input raise
// the Bernoulli log-likelihood.
func Example() {
	r := rand.New(rand.NewPCG(1, 2))
	net, err := nn.NewMLP(4, 8, 4, r) // sizes are checked: an error, not a panic
	if err != nil {
		panic(err)
	}
	x := nn.NewMat(2, 4)
	copy(x.Data, []float32{1, 0, 1, 0, 0, 1, 1, 0})
	ps := net.Params()
	opt, err := nn.NewAdam(ps, 0.05)
	if err != nil {
		panic(err)
	}
	ll := make([]float32, 2)
	dl := nn.NewMat(2, 4)
	total := func() float32 { nn.BernoulliLogLik(x, net.Forward(x), ll); return ll[0] + ll[1] }
	before := total()
	for range 50 {
		nn.ZeroGrad(ps)
		logits := net.Forward(x)
		nn.BernoulliLogLikGrad(x, logits, []float32{-1, -1}, dl) // minimise −log p
		net.Backward(x, dl, nn.Mat{})
		opt.Step()
	}
	fmt.Println(before < -5, total() > -0.5)
	// Output: true true
}

func ExampleGemm() {
	a := nn.Mat{Rows: 2, Cols: 3, Data: []float32{1, 2, 3, 4, 5, 6}}
	c := nn.NewMat(2, 2)
	nn.Gemm(false, true, 1, a, a, 0, c) // C = A·Aᵀ
	fmt.Println(c.Data)
	// Output: [14 32 32 77]
}

func ExampleSoftplus() {
	fmt.Printf("%.4f %.4f %.4f\n", nn.Softplus(-100), nn.Softplus(0), nn.Softplus(100))
	// Output: 0.0000 0.6931 100.0000
}

// A 0/1 input stored by the positions of its ones gives the same layer
// output as the dense product.
func ExampleLinear_ForwardBinary() {
	l, err := nn.NewLinear(4, 2, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		panic(err)
	}
	x := nn.Mat{Rows: 2, Cols: 4, Data: []float32{1, 0, 0, 1, 0, 1, 0, 0}}
	var ones nn.BinaryRows
	if err := ones.Set(x); err != nil {
		panic(err)
	}
	dense, sparse := nn.NewMat(2, 2), nn.NewMat(2, 2)
	l.Forward(x, dense)
	l.ForwardBinary(&ones, sparse)
	same := true
	for i := range dense.Data {
		d := dense.Data[i] - sparse.Data[i]
		same = same && d < 1e-6 && d > -1e-6
	}
	fmt.Println(ones.NNZ(), ones.Idx, same)
	// Output: 3 [0 3 1] true
}

// Streaming an exact enumeration in two chunks: log Σ_z e^f(z) of four
// codes with f = xl + xb − sp, one code skipped (sp = +∞), equals the sum
// computed directly.
