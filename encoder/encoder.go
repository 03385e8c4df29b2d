package encoder

import (
	"fmt"
	"math/rand/v2"

	"github.com/argmaxvae/argmaxvae/nn"
)

// Encoder maps x (B×D) to a B×Width matrix of scores w(x), the weight
// vector of the latent structure for each example. Coordinates marked
// nonnegative pass through softplus (so every such weight is ≥ 0, e.g. the
// pairwise weights of a supermodular structure); the others are the
// network's raw output. The encoder does not know what the scores mean.
type Encoder struct {
	Net   *nn.MLP
	Width int

	softplus []int  // output columns through softplus, ascending
	out      nn.Mat // scores after softplus
	dRaw     nn.Mat // gradient with respect to the raw network output

	// Dense turns off the sparse first layer (see Forward).
	Dense bool

	xs      nn.BinaryRows // ones of the last Forward's x, when sparse
	sparse  bool          // the last Forward used xs
	xPtr    *float32      // identity of that x: first element and shape
	xRows   int
	xCols   int
	fwd     bool // a Forward has run, on fwdRows rows
	fwdRows int
}

// maxLayerWeights bounds the weights of one layer (2^40 float32, 4 TiB):
// New refuses larger sizes instead of failing to allocate them.
const maxLayerWeights = 1 << 40

// New returns an encoder d → hidden → ReLU → width with PyTorch's default
// initialisation drawn from r; nonneg[j] (nil: none) sends output j through
// softplus. A size that is not positive, a layer of more than
// 2^40 weights, a nil r, or len(nonneg) neither 0 nor width is
// an error naming it.
func New(d, hidden, width int, nonneg []bool, r *rand.Rand) (*Encoder, error) {
	switch {
	case d <= 0:
		return nil, fmt.Errorf("encoder: input width d = %d, want ≥ 1", d)
	case hidden <= 0:
		return nil, fmt.Errorf("encoder: hidden width %d, want ≥ 1", hidden)
	case width <= 0:
		return nil, fmt.Errorf("encoder: output width %d, want ≥ 1", width)
	case len(nonneg) != 0 && len(nonneg) != width:
		return nil, fmt.Errorf("encoder: %d sign flags for %d outputs, want none or one per output", len(nonneg), width)
	case r == nil:
		return nil, fmt.Errorf("encoder: nil random generator (the initial weights are drawn from it)")
	case d > maxLayerWeights/hidden || width > maxLayerWeights/hidden:
		return nil, fmt.Errorf("encoder: layers %d → %d → %d have more than 2^40 weights in one layer", d, hidden, width)
	}
	net, err := nn.NewMLP(d, hidden, width, r)
	if err != nil {
		return nil, fmt.Errorf("encoder: %w", err)
	}
	e := &Encoder{Net: net, Width: width}
	for j, nn := range nonneg {
		if nn {
			e.softplus = append(e.softplus, j)
		}
	}
	return e, nil
}

// NonNegative reports whether output j passes through softplus.
func (e *Encoder) NonNegative(j int) bool {
	for _, c := range e.softplus {
		if c == j {
			return true
		}
	}
	return false
}

