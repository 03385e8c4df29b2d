package train

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/argmaxvae/argmaxvae/decoder"
	"github.com/argmaxvae/argmaxvae/nn"
)

// Using a trained model: Encode (the code of an image), Sample (a
// Gumbel-Max draw of it), Decode (a code's Bernoulli means) and Generate
// (codes from the prior, decoded). These run the networks outside a
// training step: do not call them between a step's calls of the step API,
// nor concurrently with anything else on the same VAE. Those that solve
// check ctx between rounds of solves, like the step API.

// Encode returns the noiseless codes of the rows of x (B×N, flat, a new
// slice): z_b = argmax_z ⟨w(x_b), φ(z)⟩, the mode of the Gibbs
// distribution exp h(x_b, z)/Z, solved exactly by the VAE's solver (ties
// as that solver breaks them). [VAE.Sample] adds Gumbel noise instead.
// Data whose width is not the encoder's, or with a pixel that is not
// finite, is an error. O(B·(hidden·(D+Dim)
// + one solve)).
func (v *VAE) Encode(ctx context.Context, x nn.Mat) ([]int, error) {
	if err := checkCtx(ctx); err != nil {
		return nil, err
	}
	if err := v.checkData("Encode", x); err != nil {
		return nil, err
	}
	z := make([]int, x.Rows*v.N)
	if x.Rows == 0 {
		return z, nil
	}
	v.useThreads()
	if _, err := v.Scores(x); err != nil { // loads the weight vectors with w(x)
		return nil, fmt.Errorf("train: Encode: %w", err)
	}
	if err := v.SolveInto(ctx, z); err != nil {
		return nil, fmt.Errorf("train: Encode: %w", err)
	}
	return z, nil
}

// Sample returns Gumbel-Max samples z* = argmax_z ⟨w(x_b) + γ, φ(z)⟩
// (B×N, flat, a new slice) for the rows of x, with the Gumbel noise γ on
// the unary scores drawn from r and solved by the VAE's solver. Data whose
// width is not the encoder's, with a pixel that is not finite, or a nil r
// is an error. O(B·(hidden·(D+Dim) + one
// solve)).
func (v *VAE) Sample(ctx context.Context, x nn.Mat, r *rand.Rand) ([]int, error) {
	if err := checkCtx(ctx); err != nil {
		return nil, err
	}
	if err := v.checkData("Sample", x); err != nil {
		return nil, err
	}
	if r == nil {
		return nil, errors.New("train: Sample: nil random generator (the Gumbel noise is drawn from it)")
	}
	if x.Rows == 0 {
		return []int{}, nil
	}
	v.useThreads()
	_, z, err := v.SampleArgmax(ctx, x, r)
	if err != nil {
		return nil, fmt.Errorf("train: Sample: %w", err)
	}
	return slices.Clone(z), nil
}

// Decode returns the decoder's Bernoulli means σ(logits) for the codes z
// (B×N, flat): a new B×D matrix, row b the mean image of code b. A state
// outside [0, K) or a length that is not a multiple of N is an error
// naming it. Codes need not be feasible for a constrained structure (a
// traversal changes one variable at a time): the decoder reads any
// one-hot code. O(B·hidden·(N·K + D)).
func (v *VAE) Decode(z []int) (nn.Mat, error) {
	if err := v.usable(); err != nil {
		return nn.Mat{}, err
	}
	if len(z)%v.N != 0 {
		return nn.Mat{}, fmt.Errorf("train: Decode: %d states is not a whole number of codes of %d variables", len(z), v.N)
	}
	if err := checkStates("Decode", z, v.N, v.K); err != nil {
		return nn.Mat{}, err
	}
	b := len(z) / v.N
	means := nn.NewMat(b, v.Dec.D)
	if b == 0 {
		return means, nil
	}
	v.useThreads()
	oh := nn.NewMat(b, v.NK())
	if err := decoder.OneHot(z, v.N, v.K, oh); err != nil {
		return nn.Mat{}, err
	}
	logits, err := v.Dec.Forward(oh)
	if err != nil {
		return nn.Mat{}, err
	}
	for i := 0; i < b; i++ {
		dst := means.Row(i)
		for d, l := range logits.Row(i) {
			dst[d] = nn.Sigmoid(l)
		}
	}
	return means, nil
}

