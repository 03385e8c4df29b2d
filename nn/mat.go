package nn

import "fmt"

// Mat is a row-major view of a Rows×Cols float32 matrix: element (i, j) is
// Data[i*Cols+j]. Data may be longer than Rows*Cols; views made by
// [Mat.Slice] share their backing array with the original.
type Mat struct {
	Rows, Cols int
	Data       []float32
}

// NewMat returns a zeroed rows×cols matrix. It panics if a size is negative.
func NewMat(rows, cols int) Mat {
	if rows < 0 || cols < 0 {
		panic(fmt.Sprintf("nn: NewMat(%d, %d): negative size", rows, cols))
	}
	return Mat{Rows: rows, Cols: cols, Data: make([]float32, rows*cols)}
}

// CheckShape returns an error unless m is rows×cols (rows < 0: any
// number of rows) with at least Rows·Cols values, a product that must not
// wrap around int. The error says what m is and what was wanted, for the
// caller to prefix with what m is for. O(1).
func (m Mat) CheckShape(rows, cols int) error {
	if m.Rows < 0 || m.Cols != cols || (rows >= 0 && m.Rows != rows) || m.Rows > len(m.Data)/max(m.Cols, 1) {
		want := fmt.Sprintf("B×%d", cols)
		if rows >= 0 {
			want = fmt.Sprintf("%d×%d", rows, cols)
		}
		return fmt.Errorf("is %d×%d with %d values, want %s", m.Rows, m.Cols, len(m.Data), want)
	}
	return nil
}

// Row returns row i as a slice of length and capacity Cols that aliases
// m.Data.
func (m Mat) Row(i int) []float32 {
	lo := i * m.Cols
	return m.Data[lo : lo+m.Cols : lo+m.Cols]
}

// Slice returns rows [r0, r1) as a matrix sharing m's data. It panics if the
// range is outside [0, Rows].
func (m Mat) Slice(r0, r1 int) Mat {
	if r0 < 0 || r1 < r0 || r1 > m.Rows {
		panic(fmt.Sprintf("nn: Slice(%d, %d) of a matrix with %d rows", r0, r1, m.Rows))
	}
	return Mat{Rows: r1 - r0, Cols: m.Cols, Data: m.Data[r0*m.Cols : r1*m.Cols]}
}

// Resize sets m's shape to rows×cols, reusing m.Data when its capacity is
// large enough and allocating a new zeroed array otherwise. The contents
// after a reuse are whatever the array held; callers overwrite them. In a
// loop over equally sized batches only the first call allocates.
func Resize(m *Mat, rows, cols int) {
	if rows < 0 || cols < 0 {
		panic(fmt.Sprintf("nn: Resize(%d, %d): negative size", rows, cols))
	}
	n := rows * cols
	if cap(m.Data) < n {
		m.Data = make([]float32, n)
	}
	m.Rows, m.Cols, m.Data = rows, cols, m.Data[:n]
}

// Zero sets the Rows×Cols elements of m to 0.
func (m Mat) Zero() {
	clear(m.Data[:m.Rows*m.Cols])
}

// At returns element (i, j).
func (m Mat) At(i, j int) float32 { return m.Data[i*m.Cols+j] }

// Set sets element (i, j) to v.
func (m Mat) Set(i, j int, v float32) { m.Data[i*m.Cols+j] = v }

// Transpose sets dst = srcᵀ; dst must be src.Cols×src.Rows. It panics,
// naming the shapes, if they do not fit. O(rows·cols), cache-blocked.
func Transpose(dst, src Mat) {
	if dst.Rows != src.Cols || dst.Cols != src.Rows || len(src.Data) < src.Rows*src.Cols || len(dst.Data) < dst.Rows*dst.Cols {
		panic(fmt.Sprintf("nn: Transpose: src %d×%d, dst %d×%d", src.Rows, src.Cols, dst.Rows, dst.Cols))
	}
	transpose(src.Data, src.Rows, src.Cols, max(1, src.Cols), dst.Data, max(1, dst.Cols), false)
}
