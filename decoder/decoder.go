package decoder

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/argmaxvae/argmaxvae/nn"
)

// Decoder maps a latent code, N one-hot blocks of K (or a relaxed version),
// to Bernoulli logits over D pixels.
type Decoder struct {
	Net     *nn.MLP
	N, K, D int

	// Ungrouped turns off the evaluation once per distinct code (see
	// Forward).
	Ungrouped bool

	v       variantBuffers
	groups  nn.RowGroups // identical rows of the last Forward's z
	grouped bool         // the last Forward evaluated one row per group
	zPtr    *float32     // identity of that z: first element and shape
	zRows   int
	zCols   int
	fwd     bool // a Forward or ForwardVariants has run, on fwdRows rows
	fwdRows int
}

// maxLayerWeights bounds the weights of one layer (2^40 float32, 4 TiB):
// New refuses larger sizes instead of failing to allocate them.
const maxLayerWeights = 1 << 40

// New returns a decoder n·k → hidden → ReLU → d with PyTorch's default
// initialisation drawn from r. A size that is not positive (or n·k beyond
// an int), a layer of more than 2^40 weights or a nil r is an
// error naming it.
func New(n, k, hidden, d int, r *rand.Rand) (*Decoder, error) {
	switch {
	case n <= 0:
		return nil, fmt.Errorf("decoder: %d latent variables, want ≥ 1", n)
	case k <= 0:
		return nil, fmt.Errorf("decoder: %d states per variable, want ≥ 1", k)
	case k > math.MaxInt/n:
		return nil, fmt.Errorf("decoder: %d variables × %d states overflows int", n, k)
	case hidden <= 0:
		return nil, fmt.Errorf("decoder: hidden width %d, want ≥ 1", hidden)
	case d <= 0:
		return nil, fmt.Errorf("decoder: output width d = %d, want ≥ 1", d)
	case r == nil:
		return nil, fmt.Errorf("decoder: nil random generator (the initial weights are drawn from it)")
	case n*k > maxLayerWeights/hidden || d > maxLayerWeights/hidden:
		return nil, fmt.Errorf("decoder: layers %d·%d → %d → %d have more than 2^40 weights in one layer", n, k, hidden, d)
	}
	net, err := nn.NewMLP(n*k, hidden, d, r)
	if err != nil {
		return nil, fmt.Errorf("decoder: %w", err)
	}
	return &Decoder{Net: net, N: n, K: k, D: d}, nil
}

// Forward returns the B×D logits for the dense codes z (B×N·K). The matrix
// is owned by d and valid until the next Forward. A z of another width, or
// whose Data is shorter than its shape, is an error naming it.
// O(B·hidden·(N·K + D)).
//
// Rows of z that repeat (one-hot codes of a single latent take at most K
// values) are evaluated once: when at most 4/5 of the rows are distinct,
// the network runs on the U distinct codes and copies their logits to the
// rows ([nn.MLP.ForwardGrouped]), O(U·hidden·(N·K + D) + B·D), and
// Backward sums the gradient over equal rows before the products. The
// logits are the same up to float32 rounding. Set Ungrouped to always
// evaluate every row.
func (d *Decoder) Forward(z nn.Mat) (nn.Mat, error) {
	if err := d.check("Forward: codes z", z, -1, d.N*d.K); err != nil {
		return nn.Mat{}, err
	}
	d.fwd, d.fwdRows = true, z.Rows
	d.grouped, d.v.adopted = false, false
	if !d.Ungrouped && z.Rows > 1 {
		d.groups.Set(z)
		if 5*d.groups.Len() <= 4*z.Rows {
			d.grouped = true
			d.zPtr, d.zRows, d.zCols = first(z), z.Rows, z.Cols
			return d.Net.ForwardGrouped(z, &d.groups), nil
		}
	}
	return d.Net.Forward(z), nil
}

