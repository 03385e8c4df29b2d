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
	if m, n, k, ok := gemmCheck(transA, transB, alpha, a, b, beta, c); ok {
		sgemm(transA, transB, m, n, k, alpha, a.Data, ld(a), b.Data, ld(b), beta, c.Data, ld(c))
	}
}

// gemmSerial is [Gemm] computed on the calling goroutine alone, whatever
// [SetThreads] says: for callers that split their work across goroutines
// themselves (parRows) and call it from each ([ForwardWeights.Product]);
// any number may run at once. With the AVX-512 tiles, each element of C is the same as
// Gemm's for the same shape route, bit for bit, however the rows are split
// between calls (a transposed B is transposed once per call).
func gemmSerial(transA, transB bool, alpha float32, a, b Mat, beta float32, c Mat) {
	if m, n, k, ok := gemmCheck(transA, transB, alpha, a, b, beta, c); ok {
		sgemmSerial(transA, transB, m, n, k, alpha, a.Data, ld(a), b.Data, ld(b), beta, c.Data, ld(c))
	}
}

// gemmCheck checks Gemm's shapes (panicking on a mismatch), handles the
// empty and zero-alpha cases, and returns the sizes and whether a product
// remains to be computed.
func gemmCheck(transA, transB bool, alpha float32, a, b Mat, beta float32, c Mat) (m, n, k int, ok bool) {
	m, k = a.Rows, a.Cols
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
		return m, n, k, false
	}
	if k == 0 || alpha == 0 {
		scale(c, beta)
		return m, n, k, false
	}
	return m, n, k, true
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
