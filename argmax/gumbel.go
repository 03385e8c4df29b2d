package argmax

import (
	"math"
	"math/rand/v2"
)

// Gumbel returns a standard Gumbel variate (location 0, scale 1),
// −log(−log U) for U uniform on (0, 1). The paper's zero-mean law differs
// only by the Euler constant, which does not move an arg max.
func Gumbel(r *rand.Rand) float64 {
	for {
		u := r.Float64()
		if u > 0 {
			return -math.Log(-math.Log(u))
		}
	}
}

// PerturbUnary adds independent standard Gumbel noise to every unary score
// of m (every state of every variable), so that for a model without edges
// argmax of the perturbed scores is a sample from q(z) ∝ exp(h(z)). For a
// binary variable this is noise on both values, i.e. logistic noise on θᵢ.
// With edges, perturbing only the unaries is the paper's low-dimensional
// perturbation; its samples do not follow the Gibbs distribution of h.
func PerturbUnary(m *Model, r *rand.Rand) {
	for i := range m.Unary {
		m.Unary[i] += Gumbel(r)
	}
}

// GumbelFill fills dst with independent standard Gumbel variates.
func GumbelFill(dst []float64, r *rand.Rand) {
	for i := range dst {
		dst[i] = Gumbel(r)
	}
}
