package train

import (
	"fmt"

	"github.com/argmaxvae/argmaxvae/nn"
)

// checkBatch returns an error unless x is a non-empty batch of images of
// v's width, for an estimator's Step called outside a Trainer (which
// checks its data once, before the first step). O(1): the pixels are not
// scanned.
func checkBatch(name string, v *VAE, x nn.Mat) error {
	if d := v.Dec.D; x.Cols != d || x.Rows < 1 || len(x.Data) < x.Rows*x.Cols {
		return fmt.Errorf("train: %s step: a %d×%d batch (%d values), want at least one image of width %d", name, x.Rows, x.Cols, len(x.Data), d)
	}
	return nil
}
