package train

import (
	"math"
	"math/rand/v2"

	"github.com/argmaxvae/argmaxvae/nn"
)

// binaryPair is shared by the estimators that decode two samples per
// example (ARM, DisARM): it holds the per-bit logits α = h₁ − h₀, the
// uniforms u, and the stacked batch [x; x] with codes [z¹; z²].
type binaryPair struct {
	alpha, u []float64
	zz       []int
	xx       nn.Mat
}

// prepare encodes x, computes α and draws u, and sizes the stacked batch.
// It returns the scores.
func (p *binaryPair) prepare(v *VAE, x nn.Mat, r *rand.Rand) (nn.Mat, error) {
	B, n := x.Rows, v.N
	scores, err := v.Scores(x)
	if err != nil {
		return nn.Mat{}, err
	}
	if cap(p.alpha) < B*n {
		p.alpha, p.u, p.zz = make([]float64, B*n), make([]float64, B*n), make([]int, 2*B*n)
	}
	p.alpha, p.u, p.zz = p.alpha[:B*n], p.u[:B*n], p.zz[:2*B*n]
	for b := 0; b < B; b++ {
		row := scores.Row(b)
		for i := 0; i < n; i++ {
			p.alpha[b*n+i] = float64(row[2*i+1]) - float64(row[2*i])
		}
	}
	for j := range p.u {
		p.u[j] = r.Float64()
	}
	nn.Resize(&p.xx, 2*B, x.Cols)
	copy(p.xx.Data[:B*x.Cols], x.Data[:B*x.Cols])
	copy(p.xx.Data[B*x.Cols:2*B*x.Cols], x.Data[:B*x.Cols])
	return scores, nil
}

// decodeBoth decodes the stacked codes and backpropagates the decoder
// gradient of the mean loss over both samples. It returns f(x_b, z¹_b) in
// its first B entries and f(x_b, z²_b) in the next B.
func (p *binaryPair) decodeBoth(v *VAE) ([]float32, error) {
	return v.DecodeBackward(p.xx, p.zz, nn.Mat{})
}

// addBitGrad adds g to ∂/∂h_i1 and −g to ∂/∂h_i0 (α = h₁ − h₀).
func addBitGrad(ds []float32, i int, g float64) {
	ds[2*i+1] += float32(g)
	ds[2*i] -= float32(g)
}

func sigmoid(a float64) float64 { return 1 / (1 + math.Exp(-a)) }

// finishBinary adds the KL gradient to dw, backpropagates the encoder and
// returns the statistics: reconstruction averaged over the 2B decoded
// samples f, KL over the B examples.
func finishBinary(v *VAE, x, scores, dw nn.Mat, f []float32) (Stats, error) {
	B := x.Rows
	kl, err := v.UnaryKL(scores, dw, 1/float64(B))
	if err != nil {
		return Stats{}, err
	}
	if err := v.EncoderBackward(x, dw); err != nil {
		return Stats{}, err
	}
	var s Stats
	for _, fb := range f {
		s.Recon -= float64(fb)
	}
	s.Recon /= float64(len(f))
	for _, k := range kl {
		s.KL += k
	}
	s.KL /= float64(B)
	s.Loss = s.Recon + s.KL
	return s, nil
}
