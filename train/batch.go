package train

import (
	"fmt"
	"math/rand/v2"

	"github.com/argmaxvae/argmaxvae/nn"
)

// checkBatch returns an error unless x is a non-empty batch of images of
// v's width, for an estimator's Step called outside a Trainer (which
// checks its data once, before the first step). O(1): the pixels are not
// scanned.
func checkBatch(name string, v *VAE, x nn.Mat) error {
	if v == nil || v.Enc == nil || v.Dec == nil || v.S == nil {
		return fmt.Errorf("train: %s step: the VAE is nil or was not made by NewVAE or ReadModel", name)
	}
	if d := v.Dec.D; x.Cols != d || x.Rows < 1 || x.Rows > len(x.Data)/max(x.Cols, 1) {
		return fmt.Errorf("train: %s step: a %d×%d batch (%d values), want at least one image of width %d", name, x.Rows, x.Cols, len(x.Data), d)
	}
	return nil
}

// checkStep is checkBatch for an estimator that draws from r: a nil r is
// an error too.
func checkStep(name string, v *VAE, x nn.Mat, r *rand.Rand) error {
	if r == nil {
		return fmt.Errorf("train: %s step: nil random generator (the step's noise is drawn from it)", name)
	}
	return checkBatch(name, v, x)
}
