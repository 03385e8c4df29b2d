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

// spTab[j] holds cubic coefficients in d = a − c, c the centre of piece j,
// for g(a) = log1p(e^{−a}) (entries 0–3) and s(a) = σ(−a) = 1/(1+eᵃ)
// (entries 4–7). They are the Taylor coefficients (f, f′, f″/2, f‴/6) at c
// with the quartic term f⁗/24·d⁴ folded in by Chebyshev economisation
// (d⁴ ≈ h²d² − h⁴/8 on |d| ≤ h = 1/32, error h⁴/8). With σ = s(c) and
// q = σ(1−σ): g′ = −σ, g″ = q, g‴ = −q(1−2σ), g⁗ = q(1−6σ+6σ²);
// s′ = −q, s″ = q(1−2σ), s‴ = −q(1−6σ+6σ²), s⁗ = q(1−2σ)(1−12σ+12σ²).
// The remaining error is below 2e-9 absolute, and because all derivatives
// shrink like e^{−a}, below about 1e-8 relative.
var spTab = func() (t [spPieces][8]float64) {
	const h2 = 1.0 / (2 * spScale) / (2 * spScale)
	for j := range t {
		c := (float64(j) + 0.5) / spScale
		e := math.Exp(-c)
		s := e / (1 + e) // σ(−c)
		q := s * (1 - s)
		g4 := q * (1 - 6*s + 6*s*s) / 24
		s4 := q * (1 - 2*s) * (1 - 12*s + 12*s*s) / 24
		t[j] = [8]float64{
			math.Log1p(e) - g4*h2*h2/8, -s, q/2 + g4*h2, -q * (1 - 2*s) / 6,
			s - s4*h2*h2/8, -q, q*(1-2*s)/2 + s4*h2, -q * (1 - 6*s + 6*s*s) / 6,
		}
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

// tailG and tailS are g and s for a ≥ 16, out of line so that the table
// branch of the hot loops stays small enough to be fast.
func tailG(a float64) float64 {
	t := expNonPos(-a)
	return t - t*t/2
}

func tailS(a float64) float64 {
	t := expNonPos(-a)
	return t / (1 + t)
}

// sigmoidNeg returns s(a) = σ(−a) = 1/(1+eᵃ) for a ≥ 0 (NaN for NaN).
func sigmoidNeg(a float64) float64 {
	if a < spPieces/spScale {
		j := int(a * spScale)
		p := &spTab[j&(spPieces-1)]
		d := a - (float64(j)+0.5)/spScale
		return p[4] + d*(p[5]+d*(p[6]+d*p[7]))
	}
	t := expNonPos(-a)
	return t / (1 + t)
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

// softplus64 is log(1+e^x) = max(x,0) + log1p(e^{−|x|}); (x+|x|)/2 is
// max(x, 0) without a branch.
func softplus64(x float64) float64 {
	a := math.Abs(x)
	return (x+a)/2 + log1pExpNeg(a)
}

// sigmoid64 is 1/(1+e^{−x}) computed without overflow.
func sigmoid64(x float64) float64 {
	s := sigmoidNeg(math.Abs(x))
	if x >= 0 {
		return 1 - s
	}
	return s
}

// Softplus returns log(1+eˣ) = max(x,0) + log1p(e^{−|x|}), which neither
// overflows for large x nor loses precision for very negative x.
func Softplus(x float32) float32 { return float32(softplus64(float64(x))) }

// Sigmoid returns 1/(1+e^{−x}), the derivative of [Softplus], evaluated
// without overflow for any x (relative error below 1e-7). It is written
// without data-dependent branches: logits of mixed signs made the branchy
// version (table or tail, then 1 − s or s) mispredict often enough to cost
// twice as much.
func Sigmoid(x float32) float32 {
	xf := float64(x)
	t := expNonPos(-math.Abs(xf))
	s := t / (1 + t)                             // σ(−|x|)
	pos := float64(1 - math.Float64bits(xf)>>63) // 1 when x ≥ 0
	return float32(pos - s*(2*pos-1))            // 1 − s or s
}

// spInline is softplus64 written to fit the inliner's budget: the table
// branch inline, the rare a ≥ 16 tail out of line.
func spInline(l float64) float64 {
	a := math.Abs(l)
	if a >= spPieces/spScale {
		return (l+a)/2 + tailG(a)
	}
	j := int(a * spScale)
	p := &spTab[j&(spPieces-1)]
	t := a - (float64(j)+0.5)/spScale
	return (l+a)/2 + p[0] + t*(p[1]+t*(p[2]+t*p[3]))
}
