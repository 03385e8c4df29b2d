package dataset

// areaTap is one input pixel's share of an output pixel along one axis.
type areaTap struct {
	src    int // input index
	weight int // overlap length in units of 1/(out/g) input pixel
}

// areaWeights returns, for each of out output pixels along an axis of in
// input pixels, the input pixels it covers and the overlap lengths, in
// integer units: with g = gcd(in, out), an input pixel is out/g units long
// and an output pixel in/g units, so every weight is exact. Each output's
// weights sum to in/g; each input's weights, over all outputs, sum to out/g.
// O(in + out).
func areaWeights(in, out int) (taps [][]areaTap, unit int) {
	g := gcd(in, out)
	pin, pout := out/g, in/g // lengths of an input and an output pixel
	taps = make([][]areaTap, out)
	for o := range taps {
		lo, hi := o*pout, (o+1)*pout
		for s := lo / pin; s*pin < hi; s++ {
			w := min(hi, (s+1)*pin) - max(lo, s*pin)
			if w > 0 {
				taps[o] = append(taps[o], areaTap{s, w})
			}
		}
	}
	return taps, pout
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// areaDownscaler reduces square in×in byte images to out×out ink coverage
// counts by box filtering with fractional pixel coverage. The counts are
// stored as uint8, so it needs full() ≤ 255 (true for 105 → 28: 225).
type areaDownscaler struct {
	in, out int
	taps    [][]areaTap
	unit    int      // output pixel side in weight units; full coverage = unit²
	ink     [256]int // 1 for byte values that are ink, else 0
	rows    []int    // scratch: in × out partial sums
}

// newAreaDownscaler prepares in → out reduction; input byte b is ink iff
// ink(b).
func newAreaDownscaler(in, out int, ink func(byte) bool) *areaDownscaler {
	taps, unit := areaWeights(in, out)
	a := &areaDownscaler{in: in, out: out, taps: taps, unit: unit, rows: make([]int, in*out)}
	for b := range a.ink {
		if ink(byte(b)) {
			a.ink[b] = 1
		}
	}
	return a
}

// full is the count of a fully inked output pixel (225 for 105 → 28).
func (a *areaDownscaler) full() int { return a.unit * a.unit }

// run writes into dst[0:out²] the inked area of each output pixel of the
// in×in image src, in units of 1/full() output pixel. The mean ink
// of output pixel (i, j) is dst[i·out+j]/full(). O(in·out·⌈in/out⌉) per image,
// separably: columns first, then rows.
func (a *areaDownscaler) run(dst []uint8, src []byte) {
	for r := 0; r < a.in; r++ {
		line := src[r*a.in : (r+1)*a.in]
		acc := a.rows[r*a.out : (r+1)*a.out]
		for j, tj := range a.taps {
			s := 0
			for _, t := range tj {
				s += t.weight * a.ink[line[t.src]]
			}
			acc[j] = s
		}
	}
	for i, ti := range a.taps {
		o := dst[i*a.out : (i+1)*a.out]
		for j := range o {
			s := 0
			for _, t := range ti {
				s += t.weight * a.rows[t.src*a.out+j]
			}
			o[j] = uint8(s)
		}
	}
}
