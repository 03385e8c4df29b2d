package train_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/argmaxvae/argmaxvae/nn"
	"github.com/argmaxvae/argmaxvae/train"
)

// A model file describes its model: ReadModel rebuilds the VAE from the
// file alone, and the copy encodes and decodes as the original does.
func ExampleReadModel() {
	s, _ := argmax.NewKSubset(6, 2) // 2 of 6 items chosen
	enc, dec, _ := train.NewNetworks(s, 16, 32, rand.New(rand.NewPCG(1, 2)))
	v, _ := train.NewVAE(enc, dec, s, "", 1)

	var file bytes.Buffer
	if err := v.WriteModel(&file); err != nil {
		panic(err)
	}
	w, err := train.ReadModel(&file, train.ModelOptions{})
	if err != nil {
		panic(err)
	}

	ctx := context.Background()
	x := nn.NewMat(3, 16)
	for i := range x.Data {
		x.Data[i] = float32(i % 3 % 2)
	}
	z1, _ := v.Encode(ctx, x) // the arg max code of each image: 3 × 6 states
	z2, _ := w.Encode(ctx, x)
	m1, _ := v.Decode(z1) // their Bernoulli means: 3 × 16
	m2, _ := w.Decode(z2)
	fmt.Println(w.S.Name(), w.Solver(), slices.Equal(z1, z2), slices.Equal(m1.Data, m2.Data))
	// Output: 2-of-6 subset topk true true
}
