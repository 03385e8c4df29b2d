package nn

import "fmt"

// Gemm computes C = alpha·op(A)·op(B) + beta·C, where op(X) is X or Xᵀ as
// transA and transB say. op(A) must be m×k, op(B) k×n and C m×n; C must not
// overlap A or B. When beta is 0, C's previous contents are ignored (NaNs
// included). Cost O(m·n·k); the work is done by the BLAS backend compiled in
// (see [Backend]).
//
// Gemm panics with a message naming the shapes if they do not conform: a
// shape mismatch is a programming error, not a data error.
func Gemm(transA, transB bool, alpha float32, a, b Mat, beta float32, c Mat) {
	m, k := a.Rows, a.Cols
	if transA {
		m, k = k, m
	}
	kb, n := b.Rows, b.Cols
	if transB {
		kb, n = n, kb
	}
	if k != kb || c.Rows != m || c.Cols != n {
		panic(fmt.Sprintf("nn: Gemm shapes: op(A) %d×%d (trans %v), op(B) %d×%d (trans %v), C %d×%d",
			m, k, transA, kb, n, transB, c.Rows, c.Cols))
	}
	checkLen("A", a)
	checkLen("B", b)
	checkLen("C", c)
	if m == 0 || n == 0 {
		return
	}
	if k == 0 || alpha == 0 {
		scale(c, beta)
		return
	}
	sgemm(transA, transB, m, n, k, alpha, a.Data, ld(a), b.Data, ld(b), beta, c.Data, ld(c))
}

// ld is the leading dimension BLAS wants for a row-major matrix: at least 1.
func ld(x Mat) int { return max(1, x.Cols) }

func checkLen(name string, x Mat) {
	if x.Rows < 0 || x.Cols < 0 || len(x.Data) < x.Rows*x.Cols {
		panic(fmt.Sprintf("nn: Gemm %s: %d×%d matrix with only %d elements", name, x.Rows, x.Cols, len(x.Data)))
	}
}

// scale sets c = beta·c, treating beta = 0 as an assignment of zeros.
func scale(c Mat, beta float32) {
	d := c.Data[:c.Rows*c.Cols]
	if beta == 0 {
		clear(d)
		return
	}
	if beta == 1 {
		return
	}
	for i := range d {
		d[i] *= beta
	}
}
