package nn

import "math"

// Pure-Go log-likelihood kernels: the implementation of the noopenblas
// build and the float64 reference ([BernoulliLogLikRow], [SoftplusSum]).
// softplus and σ come from spTab (see fastmath.go), inlined by hand because
// the compiler will not inline them.

// llRowsGo is llRows in Go.
func llRowsGo(x Mat, per int, l Mat, bias []float32, out []float32) {
	for r := 0; r < l.Rows; r++ {
		var xr []float32
		if len(x.Data) > 0 {
			xr = x.Row(r / per)
		}
		out[r] = float32(rowLogLik(xr, l.Row(r), bias))
	}
}

// xMinusSigmoid returns x − σ(l) given sn = σ(−|l|), without cancellation
// when σ(l) is close to 1.
func xMinusSigmoid(x, l, sn float64) float64 {
	if l >= 0 {
		return (x - 1) + sn
	}
	return x - sn
}

// llGradRowsGo is llGradRows in Go: dlogits = scale·(x − σ(l)) and, when
// out is not nil, the row log-likelihoods.
func llGradRowsGo(x, logits Mat, scale []float32, out []float32, dlogits Mat) {
	for r := 0; r < x.Rows; r++ {
		s := float32(1)
		if scale != nil {
			s = scale[r]
		}
		xr, lr, dr := x.Row(r), logits.Row(r), dlogits.Row(r)
		xr, dr = xr[:len(lr)], dr[:len(lr)]
		if out == nil {
			for d, l := range lr {
				// x − σ(l) as (x − 1) + s(|l|) for l ≥ 0 and x − s(|l|)
				// otherwise (no cancellation when σ ≈ 1); s inlined by hand.
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
				dr[d] = s * float32(xMinusSigmoid(float64(xr[d]), l64, sn))
			}
			continue
		}
		acc := 0.0
		for d, l := range lr {
			// softplus and x − σ from one table lookup, inlined by hand.
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
			dr[d] = s * float32(xMinusSigmoid(float64(xr[d]), l64, sn))
		}
		out[r] = float32(acc)
	}
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
