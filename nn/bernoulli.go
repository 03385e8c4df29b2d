package nn

import (
	"fmt"
	"math"
)

// BernoulliLogLik sets out[r] = Σ_d x[r,d]·l[r,d] − softplus(l[r,d]) for each
// row r of the logits l: the log-likelihood of x under independent
// Bernoulli(σ(l)) pixels, i.e. minus the binary cross-entropy with logits,
// computed stably for any l (x may be fractional). Sums run in float64.
// O(rows·cols).
func BernoulliLogLik(x, logits Mat, out []float32) {
	checkSame("BernoulliLogLik", x, logits)
	if len(out) < x.Rows {
		panic(fmt.Sprintf("nn: BernoulliLogLik: out has %d entries for %d rows", len(out), x.Rows))
	}
	for r := 0; r < x.Rows; r++ {
		out[r] = float32(rowLogLik(x.Row(r), logits.Row(r), nil))
	}
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
	for r := 0; r < x.Rows; r++ {
		s := float32(1)
		if scale != nil {
			s = scale[r]
		}
		xr, lr, dr := x.Row(r), logits.Row(r), dlogits.Row(r)
		xr, dr = xr[:len(lr)], dr[:len(lr)]
		for d, l := range lr {
			// σ(l) = ½ + copysign(½ − s(|l|), l), s inlined by hand.
			l64 := float64(l)
			a := math.Abs(l64)
			var sn float64
			if a < spPieces/spScale {
				j := int(a * spScale)
				p := &spTab[j&(spPieces-1)]
				t := a - (float64(j)+0.5)/spScale
				sn = p[4] + t*(p[5]+t*(p[6]+t*p[7]))
			} else {
				sn = tailS(a)
			}
			dr[d] = s * (xr[d] - float32(0.5+math.Copysign(0.5-sn, l64)))
		}
	}
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
	for r := 0; r < x.Rows; r++ {
		s := float32(1)
		if scale != nil {
			s = scale[r]
		}
		xr, lr, dr := x.Row(r), logits.Row(r), dlogits.Row(r)
		dr = dr[:len(lr)]
		xr = xr[:len(lr)]
		acc := 0.0
		for d, l := range lr {
			// softplusSigmoid, inlined by hand (see fastmath.go).
			l64 := float64(l)
			a := math.Abs(l64)
			var g, sn float64
			if a < spPieces/spScale {
				j := int(a * spScale)
				p := &spTab[j&(spPieces-1)]
				t := a - (float64(j)+0.5)/spScale
				g = p[0] + t*(p[1]+t*(p[2]+t*p[3]))
				sn = p[4] + t*(p[5]+t*(p[6]+t*p[7]))
			} else {
				g, sn = tailG(a), tailS(a)
			}
			acc += float64(xr[d])*l64 - (l64+a)/2 - g
			dr[d] = s * (xr[d] - float32(0.5+math.Copysign(0.5-sn, l64)))
		}
		out[r] = float32(acc)
	}
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

// SoftplusSum returns Σ_d softplus(l_d + bias_d) in float64 (a nil bias
// means 0): the log-partition term of a Bernoulli log-likelihood, which does
// not depend on the data. O(len(l)).
func SoftplusSum(l, bias []float32) float64 {
	return -rowLogLik(nil, l, bias)
}

// rowLogLik returns Σ_d x_d·l_d − softplus(l_d) with l_d = lg_d + bias_d
// (bias nil means 0), accumulated in float64; a nil x means 0. The two
// data loops inline softplus by hand, (l+|l|)/2 + g(|l|) with g from
// spTab, because the compiler will not.
func rowLogLik(x, lg, bias []float32) float64 {
	n := len(lg)
	acc := 0.0
	switch {
	case x == nil:
		for d, v := range lg {
			if bias != nil {
				v += bias[d]
			}
			acc -= spInline(float64(v))
		}
	case bias == nil:
		x = x[:n]
		for d, v := range lg {
			l := float64(v)
			a := math.Abs(l)
			var g float64
			if a < spPieces/spScale {
				j := int(a * spScale)
				p := &spTab[j&(spPieces-1)]
				t := a - (float64(j)+0.5)/spScale
				g = p[0] + t*(p[1]+t*(p[2]+t*p[3]))
			} else {
				g = tailG(a)
			}
			acc += float64(x[d])*l - (l+a)/2 - g
		}
	default:
		x, bias = x[:n], bias[:n]
		for d, v := range lg {
			l := float64(v + bias[d])
			a := math.Abs(l)
			var g float64
			if a < spPieces/spScale {
				j := int(a * spScale)
				p := &spTab[j&(spPieces-1)]
				t := a - (float64(j)+0.5)/spScale
				g = p[0] + t*(p[1]+t*(p[2]+t*p[3]))
			} else {
				g = tailG(a)
			}
			acc += float64(x[d])*l - (l+a)/2 - g
		}
	}
	return acc
}

func checkSame(op string, a, b Mat) {
	if a.Rows != b.Rows || a.Cols != b.Cols || len(a.Data) < a.Rows*a.Cols || len(b.Data) < b.Rows*b.Cols {
		panic(fmt.Sprintf("nn: %s: shapes %d×%d and %d×%d differ (or data too short)", op, a.Rows, a.Cols, b.Rows, b.Cols))
	}
}
