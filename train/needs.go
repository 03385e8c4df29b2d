package train

import (
	"fmt"
	"strings"

	"github.com/argmaxvae/argmaxvae/argmax"
)

// Needs is what an estimator declares about itself: which latents it can
// train and which temperature it reads. Commands validate flags and pick
// defaults from these declarations, not from estimator names.
type Needs struct {
	Binary      bool    // K = 2 states per variable
	Independent bool    // no interaction weights and no constraint: a product of per-variable factors
	OneLatent   bool    // a single categorical variable (N = 1)
	Temperature string  // "ε" (direct), "τ" (Gumbel-Softmax) or "" (none)
	MaxTemp     float64 // the largest temperature Step accepts (a schedule above it is refused); 0 means no limit
	AnnealEvery int     // default iterations between temperature updates (0 or 1: every iteration)
	MaxCodes    int     // at most this many joint codes K^N (enumerated every step); 0: no limit
	Subsets     bool    // k-subset latents: an argmax.KSubset or an argmax.Product of them
}

// Check returns an error naming every requirement that the structure s
// does not meet.
func (nd Needs) Check(estimator string, s argmax.Structure) error {
	n, k, interactions := s.Vars(), s.States(), s.Dim()-argmax.Unary(s)
	_, constrained := s.(argmax.Constrained)
	var miss []string
	if nd.Binary && k != 2 {
		miss = append(miss, fmt.Sprintf("binary latents (this one has K = %d)", k))
	}
	if nd.Independent && interactions > 0 {
		miss = append(miss, fmt.Sprintf("independent latents without interaction weights (this structure has %d)", interactions))
	}
	if nd.Independent && constrained {
		miss = append(miss, fmt.Sprintf("independent latents, not a constrained structure (%s)", s.Name()))
	}
	if nd.OneLatent && n != 1 {
		miss = append(miss, fmt.Sprintf("one categorical latent (this one has %d)", n))
	}
	if nd.Subsets {
		if _, err := subsetParts(s); err != nil {
			miss = append(miss, fmt.Sprintf("k-subset latents (%v)", err))
		}
	}
	if nd.MaxCodes > 0 {
		codes := 1
		for i := 0; i < n && codes <= nd.MaxCodes; i++ {
			codes *= k
		}
		if codes > nd.MaxCodes {
			miss = append(miss, fmt.Sprintf("at most %d joint codes K^N, enumerated every step (this one has %d^%d)", nd.MaxCodes, k, n))
		}
	}
	if len(miss) == 0 {
		return nil
	}
	return fmt.Errorf("train: estimator %s needs %s", estimator, strings.Join(miss, " and "))
}

// checkNeeds checks est's declaration against v.
func checkNeeds(est Estimator, v *VAE) error {
	return est.Needs().Check(est.Name(), v.S)
}
