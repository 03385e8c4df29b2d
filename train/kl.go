package train

import (
	"math"

	"github.com/argmaxvae/argmaxvae/nn"
)

// klUnary sets kl[b] = Σᵢ KL(softmax(hᵢ) ‖ uniform over K) for the unary
// scores h of each row (N latents of K states), the exact KL of a factorized
// posterior. If grad is non-nil, it adds scale·∂kl[b]/∂h to grad row b:
// ∂/∂h_ik = q_ik·(log q_ik − Σⱼ q_ij log q_ij).
// It runs in O(B·N·K).
func klUnary(v *VAE, scores nn.Mat, n, k int, kl []float64, grad nn.Mat, scale float64) {
	logK := math.Log(float64(k))
	lq := v.scratch(k)
	q := v.q[:k]
	for b := 0; b < scores.Rows; b++ {
		row := scores.Row(b)
		total := 0.0
		for i := 0; i < n; i++ {
			h := row[i*k : (i+1)*k]
			nn.LogSoftmax(h, lq)
			negH := 0.0 // Σ q log q
			for s := range lq {
				q[s] = math.Exp(lq[s])
				negH += q[s] * lq[s]
			}
			total += negH + logK
			if grad.Data != nil {
				g := grad.Row(b)[i*k : (i+1)*k]
				for s := range g {
					g[s] += float32(scale * q[s] * (lq[s] - negH))
				}
			}
		}
		kl[b] = total
	}
}
