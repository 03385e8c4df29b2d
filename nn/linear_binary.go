package nn

import "fmt"

// binaryWork holds a layer's buffers for 0/1 inputs. Rows of wt and gwt,
// the bias and the rows of dy are padded with zeros to ld, a multiple of
// 16, so the kernels run whole vectors.
type binaryWork struct {
	ld   int
	wt   []float32 // Wᵀ, In×ld
	bias []float32 // B, ld
	dy   []float32 // output gradient, rows×ld
	gwt  []float32 // weight gradient by input column, In×ld
}

func (l *Linear) binaryWork() *binaryWork {
	w := l.bin
	if w == nil {
		ld := (l.Out + 15) &^ 15
		w = &binaryWork{ld: ld, wt: make([]float32, l.In*ld), bias: make([]float32, ld), gwt: make([]float32, l.In*ld)}
		l.bin = w
	}
	return w
}

// ForwardBinary is [Linear.Forward] for an input of zeros and ones: y =
// x·Wᵀ + b, each row the bias plus the columns of W where x has a one. It
// transposes W into a buffer of the layer, O(In·Out), then adds
// O(ones·Out), against O(Rows·In·Out) for the dense product: with
// MNIST-like inputs (13% ones) and batches of 100 it is several times
// faster. Results equal Forward's up to float32 rounding.
func (l *Linear) ForwardBinary(x *BinaryRows, y Mat) {
	if x.Cols != l.In || y.Cols != l.Out || y.Rows != x.Rows || len(y.Data) < y.Rows*y.Cols {
		panic(fmt.Sprintf("nn: Linear %d→%d ForwardBinary: x %d×%d, y %d×%d", l.In, l.Out, x.Rows, x.Cols, y.Rows, y.Cols))
	}
	w := l.binaryWork()
	transpose(l.W, l.Out, l.In, l.In, w.wt, w.ld, false)
	copy(w.bias, l.B)
	gatherAdd(w.wt, w.ld, x.Start, x.Idx, x.Rows, w.bias, l.Out, y.Data, l.Out)
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
	w := l.binaryWork()
	ld := w.ld
	if n := dy.Rows * ld; cap(w.dy) < n {
		w.dy = make([]float32, n) // padding stays zero
	}
	dyp := w.dy[:dy.Rows*ld]
	gb := l.GB[:l.Out]
	for b := 0; b < dy.Rows; b++ {
		row := dy.Row(b)
		copy(dyp[b*ld:], row)
		for j, v := range row {
			gb[j] += v
		}
	}
	cs, ci := x.byColumn()
	colSums(dyp, ld, cs, ci, l.In, w.gwt, ld)
	transpose(w.gwt, l.In, l.Out, ld, l.GW, l.In, true)
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
