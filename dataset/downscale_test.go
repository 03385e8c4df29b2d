package dataset

import (
	"math"
	"math/rand/v2"
	"testing"
)

// refDownscale is an independent float reference: output pixel (i, j)
// averages the input over the square [i·s, (i+1)·s) × [j·s, (j+1)·s),
// s = in/out, weighting each input pixel by its overlap area.
func refDownscale(src []byte, in, out int, ink func(byte) bool) []float64 {
	s := float64(in) / float64(out)
	overlap := func(a0, a1, b0, b1 float64) float64 { return math.Max(0, math.Min(a1, b1)-math.Max(a0, b0)) }
	res := make([]float64, out*out)
	for i := 0; i < out; i++ {
		for j := 0; j < out; j++ {
			var sum float64
			for r := 0; r < in; r++ {
				wr := overlap(float64(r), float64(r+1), float64(i)*s, float64(i+1)*s)
				if wr == 0 {
					continue
				}
				for c := 0; c < in; c++ {
					if ink(src[r*in+c]) {
						sum += wr * overlap(float64(c), float64(c+1), float64(j)*s, float64(j+1)*s)
					}
				}
			}
			res[i*out+j] = sum / (s * s)
		}
	}
	return res
}

func TestAreaWeights(t *testing.T) {
	for _, tc := range [][2]int{{105, 28}, {10, 3}, {8, 8}, {28, 28}, {7, 2}} {
		in, out := tc[0], tc[1]
		taps, unit := areaWeights(in, out)
		perInput := make([]int, in)
		for o, ts := range taps {
			sum := 0
			for _, t := range ts {
				sum += t.weight
				perInput[t.src] += t.weight
			}
			if sum != unit {
				t.Errorf("%d→%d: output %d weights sum to %d, want %d", in, out, o, sum, unit)
			}
		}
		g := gcd(in, out)
		for s, w := range perInput {
			if w != out/g {
				t.Errorf("%d→%d: input %d weights sum to %d, want %d", in, out, s, w, out/g)
			}
		}
	}
	if taps, unit := areaWeights(105, 28); unit != 15 || len(taps[0]) != 4 || taps[0][3].weight != 3 || taps[1][0].weight != 1 {
		t.Errorf("105→28: unit %d, first taps %v %v", unit, taps[0], taps[1])
	}
}

func TestDownscaleMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	ink := func(b byte) bool { return b == 0 }
	for _, tc := range [][2]int{{105, 28}, {10, 3}, {12, 5}} {
		in, out := tc[0], tc[1]
		ds := newAreaDownscaler(in, out, ink)
		for trial := 0; trial < 5; trial++ {
			src := make([]byte, in*in)
			density := r.Float64()
			inked := 0
			for i := range src {
				if r.Float64() < density {
					inked++
				} else {
					src[i] = 255
				}
			}
			dst := make([]uint8, out*out)
			ds.run(dst, src)
			ref := refDownscale(src, in, out, ink)
			total := 0
			for i := range dst {
				total += int(dst[i])
				if got := float64(dst[i]) / float64(ds.full()); math.Abs(got-ref[i]) > 1e-9 {
					t.Fatalf("%d→%d trial %d pixel %d: %v, reference %v", in, out, trial, i, got, ref[i])
				}
			}
			// Mass is preserved: every input pixel spreads (out/g)² units.
			g := gcd(in, out)
			if total != inked*(out/g)*(out/g) {
				t.Errorf("%d→%d: total coverage %d, want %d ink pixels × %d", in, out, total, inked, (out/g)*(out/g))
			}
		}
	}
}
