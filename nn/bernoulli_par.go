package nn

// Row-split versions of the log-likelihood kernels for two threads (see
// par.go): each row is computed by one goroutine with the same operations,
// so the results do not depend on the split.

// llNsPerElem is the single-thread cost of a log-likelihood element with
// the AVX-512 kernels (55 µs for 100×784).
const llNsPerElem = 0.7

// llSplit is the job of a split log-likelihood call; it lives in a package
// variable that only the holder of the helper uses.
type llSplit struct {
	grad       bool
	x          Mat
	per        int
	l          Mat
	bias       []float32
	scale, out []float32
	dl         Mat
	mid        int // first row of part 1
}

var llJob llSplit

func (j *llSplit) half(part int) {
	r0, r1 := 0, j.mid
	if part == 1 {
		r0, r1 = j.mid, j.l.Rows
	}
	if r0 == r1 {
		return
	}
	l := j.l.Slice(r0, r1)
	var out []float32
	if j.out != nil {
		out = j.out[r0:r1]
	}
	if !j.grad {
		x := j.x
		if len(x.Data) > 0 {
			x = x.Slice(r0/j.per, (r1+j.per-1)/j.per)
		}
		llRows(x, j.per, l, j.bias, out)
		return
	}
	var scale []float32
	if j.scale != nil {
		scale = j.scale[r0:r1]
	}
	llGradRows(j.x.Slice(r0, r1), l, scale, out, j.dl.Slice(r0, r1))
}

// llRowsPar is llRows, split over two threads when large enough; the split
// row is a multiple of per so that each part starts on a data row.
func llRowsPar(x Mat, per int, l Mat, bias []float32, out []float32) {
	mid := l.Rows / 2 / per * per
	if mid == 0 || !acquireHelper(llNsPerElem*float64(l.Rows*l.Cols)) {
		llRows(x, per, l, bias, out)
		return
	}
	llJob = llSplit{x: x, per: per, l: l, bias: bias, out: out, mid: mid}
	runHelper(&llJob)
}

// llGradRowsPar is llGradRows, split over two threads when large enough.
func llGradRowsPar(x, l Mat, scale []float32, out []float32, dl Mat) {
	mid := l.Rows / 2
	if mid == 0 || !acquireHelper(llNsPerElem*float64(l.Rows*l.Cols)) {
		llGradRows(x, l, scale, out, dl)
		return
	}
	llJob = llSplit{grad: true, x: x, l: l, scale: scale, out: out, dl: dl, mid: mid}
	runHelper(&llJob)
}
