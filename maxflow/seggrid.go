package maxflow

import (
	"math"
	"math/rand/v2"
)

// SegmentationGrid returns a w×h binary image-segmentation instance, the
// benchmark graph of the max-flow comparisons: a smooth random image
// (uniform noise, box-blurred three times with radius 2, stretched to
// [0, 1]), data terms from two Gaussian intensity models (means 0.35 and
// 0.65, σ = 0.15): s→p of capacity round(10·(I−0.35)²/2σ²) and p→t of
// round(10·(I−0.65)²/2σ²), and contrast-weighted smoothness between
// 4-neighbours, round(30·exp(−ΔI²/2·0.05²)), in both directions. All
// capacities are integers, so every solver's flow is exact. Pixel (x, y)
// is node y·w + x; the source and sink are nodes w·h and w·h + 1. The same
// seed gives the same instance. Time and memory O(w·h); w and h must be
// ≥ 1.
func SegmentationGrid(seed uint64, w, h int) *Instance {
	n := w * h
	r := rand.New(rand.NewPCG(seed, 0x5e9))
	img := make([]float64, n)
	for i := range img {
		img[i] = r.Float64()
	}
	tmp := make([]float64, n)
	for range 3 {
		boxBlur(img, tmp, w, h, 2)
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range img {
		lo, hi = min(lo, v), max(hi, v)
	}
	if hi > lo {
		for i := range img {
			img[i] = (img[i] - lo) / (hi - lo)
		}
	}
	s, t := n, n+1
	in := &Instance{Nodes: n + 2, Source: s, Sink: t, Arcs: make([]Arc, 0, 6*n)}
	data := func(v, mu float64) float64 { return math.Round(10 * (v - mu) * (v - mu) / (2 * 0.15 * 0.15)) }
	smooth := func(a, b float64) float64 { return math.Round(30 * math.Exp(-(a-b)*(a-b)/(2*0.05*0.05))) }
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			u := y*w + x
			in.Arcs = append(in.Arcs, Arc{s, u, data(img[u], 0.35)}, Arc{u, t, data(img[u], 0.65)})
			if x+1 < w {
				c := smooth(img[u], img[u+1])
				in.Arcs = append(in.Arcs, Arc{u, u + 1, c}, Arc{u + 1, u, c})
			}
			if y+1 < h {
				c := smooth(img[u], img[u+w])
				in.Arcs = append(in.Arcs, Arc{u, u + w, c}, Arc{u + w, u, c})
			}
		}
	}
	return in
}

// boxBlur replaces img by its mean over (2r+1)² windows clipped to the
// image, a horizontal then a vertical running sum, using tmp as scratch.
func boxBlur(img, tmp []float64, w, h, r int) {
	for y := 0; y < h; y++ {
		row, out := img[y*w:(y+1)*w], tmp[y*w:(y+1)*w]
		for x := range row {
			sum, cnt := 0.0, 0
			for k := max(0, x-r); k <= min(w-1, x+r); k++ {
				sum += row[k]
				cnt++
			}
			out[x] = sum / float64(cnt)
		}
	}
	for x := 0; x < w; x++ {
		for y := 0; y < h; y++ {
			sum, cnt := 0.0, 0
			for k := max(0, y-r); k <= min(h-1, y+r); k++ {
				sum += tmp[k*w+x]
				cnt++
			}
			img[y*w+x] = sum / float64(cnt)
		}
	}
}