// Forward returns the B×Width scores for x (B×D). The matrix is owned by
// e and valid until the next Forward. An x of another width, or whose Data
// is shorter than its shape, is an error naming it. O(B·hidden·(D + width)).
//
// When every pixel of x is 0 or 1 and few enough are ones (by the cost
// model of [nn.Linear.PreferBinary]: below about 28% for batches of 100
// with the AVX-512 products), the first layer adds up the weight columns
// of the ones instead of multiplying, O(ones·hidden + D·hidden), and
// Backward does the same for its weight gradient: binarized MNIST (13%
// ones) takes about half the time of the products that way, Fashion-MNIST
// (45%) stays dense. Set Dense to always multiply. Both paths give the
// same scores and gradients up to float32 rounding.
func (e *Encoder) Forward(x nn.Mat) (nn.Mat, error) {
	if err := e.check("Forward: x", x, -1, e.inputs()); err != nil {
		return nn.Mat{}, err
	}
	e.fwd, e.fwdRows = true, x.Rows
	e.sparse = false
	if !e.Dense && e.xs.TrySet(x) && e.Net.L1.PreferBinary(&e.xs) {
		e.sparse = true
		e.xPtr, e.xRows, e.xCols = first(x), x.Rows, x.Cols
	}
	var raw nn.Mat
	if e.sparse {
		raw = e.Net.ForwardBinary(&e.xs)
	} else {
		raw = e.Net.Forward(x)
	}
	if len(e.softplus) == 0 {
		return raw, nil
	}
	nn.Resize(&e.out, raw.Rows, raw.Cols)
	for b := 0; b < raw.Rows; b++ {
		src, dst := raw.Row(b), e.out.Row(b)
		copy(dst, src)
		for _, j := range e.softplus {
			dst[j] = nn.Softplus(src[j])
		}
	}
	return e.out, nil
}

// Backward accumulates parameter gradients given dscores, the gradient with
// respect to the scores Forward returned (after softplus), for the same x as
// the last Forward. Nonnegative outputs are chained through softplus′ = σ.
// A Backward with no Forward before it, or an x or dscores whose shape is
// not the last Forward's, is an error (and nothing is accumulated).
// O(B·hidden·(D + width)).
func (e *Encoder) Backward(x, dscores nn.Mat) error {
	if e.Net == nil || !e.fwd {
		return fmt.Errorf("encoder: Backward before any Forward")
	}
	if err := e.check("Backward: x", x, e.fwdRows, e.inputs()); err != nil {
		return err
	}
	if err := e.check("Backward: dscores", dscores, e.fwdRows, e.Width); err != nil {
		return err
	}
	if len(e.softplus) == 0 {
		e.netBackward(x, dscores)
		return nil
	}
	rawOut := e.Net.Output()
	nn.Resize(&e.dRaw, dscores.Rows, dscores.Cols)
	for b := 0; b < dscores.Rows; b++ {
		src, dst, pre := dscores.Row(b), e.dRaw.Row(b), rawOut.Row(b)
		copy(dst, src)
		for _, j := range e.softplus {
			dst[j] = src[j] * nn.Sigmoid(pre[j])
		}
	}
	e.netBackward(x, e.dRaw)
	return nil
}

// inputs is the input width D (0 for an encoder not made by New).
func (e *Encoder) inputs() int {
	if e.Net == nil {
		return 0
	}
	return e.Net.L1.In
}

// check returns an error naming what unless m has cols columns, rows
// rows (rows < 0: any number) and at least Rows·Cols values, or when e
// was not made by [New]. O(1).
func (e *Encoder) check(what string, m nn.Mat, rows, cols int) error {
	if e.Net == nil {
		return fmt.Errorf("encoder: %s: the encoder was not made by encoder.New", what)
	}
	if err := m.CheckShape(rows, cols); err != nil {
		return fmt.Errorf("encoder: %s %w", what, err)
	}
	return nil
}

// netBackward runs the network's backward pass on the path the last
// Forward took. The sparse path needs the same x: if Backward gets another
// matrix, its ones are found again.
func (e *Encoder) netBackward(x, draw nn.Mat) {
	if !e.sparse {
		e.Net.Backward(x, draw, nn.Mat{})
		return
	}
	if first(x) != e.xPtr || x.Rows != e.xRows || x.Cols != e.xCols {
		if !e.xs.TrySet(x) {
			e.Net.Backward(x, draw, nn.Mat{})
			return
		}
	}
	e.Net.BackwardBinary(&e.xs, draw)
}

// first returns the address of x's first element (nil when empty).
func first(x nn.Mat) *float32 {
	if len(x.Data) == 0 {
		return nil
	}
	return &x.Data[0]
}

// Params returns the network's parameters named "encoder.l1.W" and so on
// (none for an Encoder not made by New).
func (e *Encoder) Params() []nn.Param {
	if e.Net == nil {
		return nil
	}
	return nn.Prefixed("encoder.", e.Net.Params())
}
