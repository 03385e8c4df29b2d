package nn

import "fmt"

// grouped holds the per-group matrices of ForwardGrouped and
// BackwardGrouped.
type grouped struct {
	x    Mat // one input row per group, U×in
	out  Mat // one output row per group, U×out
	dout Mat // output gradient summed over each group, U×out
	dhid Mat // per-row hidden gradient when dx is wanted, B×hidden
}

// ForwardGrouped is [MLP.Forward] evaluated once per group of identical
// rows of x (g must be the grouping of x, see [RowGroups.Set]) and copied
// to the rows of each group: the B×out result is the same as Forward's up
// to float32 rounding, at the cost of U = g.Len() rows,
// O(U·hidden·(in+out) + B·out). [MLP.BackwardGrouped] must follow, not
// Backward.
func (m *MLP) ForwardGrouped(x Mat, g *RowGroups) Mat {
	if len(g.Of) != x.Rows || x.Cols != m.L1.In {
		panic(fmt.Sprintf("nn: MLP ForwardGrouped: x %d×%d, %d grouped rows, input width %d", x.Rows, x.Cols, len(g.Of), m.L1.In))
	}
	u := g.Len()
	gb := &m.g
	Resize(&gb.x, u, x.Cols)
	for k, r := range g.Rep {
		copy(gb.x.Row(k), x.Row(int(r)))
	}
	Resize(&m.hid, u, m.L1.Out)
	Resize(&gb.out, u, m.L2.Out)
	m.L1.Forward(gb.x, m.hid)
	relu(m.hid.Data)
	m.L2.Forward(m.hid, gb.out)
	Resize(&m.out, x.Rows, m.L2.Out)
	for r, k := range g.Of {
		copy(m.out.Row(r), gb.out.Row(int(k)))
	}
	return m.out
}

// BackwardGrouped is [MLP.Backward] after [MLP.ForwardGrouped] with the
// same x and g. The output gradient is summed over each group first, so the
// parameter gradients cost O(B·out + U·hidden·(in+out)). If dx.Data is not
// nil, dx is set as in Backward, which needs the hidden gradient of every
// row: O(B·hidden·(in+out)) more.
func (m *MLP) BackwardGrouped(x Mat, g *RowGroups, dout Mat, dx Mat) {
	u := g.Len()
	gb := &m.g
	if len(g.Of) != x.Rows || dout.Rows != x.Rows || dout.Cols != m.L2.Out || gb.x.Rows != u || m.hid.Rows != u {
		panic(fmt.Sprintf("nn: MLP BackwardGrouped: x has %d rows, dout %d×%d, %d grouped rows in %d groups, last ForwardGrouped had %d groups",
			x.Rows, dout.Rows, dout.Cols, len(g.Of), u, gb.x.Rows))
	}
	Resize(&gb.dout, u, m.L2.Out)
	gb.dout.Zero()
	groupSum(dout.Data, dout.Rows, dout.Cols, g.Of, gb.dout.Data)
	Resize(&m.dhid, u, m.L1.Out)
	m.L2.Backward(m.hid, gb.dout, m.dhid)
	reluMask(m.hid.Data, m.dhid.Data)
	m.L1.Backward(gb.x, m.dhid, Mat{})
	if dx.Data == nil {
		return
	}
	Resize(&gb.dhid, x.Rows, m.L1.Out)
	Gemm(false, false, 1, dout, m.L2.WMat(), 0, gb.dhid)
	for r, k := range g.Of {
		reluMask(m.hid.Row(int(k)), gb.dhid.Row(r))
	}
	Gemm(false, false, 1, gb.dhid, m.L1.WMat(), 0, dx)
}

// groupSumGo adds row r of src (rows×cols) to row of[r] of dst.
func groupSumGo(src []float32, rows, cols int, of []int32, dst []float32) {
	for r := 0; r < rows; r++ {
		d := dst[int(of[r])*cols : int(of[r]+1)*cols]
		for j, v := range src[r*cols : (r+1)*cols] {
			d[j] += v
		}
	}
}
