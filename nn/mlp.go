package nn

import (
	"fmt"
	"math/rand/v2"
)

// MLP is the two-layer perceptron in → hidden → ReLU → out used by both the
// encoder and the decoder. It owns its activations, so Forward returns a
// matrix that stays valid until the next Forward, and Backward must be given
// the same input as the last Forward. After the first batch of a given size
// neither allocates.
type MLP struct {
	L1, L2 *Linear

	hid  Mat // ReLU(x·W1ᵀ + b1), B×hidden (one row per group after ForwardGrouped)
	out  Mat // B×out
	dhid Mat // gradient with respect to hid, B×hidden (or per group)

	g grouped // buffers of ForwardGrouped and BackwardGrouped
}

// NewMLP returns an in→hidden→ReLU→out network with PyTorch's default
// initialisation for both layers (the first drawn first). Sizes are
// checked as [NewLinear] checks them, before anything is drawn.
func NewMLP(in, hidden, out int, r *rand.Rand) (*MLP, error) {
	switch {
	case in <= 0 || hidden <= 0 || out <= 0:
		return nil, fmt.Errorf("nn: NewMLP(%d, %d, %d): sizes must be positive", in, hidden, out)
	case in > maxLayerWeights/hidden || out > maxLayerWeights/hidden:
		return nil, fmt.Errorf("nn: NewMLP(%d, %d, %d): more than 2^40 weights in one layer", in, hidden, out)
	case r == nil:
		return nil, fmt.Errorf("nn: NewMLP(%d, %d, %d): nil random generator (the initial weights are drawn from it)", in, hidden, out)
	}
	l1, err := NewLinear(in, hidden, r)
	if err != nil {
		return nil, err
	}
	l2, err := NewLinear(hidden, out, r)
	if err != nil {
		return nil, err
	}
	return &MLP{L1: l1, L2: l2}, nil
}

// Forward computes the network on x (B×in) and returns the B×out result,
// owned by m. O(B·hidden·(in+out)).
func (m *MLP) Forward(x Mat) Mat {
	Resize(&m.hid, x.Rows, m.L1.Out)
	Resize(&m.out, x.Rows, m.L2.Out)
	m.L1.Forward(x, m.hid)
	relu(m.hid.Data)
	m.L2.Forward(m.hid, m.out)
	return m.out
}

// Output returns the result of the last Forward (the matrix Forward
// returned).
func (m *MLP) Output() Mat { return m.out }

// Hidden returns the post-ReLU hidden activations of the last Forward
// (after [MLP.ForwardGrouped]: one row per group).
func (m *MLP) Hidden() Mat { return m.hid }

// Backward accumulates parameter gradients for the output gradient dout
// (B×out), given the x of the last Forward. If dx.Data is not nil it also
// sets dx (B×in) to the gradient with respect to x. O(B·hidden·(in+out)).
func (m *MLP) Backward(x, dout Mat, dx Mat) {
	Resize(&m.dhid, x.Rows, m.L1.Out)
	m.L2.Backward(m.hid, dout, m.dhid)
	reluMask(m.hid.Data, m.dhid.Data)
	m.L1.Backward(x, m.dhid, dx)
}

// reluMaskGo zeroes d[i] wherever the ReLU output h[i] is not positive.
func reluMaskGo(h, d []float32) {
	d = d[:len(h)]
	for i, v := range h {
		if v <= 0 {
			d[i] = 0
		}
	}
}

// Params returns the four parameters named "l1.W", "l1.B", "l2.W", "l2.B".
func (m *MLP) Params() []Param {
	return append(Prefixed("l1.", m.L1.Params()), Prefixed("l2.", m.L2.Params())...)
}

// reluGo sets every negative entry to zero in place (NaNs propagate).
func reluGo(v []float32) {
	for i, x := range v {
		if x < 0 {
			v[i] = 0
		}
	}
}
