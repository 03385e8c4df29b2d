package nn

import "fmt"

// BernoulliLogLik sets out[r] = Σ_d x[r,d]·l[r,d] − softplus(l[r,d]) for each
// row r of the logits l: the log-likelihood of x under independent
// Bernoulli(σ(l)) pixels, i.e. minus the binary cross-entropy with logits,
// computed stably for any l (x may be fractional). Per-element terms are
// accurate to float32 precision (about 1e-7 relative) and summed in
// float64; [BernoulliLogLikRow] is the float64 reference.
// O(rows·cols).
func BernoulliLogLik(x, logits Mat, out []float32) {
	checkSame("BernoulliLogLik", x, logits)
	if len(out) < x.Rows {
		panic(fmt.Sprintf("nn: BernoulliLogLik: out has %d entries for %d rows", len(out), x.Rows))
	}
	llRowsPar(x, 1, logits, nil, out)
}

// BernoulliLogLikRows is [BernoulliLogLik] for logits that come in groups
// of per rows scored against the same data row, with an optional bias
// added to every logit row: out[r] = Σ_d x[r/per,d]·l − softplus(l) with
// l = logits[r,d] + bias[d]. It lets a caller score many decoder variants of
// one example without copying x or adding the bias in a separate pass.
// O(rows·cols).
func BernoulliLogLikRows(x Mat, per int, logits Mat, bias []float32, out []float32) {
	if per < 1 || x.Cols != logits.Cols || x.Rows*per < logits.Rows || len(x.Data) < x.Rows*x.Cols ||
		len(logits.Data) < logits.Rows*logits.Cols || len(out) < logits.Rows || (bias != nil && len(bias) < logits.Cols) {
		panic(fmt.Sprintf("nn: BernoulliLogLikRows: x %d×%d, per %d, logits %d×%d, %d biases, %d outputs",
			x.Rows, x.Cols, per, logits.Rows, logits.Cols, len(bias), len(out)))
	}
	llRowsPar(x, per, logits, bias, out)
}

// BernoulliLogLikPairs is [BernoulliLogLikRows] for rows paired by index:
// out[p] = Σ_d x[xi[p],d]·l − softplus(l) with l = logits[li[p],d] + bias[d]
// (nil bias: 0), for p < len(out), computed by the same kernel as
// BernoulliLogLikRows, so that a pair gives the same float32 as that row
// would there. It lets a caller evaluate each distinct decoder code once and
// score it against every example that needs it. It runs on the calling
// goroutine. O(len(out)·cols).
func BernoulliLogLikPairs(x Mat, xi []int32, logits Mat, li []int32, bias []float32, out []float32) {
	if x.Cols != logits.Cols || len(xi) < len(out) || len(li) < len(out) || len(x.Data) < x.Rows*x.Cols ||
		len(logits.Data) < logits.Rows*logits.Cols || (bias != nil && len(bias) < logits.Cols) {
		panic(fmt.Sprintf("nn: BernoulliLogLikPairs: x %d×%d, logits %d×%d, %d/%d indices, %d biases, %d outputs",
			x.Rows, x.Cols, logits.Rows, logits.Cols, len(xi), len(li), len(bias), len(out)))
	}
	for p := range out {
		if uint(xi[p]) >= uint(x.Rows) || uint(li[p]) >= uint(logits.Rows) {
			panic(fmt.Sprintf("nn: BernoulliLogLikPairs: pair %d (x row %d of %d, logits row %d of %d) out of range",
				p, xi[p], x.Rows, li[p], logits.Rows))
		}
	}
	llPairs(x, xi[:len(out)], logits, li[:len(out)], bias, out)
}

// BernoulliLogLikGrad sets dlogits[r,d] = scale[r]·(x[r,d] − σ(l[r,d])), the
// derivative of scale[r]·BernoulliLogLik row r with respect to the logits.
// A nil scale means 1 for every row. dlogits may be logits itself.
// O(rows·cols).
func BernoulliLogLikGrad(x, logits Mat, scale []float32, dlogits Mat) {
	checkSame("BernoulliLogLikGrad", x, logits)
	checkSame("BernoulliLogLikGrad", x, dlogits)
	if scale != nil && len(scale) < x.Rows {
		panic(fmt.Sprintf("nn: BernoulliLogLikGrad: scale has %d entries for %d rows", len(scale), x.Rows))
	}
	llGradRowsPar(x, logits, scale, nil, dlogits)
}

// BernoulliLogLikAndGrad does the work of [BernoulliLogLik] and
// [BernoulliLogLikGrad] in one pass over the data: out[r] is the row's
// log-likelihood and dlogits[r,d] = scale[r]·(x − σ(l)). dlogits may be
// logits itself (the log-likelihood is read first). O(rows·cols).
func BernoulliLogLikAndGrad(x, logits Mat, scale []float32, out []float32, dlogits Mat) {
	checkSame("BernoulliLogLikAndGrad", x, logits)
	checkSame("BernoulliLogLikAndGrad", x, dlogits)
	if len(out) < x.Rows || (scale != nil && len(scale) < x.Rows) {
		panic(fmt.Sprintf("nn: BernoulliLogLikAndGrad: out (%d) or scale (%d) shorter than %d rows", len(out), len(scale), x.Rows))
	}
	llGradRowsPar(x, logits, scale, out, dlogits)
}

