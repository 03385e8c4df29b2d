package semisup

import (
	"math/rand/v2"

	"github.com/argmaxvae/argmaxvae/nn"
)

// Estimator computes one training step's gradients for a batch: it
// accumulates into the model's parameter gradients the gradient of the
// batch's mean loss, and returns that loss. labels[b] is the class of
// example b, or −1 when it is unlabelled. temp is the step's annealed
// temperature (ε for direct, τ for Gumbel-Softmax). Noise comes from r.
type Estimator interface {
	Name() string
	Step(m *Model, x nn.Mat, labels []int, temp float64, r *rand.Rand) (loss float64)
}
