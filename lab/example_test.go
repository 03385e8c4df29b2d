package lab_test

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/argmaxvae/argmaxvae/lab"
	"github.com/argmaxvae/argmaxvae/nn"
	"github.com/argmaxvae/argmaxvae/train"
)

// The direct estimator's expected score gradient, for one categorical
// latent, approaches the exact gradient of the reconstruction term as its
// temperature ε falls: the distance shrinks with ε.
func Example() {
	s, err := argmax.Independent(1, 5) // one latent of 5 states
	if err != nil {
		panic(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	enc, dec, err := train.NewNetworks(s, 12, 16, r)
	if err != nil {
		panic(err)
	}
	v, err := train.NewVAE(enc, dec, s, "", 1)
	if err != nil {
		panic(err)
	}
	x := nn.NewMat(4, 12) // four images of 12 pixels
	for i := range x.Data {
		x.Data[i] = float32(r.IntN(2))
	}
	recon, _, err := lab.ExactScoreGradients(v, x)
	if err != nil {
		panic(err)
	}
	dist := func(eps float64) float64 {
		g, err := lab.DirectMean(v, x, train.KLNone, eps)
		if err != nil {
			panic(err)
		}
		d := 0.0
		for i := range g.Data {
			e := float64(g.Data[i] - recon.Data[i])
			d += e * e
		}
		return math.Sqrt(d)
	}
	fmt.Println(dist(0.01) < dist(0.1), dist(0.1) < dist(1))
	// Output: true true
}
