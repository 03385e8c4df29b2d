package train

import "github.com/argmaxvae/argmaxvae/nn"

// allCodes serves models with one categorical latent, whose decoder output
// depends only on the state: the K one-hot codes are decoded once per
// batch, giving f(x_b, s) for every example and state with one product,
// and the decoder gradient of any weighting of those terms with another.
type allCodes struct {
	codes, dl nn.Mat
	sp, mass  []float32
}

// forward decodes the K codes, keeping the decoder's activations for
// backward, and sets F[b,s] = f(x_b, s) = x_b·L_s − Σ_d softplus(L_s,d).
// It returns the codes' logits L (K×D). O(K·hidden·D + B·D·K).
func (c *allCodes) forward(v *VAE, x, F nn.Mat) (nn.Mat, error) {
	k := v.K
	nn.Resize(&c.codes, k, k)
	clear(c.codes.Data[:k*k])
	for s := 0; s < k; s++ {
		c.codes.Data[s*k+s] = 1
	}
	logits, err := v.Dec.Forward(c.codes)
	if err != nil {
		return nn.Mat{}, err
	}
	if cap(c.sp) < k {
		c.sp, c.mass = make([]float32, k), make([]float32, k)
	}
	sp := c.sp[:k]
	nn.SoftplusRows(logits, nil, sp)
	nn.Gemm(false, true, 1, x, logits, 0, F)
	for b := 0; b < F.Rows; b++ {
		row := F.Row(b)
		for s := range row {
			row[s] = float32(float64(row[s]) - float64(sp[s]))
		}
	}
	return logits, nil
}

// backward accumulates the decoder gradient of −(1/B)·Σ_b Σ_s Q[b,s]·f(x_b, s)
// at the codes of the last forward: dL = −(1/B)·(QᵀX − diag(Σ_b Q_bs)·σ(L)).
// Q is B×K (a distribution or a one-hot row per example).
func (c *allCodes) backward(v *VAE, x, q, logits nn.Mat) error {
	B, k := x.Rows, v.K
	nn.Resize(&c.dl, k, v.Dec.D)
	nn.Gemm(true, false, float32(-1)/float32(B), q, x, 0, c.dl)
	mass := c.mass[:k]
	for s := 0; s < k; s++ {
		m := 0.0
		for b := 0; b < B; b++ {
			m += float64(q.Data[b*k+s])
		}
		mass[s] = float32(m / float64(B))
	}
	nn.AddScaledSigmoid(c.dl, logits, mass)
	return v.Dec.Backward(c.codes, c.dl, nn.Mat{})
}
