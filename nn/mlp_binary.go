package nn

// ForwardBinary is [MLP.Forward] for a 0/1 input given by the positions of
// its ones: the first layer runs [Linear.ForwardBinary]. The result equals
// Forward on the dense form of x up to float32 rounding.
// O(ones·hidden + in·hidden + B·hidden·out).
func (m *MLP) ForwardBinary(x *BinaryRows) Mat {
	Resize(&m.hid, x.Rows, m.L1.Out)
	Resize(&m.out, x.Rows, m.L2.Out)
	m.L1.ForwardBinary(x, m.hid)
	relu(m.hid.Data)
	m.L2.Forward(m.hid, m.out)
	return m.out
}

// BackwardBinary is [MLP.Backward] without the input gradient, for the x
// of the last ForwardBinary: it accumulates the parameter gradients for
// the output gradient dout (B×out), the first layer through
// [Linear.BackwardBinary]. O(ones·hidden + in·hidden + B·hidden·out).
func (m *MLP) BackwardBinary(x *BinaryRows, dout Mat) {
	Resize(&m.dhid, x.Rows, m.L1.Out)
	m.L2.Backward(m.hid, dout, m.dhid)
	reluMask(m.hid.Data, m.dhid.Data)
	m.L1.BackwardBinary(x, m.dhid)
}
