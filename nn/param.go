package nn

// Param is one named parameter tensor: its values W and the gradient
// accumulator G of the same length. Rows and Cols record its shape for
// checkpoints (a vector is Rows = len, Cols = 1); both zero means a vector.
// Names must be unique within a model; layers prefix their own.
type Param struct {
	Name       string
	W, G       []float32
	Rows, Cols int
}

// shape returns the recorded shape, defaulting to len(W)×1.
func (p Param) shape() (int, int) {
	if p.Rows == 0 && p.Cols == 0 {
		return len(p.W), 1
	}
	return p.Rows, p.Cols
}

// ZeroGrad sets every gradient accumulator in ps to zero.
func ZeroGrad(ps []Param) {
	for _, p := range ps {
		clear(p.G)
	}
}

// Prefixed returns copies of ps whose names start with prefix (the slices
// are shared).
func Prefixed(prefix string, ps []Param) []Param {
	out := make([]Param, len(ps))
	for i, p := range ps {
		p.Name = prefix + p.Name
		out[i] = p
	}
	return out
}

// NumParams returns the total number of scalars in ps.
func NumParams(ps []Param) int {
	n := 0
	for _, p := range ps {
		n += len(p.W)
	}
	return n
}
