package nn

import "fmt"

// ForwardBinary is [Linear.Forward] for an input of zeros and ones: y =
// x·Wᵀ + b, each row the bias plus the columns of W where x has a one. It
// transposes W into a buffer of the layer, O(In·Out), then adds
// O(ones·Out), against O(Rows·In·Out) for the dense product (see
// [Linear.PreferBinary] for when it pays). Results equal Forward's up to
// float32 rounding.
func (l *Linear) ForwardBinary(x *BinaryRows, y Mat) {
	if x.Cols != l.In || y.Cols != l.Out || y.Rows != x.Rows || len(y.Data) < y.Rows*y.Cols {
		panic(fmt.Sprintf("nn: Linear %d→%d ForwardBinary: x %d×%d, y %d×%d", l.In, l.Out, x.Rows, x.Cols, y.Rows, y.Cols))
	}
	binaryForward(l, x, y)
}

// BackwardBinary is [Linear.Backward] for an input of zeros and ones,
// without the input gradient: GW += dyᵀ·x, column j of GW gaining the sum
// of the rows of dy whose input has a one in column j, and GB += Σ_rows dy.
// O(ones·Out + In·Out). dy is B×Out with B = x.Rows.
func (l *Linear) BackwardBinary(x *BinaryRows, dy Mat) {
	if x.Cols != l.In || dy.Cols != l.Out || dy.Rows != x.Rows || len(dy.Data) < dy.Rows*dy.Cols {
		panic(fmt.Sprintf("nn: Linear %d→%d BackwardBinary: x %d×%d, dy %d×%d", l.In, l.Out, x.Rows, x.Cols, dy.Rows, dy.Cols))
	}
	if dy.Rows == 0 {
		return
	}
	cs, ci := x.byColumn()
	binaryBackward(l, dy, cs, ci)
}

// PreferBinary reports whether [Linear.ForwardBinary] and
// [Linear.BackwardBinary] are expected to be cheaper than the dense
// products for the input x, by a cost model of the forward and
// weight-gradient passes measured on this package's kernels (784→300,
// batches of 20 and 100): time per one and output for the sparse adds, per
// weight for the sparse path's transposes and per multiply-add for the
// dense products (see binaryCosts). With the AVX-512 products and a batch
// of 100 the crossover is near 28% ones (MNIST has 13%, Fashion-MNIST
// 45%); small batches favour the dense path, whose cost has no per-weight
// term.
func (l *Linear) PreferBinary(x *BinaryRows) bool {
	c := binaryCosts()
	sparse := float64(x.NNZ())*float64(l.Out)*c.perOne + float64(l.In*l.Out)*c.perWeight
	dense := float64(x.Rows) * float64(l.In*l.Out) * c.perMAC
	return sparse < dense
}

// sparseCosts are the constants of [Linear.PreferBinary], in nanoseconds.
type sparseCosts struct{ perOne, perWeight, perMAC float64 }
