package nn

import "fmt"

// BinaryRows is a Rows×Cols matrix of zeros and ones stored by the
// positions of its ones, row by row (compressed sparse rows without
// values): row r's ones are in columns Idx[Start[r]:Start[r+1]], in
// increasing order. It is the input format of [Linear.ForwardBinary] and
// [Linear.BackwardBinary], which cost O(ones·Out) instead of
// O(Rows·Cols·Out). [BinaryRows.Set] rebuilds it in place, so a loop over
// equally sized batches allocates only on the first call.
type BinaryRows struct {
	Rows, Cols int
	Start      []int32 // Rows+1 offsets into Idx
	Idx        []int32 // column of each one

	// The same ones by column (compressed sparse columns), built on demand
	// by byColumn for weight gradients.
	colStart, colIdx []int32
	colsOK           bool
}

// Set makes s the sparse form of x and returns nil, or returns an error
// naming the first entry of x (row, column and value) that is neither 0
// nor 1; s is then empty (0×0). O(Rows·Cols).
func (s *BinaryRows) Set(x Mat) error {
	if x.Rows < 0 || x.Cols < 0 || len(x.Data) < x.Rows*x.Cols {
		return fmt.Errorf("nn: BinaryRows.Set: %d×%d matrix with %d elements", x.Rows, x.Cols, len(x.Data))
	}
	if i := s.set(x); i >= 0 {
		return fmt.Errorf("nn: BinaryRows.Set: entry (%d, %d) is %v, not 0 or 1", i/x.Cols, i%x.Cols, x.Data[i])
	}
	return nil
}

// TrySet is [BinaryRows.Set] reporting only whether x was binary, without
// building an error: it never allocates once s has grown to x's size, so
// it suits a per-batch test of whether the sparse path applies.
func (s *BinaryRows) TrySet(x Mat) bool {
	if x.Rows < 0 || x.Cols < 0 || len(x.Data) < x.Rows*x.Cols {
		return false
	}
	return s.set(x) < 0
}

// set fills s from x and returns −1, or the flat index of the first entry
// that is not 0 or 1 (leaving s empty).
func (s *BinaryRows) set(x Mat) int {
	s.colsOK = false
	s.Start = grow32(s.Start, x.Rows+1)
	s.Idx = grow32(s.Idx, x.Rows*x.Cols+scanSlack)
	n := binaryScan(x.Data, x.Rows, x.Cols, s.Start, s.Idx[:cap(s.Idx)])
	if n < 0 {
		s.Rows, s.Cols, s.Start, s.Idx = 0, 0, s.Start[:1], s.Idx[:0]
		s.Start[0] = 0
		return -1 - n
	}
	s.Rows, s.Cols, s.Idx = x.Rows, x.Cols, s.Idx[:n]
	return -1
}

// NNZ returns the number of ones.
func (s *BinaryRows) NNZ() int { return len(s.Idx) }

// Density returns the fraction of entries that are ones (0 for an empty
// matrix).
func (s *BinaryRows) Density() float64 {
	if s.Rows == 0 || s.Cols == 0 {
		return 0
	}
	return float64(len(s.Idx)) / float64(s.Rows*s.Cols)
}

// Dense writes s into dst (Rows×Cols) as zeros and ones. O(Rows·Cols).
func (s *BinaryRows) Dense(dst Mat) {
	if dst.Rows != s.Rows || dst.Cols != s.Cols || len(dst.Data) < s.Rows*s.Cols {
		panic(fmt.Sprintf("nn: BinaryRows.Dense: %d×%d into %d×%d", s.Rows, s.Cols, dst.Rows, dst.Cols))
	}
	dst.Zero()
	for r := 0; r < s.Rows; r++ {
		row := dst.Row(r)
		for _, j := range s.Idx[s.Start[r]:s.Start[r+1]] {
			row[j] = 1
		}
	}
}

// byColumn builds (once per Set) the column form: column j's ones are in
// rows colIdx[colStart[j]:colStart[j+1]], in increasing order. O(ones +
// Cols).
func (s *BinaryRows) byColumn() (colStart, colIdx []int32) {
	if s.colsOK {
		return s.colStart, s.colIdx
	}
	cs := grow32(s.colStart, s.Cols+1)
	ci := grow32(s.colIdx, len(s.Idx))
	clear(cs)
	for _, j := range s.Idx {
		cs[j+1]++
	}
	for j := 0; j < s.Cols; j++ {
		cs[j+1] += cs[j]
	}
	// Fill by rows in order, advancing each column's cursor; the cursors
	// end at the next column's start, so shift them back afterwards.
	for r := 0; r < s.Rows; r++ {
		for _, j := range s.Idx[s.Start[r]:s.Start[r+1]] {
			ci[cs[j]] = int32(r)
			cs[j]++
		}
	}
	copy(cs[1:], cs[:s.Cols])
	cs[0] = 0
	s.colStart, s.colIdx, s.colsOK = cs, ci, true
	return cs, ci
}

// scanSlack is the room binaryScan needs past Rows·Cols positions: its
// vector versions store up to 16 candidates at a time.
const scanSlack = 16

// grow32 returns a slice of length n reusing buf's array when it is large
// enough.
func grow32(buf []int32, n int) []int32 {
	if cap(buf) < n {
		return make([]int32, n)
	}
	return buf[:n]
}