// Backward accumulates parameter gradients for dlogits (B×D), the gradient
// with respect to the logits of the last Forward on z. If dz.Data is not nil
// it also sets dz (B×N·K) to the gradient with respect to z, as the
// Gumbel-Softmax estimator needs. A Backward with no Forward before it, or
// a z, dlogits or dz whose shape is not the last Forward's, is an error
// (and nothing is accumulated). After a grouped Forward the parameter
// gradients cost O(B·D + U·hidden·(N·K + D)); dz costs
// O(B·hidden·(N·K + D)) more.
func (d *Decoder) Backward(z, dlogits nn.Mat, dz nn.Mat) error {
	if d.Net == nil || !d.fwd {
		return fmt.Errorf("decoder: Backward before any Forward")
	}
	B := d.fwdRows
	if err := d.check("Backward: codes z", z, B, d.N*d.K); err != nil {
		return err
	}
	if err := d.check("Backward: dlogits", dlogits, B, d.D); err != nil {
		return err
	}
	if dz.Data != nil {
		if err := d.check("Backward: dz", dz, B, d.N*d.K); err != nil {
			return err
		}
	}
	if d.v.adopted { // after ForwardVariants (variants.go)
		d.backwardAdopted(z, dlogits, dz)
		return nil
	}
	if !d.grouped {
		d.Net.Backward(z, dlogits, dz)
		return nil
	}
	if first(z) != d.zPtr || z.Rows != d.zRows || z.Cols != d.zCols {
		d.groups.Set(z) // a copy of the same codes groups the same way
	}
	d.Net.BackwardGrouped(z, &d.groups, dlogits, dz)
	return nil
}

// check returns an error naming what unless m has cols columns, rows
// rows (rows < 0: any number) and at least Rows·Cols values, or when d was
// not made by [New]. O(1).
func (d *Decoder) check(what string, m nn.Mat, rows, cols int) error {
	if d.Net == nil {
		return fmt.Errorf("decoder: %s: the decoder was not made by decoder.New", what)
	}
	if err := m.CheckShape(rows, cols); err != nil {
		return fmt.Errorf("decoder: %s %w", what, err)
	}
	return nil
}

// first returns the address of z's first element (nil when empty).
func first(z nn.Mat) *float32 {
	if len(z.Data) == 0 {
		return nil
	}
	return &z.Data[0]
}

// Params returns the network's parameters named "decoder.l1.W" and so on
// (none for a Decoder not made by New).
func (d *Decoder) Params() []nn.Param {
	if d.Net == nil {
		return nil
	}
	return nn.Prefixed("decoder.", d.Net.Params())
}

// OneHot writes the codes idx (B×N flat: the state of each latent) into dst
// (B×N·K, with B = dst.Rows) as N one-hot blocks of K. Sizes that
// disagree, or a state outside [0, k), are an error naming the entry (dst
// may then be partly written). O(B·N·K).
func OneHot(idx []int, n, k int, dst nn.Mat) error {
	if n <= 0 || k <= 0 || dst.Rows < 0 || dst.Cols != n*k || len(idx) != dst.Rows*n || dst.Rows > len(dst.Data)/max(dst.Cols, 1) {
		return fmt.Errorf("decoder: OneHot: %d states for n = %d latents of k = %d into a %d×%d matrix (%d values): want n, k ≥ 1, %d states and a %d×%d matrix",
			len(idx), n, k, dst.Rows, dst.Cols, len(dst.Data), dst.Rows*n, dst.Rows, n*k)
	}
	dst.Zero()
	for b := 0; b < dst.Rows; b++ {
		row := dst.Row(b)
		for i, s := range idx[b*n : (b+1)*n] {
			if s < 0 || s >= k {
				return fmt.Errorf("decoder: OneHot: state %d of latent %d in example %d outside [0, %d)", s, i, b, k)
			}
			row[i*k+s] = 1
		}
	}
	return nil
}
