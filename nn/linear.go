package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Linear is a fully connected layer y = x·Wᵀ + b. W is Out×In row-major (the
// PyTorch layout), B has Out entries, and GW, GB accumulate gradients.
type Linear struct {
	In, Out int
	W, B    []float32
	GW, GB  []float32

	bin *binaryWork // buffers of ForwardBinary and BackwardBinary
}

// maxLayerWeights bounds the weights of one layer (2^40 float32, 4 TiB):
// NewLinear and NewMLP refuse larger sizes instead of failing to allocate
// them.
const maxLayerWeights = 1 << 40

// NewLinear returns an in→out layer initialised as PyTorch's nn.Linear:
// every weight and bias drawn from U(−1/√in, 1/√in). A size that is not
// positive, more than 2^40 weights or a nil r is an error
// naming it.
func NewLinear(in, out int, r *rand.Rand) (*Linear, error) {
	switch {
	case in <= 0 || out <= 0:
		return nil, fmt.Errorf("nn: NewLinear(%d, %d): sizes must be positive", in, out)
	case in > maxLayerWeights/out:
		return nil, fmt.Errorf("nn: NewLinear(%d, %d): more than 2^40 weights", in, out)
	case r == nil:
		return nil, fmt.Errorf("nn: NewLinear(%d, %d): nil random generator (the initial weights are drawn from it)", in, out)
	}
	l := &Linear{In: in, Out: out,
		W: make([]float32, out*in), B: make([]float32, out),
		GW: make([]float32, out*in), GB: make([]float32, out)}
	bound := 1 / math.Sqrt(float64(in))
	for i := range l.W {
		l.W[i] = float32((2*r.Float64() - 1) * bound)
	}
	for i := range l.B {
		l.B[i] = float32((2*r.Float64() - 1) * bound)
	}
	return l, nil
}

// WMat returns W as an Out×In matrix sharing its data.
func (l *Linear) WMat() Mat { return Mat{Rows: l.Out, Cols: l.In, Data: l.W} }

// Forward sets y = x·Wᵀ + b for x of shape B×In and y of shape B×Out.
// O(B·In·Out).
func (l *Linear) Forward(x, y Mat) {
	if x.Cols != l.In || y.Cols != l.Out || y.Rows != x.Rows {
		panic(fmt.Sprintf("nn: Linear %d→%d Forward: x %d×%d, y %d×%d", l.In, l.Out, x.Rows, x.Cols, y.Rows, y.Cols))
	}
	for i := 0; i < y.Rows; i++ {
		copy(y.Row(i), l.B)
	}
	Gemm(false, true, 1, x, l.WMat(), 1, y)
}

// Backward accumulates GW += dyᵀ·x and GB += Σ_rows dy for the input x of
// the forward pass and the output gradient dy (B×Out). If dx.Data is not
// nil it also sets dx = dy·W (B×In), overwriting it. O(B·In·Out).
func (l *Linear) Backward(x, dy, dx Mat) {
	if x.Cols != l.In || dy.Cols != l.Out || dy.Rows != x.Rows {
		panic(fmt.Sprintf("nn: Linear %d→%d Backward: x %d×%d, dy %d×%d", l.In, l.Out, x.Rows, x.Cols, dy.Rows, dy.Cols))
	}
	Gemm(true, false, 1, dy, x, 1, Mat{Rows: l.Out, Cols: l.In, Data: l.GW})
	gb := l.GB[:l.Out]
	for i := 0; i < dy.Rows; i++ {
		for j, v := range dy.Row(i) {
			gb[j] += v
		}
	}
	if dx.Data != nil {
		Gemm(false, false, 1, dy, l.WMat(), 0, dx)
	}
}

// Params returns W and B with their gradients, named "W" and "B".
func (l *Linear) Params() []Param {
	return []Param{
		{Name: "W", W: l.W, G: l.GW, Rows: l.Out, Cols: l.In},
		{Name: "B", W: l.B, G: l.GB, Rows: l.Out, Cols: 1},
	}
}
