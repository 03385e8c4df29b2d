package experiment

import (
	"context"
	"math/rand/v2"

	"github.com/argmaxvae/argmaxvae/nn"
	"github.com/argmaxvae/argmaxvae/report"
	"github.com/argmaxvae/argmaxvae/train"
)

// Means decodes the codes (B×N states) and returns each row's Bernoulli
// means σ(logits) as an image ([train.VAE.Decode]).
func Means(v *train.VAE, codes []int) ([][]float32, error) {
	means, err := v.Decode(codes)
	if err != nil {
		return nil, err
	}
	imgs := make([][]float32, means.Rows)
	for i := range imgs {
		imgs[i] = means.Row(i)
	}
	return imgs, nil
}

// Prototype picture bounds: the latents (rows) and states (columns) of
// prototypes.png, so that the picture stays within report.GridImage's
// side limit and its decoding within a few minibatches, whatever -n and
// -k. One latent of many states wraps into rows of 10 states.
const (
	PrototypeLatents = 64
	PrototypeStates  = 100
	PrototypeOneK    = 500 // states shown for a single latent
)

// Prototypes draws the decoder's mean image for each state of each latent
// (the other latents at state 0): one row per latent, K columns; at most
// the first PrototypeLatents latents and PrototypeStates states of each
// (PrototypeOneK for a single latent, wrapped into rows of 10). The
// latents are decoded one row at a time.
func Prototypes(v *train.VAE, path string) error {
	n, k := v.N, v.K
	rows, cols := min(n, PrototypeLatents), min(k, PrototypeStates)
	if n == 1 && k > 10 { // one latent: wrap into rows of 10
		shown := min(k, PrototypeOneK)
		cols, rows = 10, (shown+9)/10
		codes := make([]int, shown)
		for s := range codes {
			codes[s] = s
		}
		imgs, err := Means(v, codes)
		if err != nil {
			return err
		}
		return report.ImageGrid(path, imgs, rows, cols, 28, 28, 2)
	}
	imgs := make([][]float32, 0, rows*cols)
	codes := make([]int, cols*n)
	for i := 0; i < rows; i++ {
		clear(codes)
		for s := 0; s < cols; s++ {
			codes[s*n+i] = s
		}
		row, err := Means(v, codes)
		if err != nil {
			return err
		}
		imgs = append(imgs, row...)
	}
	return report.ImageGrid(path, imgs, rows, cols, 28, 28, 2)
}

// Samples draws decoded images for random latent codes (top half) and, for
// the first test images, the images and their reconstructions at a
// Gumbel-Max sample (bottom half, alternating rows).
func Samples(ctx context.Context, v *train.VAE, test nn.Mat, path string, seed uint64) error {
	const cols = 10
	n, k := v.N, v.K
	r := rand.New(rand.NewPCG(seed, 0x5a))
	codes := make([]int, 2*cols*n)
	for i := range codes {
		codes[i] = r.IntN(k)
	}
	imgs, err := Means(v, codes)
	if err != nil {
		return err
	}
	x := test.Slice(0, min(2*cols, test.Rows))
	recon, err := Reconstruct(ctx, v, x, r)
	if err != nil {
		return err
	}
	for row := 0; row < 2; row++ {
		for c := 0; c < cols && row*cols+c < x.Rows; c++ {
			imgs = append(imgs, x.Row(row*cols+c))
		}
		for c := 0; c < cols && row*cols+c < x.Rows; c++ {
			imgs = append(imgs, recon[row*cols+c])
		}
	}
	return report.ImageGrid(path, imgs, (len(imgs)+cols-1)/cols, cols, 28, 28, 2)
}

// Reconstruct samples z* for each row of x and returns the decoded means.
func Reconstruct(ctx context.Context, v *train.VAE, x nn.Mat, r *rand.Rand) ([][]float32, error) {
	z, err := v.Sample(ctx, x, r)
	if err != nil {
		return nil, err
	}
	return Means(v, z)
}
