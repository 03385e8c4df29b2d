package nn

import "math"

// Kernels for the per-pixel transcendental functions. They work in float64
// on scalars and are accurate to about 1e-8 (absolute for softplus,
// relative for e^y), below float32 resolution, at a fraction of the cost of
// math.Log1p(math.Exp(·)) (≈20 ns). Softplus uses a table of cubic Taylor
// pieces; exp uses range reduction and a polynomial.

const (
	log2e = 1.4426950408889634
	ln2hi = 0.6931471803691238 // ln 2 to 33 bits, so k·ln2hi is exact
	ln2lo = 1.9082149292705877e-10
	// roundMagic = 1.5·2⁵²: adding it rounds a float64 of magnitude < 2⁵¹
	// to the nearest integer and leaves that integer in the low mantissa
	// bits.
	roundMagic = 6755399441055744.0

	// spPieces cubic pieces of width 1/spScale tabulate g(a) = log1p(e^{−a})
	// on [0, spPieces/spScale) = [0, 16). Beyond, g(a) = t − t²/2 with
	// t = e^{−a} < 1.2e-7, to within t³/3 < 1e-21.
	spScale  = 16
	spPieces = 256
)

// spTab[j] holds the Taylor coefficients (g, g′, g″/2, g‴/6) of
// g(a) = log1p(e^{−a}) at the centre of piece j. The remainder is at most
// max|g⁗|/24·(1/32)⁴ ≤ (1/8)/24·(1/32)⁴ < 5e-9, and since g⁗ shrinks like
// e^{−a} the error stays below 4e-8 relative as well.
var spTab = func() (t [spPieces][4]float64) {
	for j := range t {
		c := (float64(j) + 0.5) / spScale
		e := math.Exp(-c)
		s := e / (1 + e) // σ(−c)
		t[j] = [4]float64{math.Log1p(e), -s, s * (1 - s) / 2, -s * (1 - s) * (1 - 2*s) / 6}
	}
	return t
}()

// log1pExpNeg returns g(a) = log(1+e^{−a}) for a ≥ 0 (NaN for NaN).
func log1pExpNeg(a float64) float64 {
	if a < spPieces/spScale {
		j := int(a * spScale)
		p := &spTab[j&(spPieces-1)]
		d := a - (float64(j)+0.5)/spScale
		return p[0] + d*(p[1]+d*(p[2]+d*p[3]))
	}
	t := expNonPos(-a)
	return t - t*t/2
}

// expNonPos returns e^y for y ≤ 0, with y clamped at −700 (the result is
// then about 1e-304, which is 0 for every float32 use). Range reduction
// y = k·ln2 + r with |r| ≤ ln2/2, then a degree-10 Taylor polynomial
// (truncation error < 2e-14 relative) and an exponent-bit scale.
func expNonPos(y float64) float64 {
	if y < -700 {
		y = -700
	}
	t := y*log2e + roundMagic
	k := int64(int32(uint32(math.Float64bits(t))))
	kf := t - roundMagic
	r := y - kf*ln2hi - kf*ln2lo
	r2 := r * r
	// Estrin's scheme keeps the dependency chain short.
	p01 := 1 + r
	p23 := 1.0/2 + r*(1.0/6)
	p45 := 1.0/24 + r*(1.0/120)
	p67 := 1.0/720 + r*(1.0/5040)
	p89 := 1.0/40320 + r*(1.0/362880)
	r4 := r2 * r2
	p := (p01 + r2*p23) + r4*((p45+r2*p67)+r4*(p89+r2*(1.0/3628800)))
	return p * math.Float64frombits(uint64(k+1023)<<52)
}

// softplus64 is log(1+e^x) = max(x,0) + log1p(e^{−|x|}).
func softplus64(x float64) float64 {
	if x > 0 {
		return x + log1pExpNeg(x)
	}
	return log1pExpNeg(-x)
}

// sigmoid64 is 1/(1+e^{−x}) computed without overflow.
func sigmoid64(x float64) float64 {
	t := expNonPos(-math.Abs(x))
	if x >= 0 {
		return 1 / (1 + t)
	}
	return t / (1 + t)
}

// Softplus returns log(1+eˣ) = max(x,0) + log1p(e^{−|x|}), which neither
// overflows for large x nor loses precision for very negative x.
func Softplus(x float32) float32 { return float32(softplus64(float64(x))) }

// Sigmoid returns 1/(1+e^{−x}), the derivative of [Softplus], evaluated
// without overflow for any x.
func Sigmoid(x float32) float32 { return float32(sigmoid64(float64(x))) }