// BernoulliLogLikRow returns Σ_d x_d·l_d − softplus(l_d) for one row with
// logits l_d = logits_d + bias_d (a nil bias means 0), accumulated in
// float64. Adding the bias here saves a pass when logits come from a GEMM
// without it. O(len(logits)).
func BernoulliLogLikRow(x, logits, bias []float32) float64 {
	if len(x) < len(logits) || (bias != nil && len(bias) < len(logits)) {
		panic(fmt.Sprintf("nn: BernoulliLogLikRow: %d logits but %d targets, %d biases", len(logits), len(x), len(bias)))
	}
	return rowLogLik(x, logits, bias)
}

// AddScaledSigmoid sets dst[r,d] += scale[r]·σ(l[r,d]) for every row r of
// the logits l (a nil scale means 1), with the vector kernels of
// [BernoulliLogLikGrad]: 9 µs for 50×784 against 260 µs for a loop over
// [Sigmoid] (AVX-512, Zen 5). It is the σ part of a Bernoulli gradient whose data
// term is formed separately, as in the exact estimator's decoder gradient.
// dst may not alias l. O(rows·cols).
func AddScaledSigmoid(dst, l Mat, scale []float32) {
	checkSame("AddScaledSigmoid", dst, l)
	if scale != nil && len(scale) < l.Rows {
		panic(fmt.Sprintf("nn: AddScaledSigmoid: scale has %d entries for %d rows", len(scale), l.Rows))
	}
	sigmoidAdd(l, scale, dst)
}

// sigmoidAddGo is AddScaledSigmoid in Go.
func sigmoidAddGo(l Mat, scale []float32, dst Mat) {
	for r := 0; r < l.Rows; r++ {
		s := float32(1)
		if scale != nil {
			s = scale[r]
		}
		dr := dst.Row(r)
		for d, v := range l.Row(r) {
			dr[d] += s * Sigmoid(v)
		}
	}
}

// SoftplusRows sets out[r] = Σ_d softplus(l[r,d] + bias[d]) for each row
// r of l (a nil bias means 0): the log-partition terms of Bernoulli
// log-likelihoods, which do not depend on the data. It uses the kernels of
// [BernoulliLogLik] (terms accurate to float32 precision, sums in float64);
// [SoftplusSum] is the float64 reference. O(rows·cols).
func SoftplusRows(l Mat, bias []float32, out []float32) {
	if len(l.Data) < l.Rows*l.Cols || len(out) < l.Rows || (bias != nil && len(bias) < l.Cols) {
		panic(fmt.Sprintf("nn: SoftplusRows: logits %d×%d with %d elements, %d biases, %d outputs",
			l.Rows, l.Cols, len(l.Data), len(bias), len(out)))
	}
	llRowsPar(Mat{}, 1, l, bias, out)
	for r := range out[:l.Rows] {
		out[r] = 0 - out[r]
	}
}

// SoftplusSum returns Σ_d softplus(l_d + bias_d) in float64 (a nil bias
// means 0): the log-partition term of a Bernoulli log-likelihood, which does
// not depend on the data. O(len(l)).
func SoftplusSum(l, bias []float32) float64 {
	return -rowLogLik(nil, l, bias)
}

func checkSame(op string, a, b Mat) {
	if a.Rows != b.Rows || a.Cols != b.Cols || len(a.Data) < a.Rows*a.Cols || len(b.Data) < b.Rows*b.Cols {
		panic(fmt.Sprintf("nn: %s: shapes %d×%d and %d×%d differ (or data too short)", op, a.Rows, a.Cols, b.Rows, b.Cols))
	}
}

// llRowsPar is llRows split across the package's workers by bands of
// whole groups of per rows (see [SetThreads]); rows are scored
// independently, so the result does not depend on the split.
func llRowsPar(x Mat, per int, l Mat, bias []float32, out []float32) {
	if parts(l.Rows, per, l.Rows*l.Cols) == 1 {
		llRows(x, per, l, bias, out)
		return
	}
	parRows(l.Rows, per, l.Rows*l.Cols, func(lo, hi int) {
		xs := x
		if len(x.Data) > 0 {
			xs = x.Slice(lo/per, min(x.Rows, (hi+per-1)/per))
		}
		llRows(xs, per, l.Slice(lo, hi), bias, out[lo:hi])
	})
}

// llGradRowsPar is llGradRows split across the package's workers by bands
// of rows; rows are independent, so the result does not depend on the
// split.
func llGradRowsPar(x, l Mat, scale []float32, out []float32, dl Mat) {
	if parts(l.Rows, 1, l.Rows*l.Cols) == 1 {
		llGradRows(x, l, scale, out, dl)
		return
	}
	parRows(l.Rows, 1, l.Rows*l.Cols, func(lo, hi int) {
		var s, o []float32
		if scale != nil {
			s = scale[lo:hi]
		}
		if out != nil {
			o = out[lo:hi]
		}
		llGradRows(x.Slice(lo, hi), l.Slice(lo, hi), s, o, dl.Slice(lo, hi))
	})
}
