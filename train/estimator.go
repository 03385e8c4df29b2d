package train

import (
	"context"
	"math/rand/v2"

	"github.com/argmaxvae/argmaxvae/nn"
)

// Stats are the per-example means of one minibatch step.
type Stats struct {
	Loss  float64 // negative ELBO estimate: Recon + KL
	Recon float64 // −log p(x|z) at the sample the step used (or its expectation, for Exact)
	KL    float64 // KL(q‖uniform) of the unary factors
}

// Estimator turns a minibatch into gradients of the mean negative ELBO,
// accumulated into the encoder's and decoder's parameter gradients (which
// the caller zeroes).
//
// Step is written with the VAE's step API alone (see api.go: Scores or
// SampleArgmax, Weights and the Solve methods, LocalLogLik, the
// DecodeBackward methods, GradBuffer, AddFeatures, UnaryKL), so an
// estimator outside this package is written as the package's own are. It
// trains the decoder through the DecodeBackward methods and ends with
// exactly one [VAE.EncoderBackward](x, dw), dw = ∂(mean loss)/∂w(x) (B×Dim),
// which [VAE.ScoreGrad] returns afterwards (the trainer refuses a step that
// does not call it). It returns the batch's [Stats]. temp is the current
// temperature (ε, τ or σ, as [Needs].Temperature says); estimators without
// one ignore it. Randomness comes only from r. Needs declares what the
// estimator trains; [NewTrainer] checks it against the VAE's structure.
type Estimator interface {
	Name() string
	Needs() Needs
	Step(ctx context.Context, v *VAE, x nn.Mat, r *rand.Rand, temp float64) (Stats, error)
}

// settingsChecker is implemented by the package's estimators whose fields
// can be set wrong: NewTrainer calls check before the first step, and Step
// calls it again for callers that drive Step themselves.
type settingsChecker interface {
	check() error
}

// Stateful is implemented by estimators whose state must survive a
// checkpoint (a learned baseline, say): SaveState returns named float32
// vectors, LoadState gets back the ones named by StateKeys.
type Stateful interface {
	StateKeys() []string
	SaveState() map[string][]float32
	LoadState(map[string][]float32) error
}

// meanStats averages −f and KL over the batch.
func meanStats(f []float32, kl []float64) Stats {
	var s Stats
	for b := range f {
		s.Recon -= float64(f[b])
		s.KL += kl[b]
	}
	n := float64(len(f))
	s.Recon /= n
	s.KL /= n
	s.Loss = s.Recon + s.KL
	return s
}