// Generate draws n codes from the prior, uniform over the structure's
// feasible codes, and decodes them: codes (n×N, flat) and their Bernoulli
// means (n×D). The draw is exact: independent uniform states for an
// unconstrained structure, the structure's own sampler at θ = 0 for an
// [argmax.UnaryFamily] (k-subsets, spanning trees), a uniform permutation
// for a matching, part by part for a product, and rejection from uniform
// states for any other constrained structure (an error if 100,000 draws
// in a row are infeasible). Randomness comes from r only; ctx is checked
// between codes.
func (v *VAE) Generate(ctx context.Context, n int, r *rand.Rand) ([]int, nn.Mat, error) {
	if err := checkCtx(ctx); err != nil {
		return nil, nn.Mat{}, err
	}
	if err := v.usable(); err != nil {
		return nil, nn.Mat{}, err
	}
	if n < 0 {
		return nil, nn.Mat{}, fmt.Errorf("train: Generate: %d codes, want ≥ 0", n)
	}
	if r == nil {
		return nil, nn.Mat{}, fmt.Errorf("train: Generate: nil random generator")
	}
	codes := make([]int, n*v.N)
	p := newPrior(v.S)
	for i := 0; i < n; i++ {
		if err := ctx.Err(); err != nil {
			return nil, nn.Mat{}, err
		}
		if err := p.sample(r, codes[i*v.N:(i+1)*v.N]); err != nil {
			return nil, nn.Mat{}, fmt.Errorf("train: Generate: %w", err)
		}
	}
	means, err := v.Decode(codes)
	return codes, means, err
}

// checkData checks that x is a matrix of the encoder's width.
func (v *VAE) checkData(op string, x nn.Mat) error {
	if err := v.usable(); err != nil {
		return err
	}
	if in := v.Enc.Net.L1.In; x.Cols != in {
		return fmt.Errorf("train: %s: data of width %d, the model's encoder takes %d", op, x.Cols, in)
	}
	if x.Rows < 0 || x.Rows > len(x.Data)/max(x.Cols, 1) {
		return fmt.Errorf("train: %s: a %d×%d matrix with %d values", op, x.Rows, x.Cols, len(x.Data))
	}
	for i, p := range x.Data[:x.Rows*x.Cols] {
		if math.IsNaN(float64(p)) || math.IsInf(float64(p), 0) {
			return fmt.Errorf("train: %s: pixel %d of example %d is %v", op, i%x.Cols, i/x.Cols, p)
		}
	}
	return nil
}

// maxRejections caps the rejection sampler of the prior.
const maxRejections = 100_000

// prior samples the uniform distribution over a structure's feasible
// codes (see [VAE.Generate]).
type prior struct {
	s       argmax.Structure
	parts   []*prior // a product's parts, in order
	family  argmax.UnarySampler
	perm    bool // a matching
	checked bool // constrained without a sampler: rejection
}

func newPrior(s argmax.Structure) *prior {
	p := &prior{s: s}
	switch t := s.(type) {
	case *argmax.Product:
		for _, part := range t.Parts() {
			p.parts = append(p.parts, newPrior(part))
		}
		return p
	case *argmax.Matching:
		p.perm = true
		return p
	}
	if _, ok := s.(argmax.Constrained); !ok {
		return p
	}
	if f := argmax.SamplerOf(s); f != nil {
		if _, err := f.Set(make([]float64, argmax.Unary(s))); err == nil {
			p.family = f
			return p
		}
	}
	p.checked = true
	return p
}

func (p *prior) sample(r *rand.Rand, z []int) error {
	switch {
	case p.parts != nil:
		off := 0
		for _, q := range p.parts {
			n := q.s.Vars()
			if err := q.sample(r, z[off:off+n]); err != nil {
				return err
			}
			off += n
		}
		return nil
	case p.perm:
		copy(z, r.Perm(len(z)))
		return nil
	case p.family != nil:
		_, err := p.family.Sample(r.Float64, z)
		return err
	}
	k := p.s.States()
	for try := 0; try < maxRejections; try++ {
		for i := range z {
			z[i] = r.IntN(k)
		}
		if !p.checked || argmax.Feasible(p.s, z) {
			return nil
		}
	}
	return fmt.Errorf("no exact sampler of the uniform prior over %s (constrained, not an argmax.UnaryFamily), and %d uniform codes in a row were infeasible", p.s.Name(), maxRejections)
}
