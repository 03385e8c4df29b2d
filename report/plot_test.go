package report

import (
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// threePanels is a Figure-3-like figure: 3 panels, 5 series of n points.
func threePanels(n int) []Panel {
	names := []string{"direct", "gumbel-softmax", "relax", "rebar", "reinforce"}
	panels := make([]Panel, 3)
	for p := range panels {
		panels[p] = Panel{Title: "panel", XLabel: "epoch", YLabel: "loss", LogX: p == 2}
		for s, name := range names {
			x, y := make([]float64, n), make([]float64, n)
			for i := range x {
				x[i] = float64(i + 1)
				y[i] = 100/math.Sqrt(float64(i+1)) + float64(s) + 0.3*math.Sin(float64(i*(p+1)))
			}
			y[n/2] = math.NaN()
			panels[p].Series = append(panels[p].Series, Series{Name: name, X: x, Y: y})
		}
	}
	return panels
}

func decodePNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// countColors returns the number of distinct colors in img.
func countColors(img image.Image) int {
	seen := map[color.RGBA64]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[color.RGBA64{uint16(r), uint16(g), uint16(bl), uint16(a)}] = true
		}
	}
	return len(seen)
}

// hasColor reports whether some pixel of img is exactly c.
func hasColor(img image.Image, c color.Color) bool {
	wr, wg, wb, _ := c.RGBA()
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r == wr && g == wg && bl == wb {
				return true
			}
		}
	}
	return false
}

func TestPlotPanels(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fig", "f3.png")
	start := time.Now()
	if err := PlotPanels(path, threePanels(300), 3, 12, 3.5); err != nil {
		t.Fatal(err)
	}
	t.Logf("PlotPanels 3 panels × 5 series × 300 points: %v", time.Since(start))
	img := decodePNG(t, path)
	if b := img.Bounds(); b.Dx() != 1200 || b.Dy() != 350 {
		t.Fatalf("size %v, want 1200×350", b)
	}
	if n := countColors(img); n < 10 {
		t.Fatalf("only %d distinct colors: blank image?", n)
	}
	// Each of the five series colors is drawn somewhere.
	for i := range 5 {
		if !hasColor(img, seriesColors[i]) {
			t.Errorf("series color %d not found", i)
		}
	}
}

func TestPlotPanelsGridAndStyles(t *testing.T) {
	// Two panels sharing a name keep its style; a new name gets a new one.
	panels := []Panel{
		{Title: "a", Series: []Series{{Name: "x", X: []float64{0, 1}, Y: []float64{0, 1}}, {Name: "y", X: []float64{0, 1}, Y: []float64{1, 0}}}},
		{Title: "b", Series: []Series{{Name: "z"}, {Name: "y"}, {Name: "x"}, {}}},
		{Title: "c", LogX: true, LogY: true, Series: []Series{{Name: "w", X: []float64{-1, 0, 5}, Y: []float64{1, 2, 3}}}},
	}
	st := styleIndex(panels)
	if st["x"] != 0 || st["y"] != 1 || st["z"] != 2 || st["w"] != 4 || len(st) != 5 {
		t.Fatalf("style index %v", st)
	}
	// 3 panels in 2 columns: a 2×2 grid with an empty cell; odd sizes round.
	img, err := RenderPanels(panels, 2, 5.555, 4.444)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 556 || b.Dy() != 444 {
		t.Fatalf("size %v, want 556×444", b)
	}
	if countColors(img) < 10 {
		t.Fatal("blank image")
	}
}

func TestPlotPanelsErrors(t *testing.T) {
	dir := t.TempDir()
	ok := []Panel{{Series: []Series{{X: []float64{1}, Y: []float64{1}}}}}
	cases := []struct {
		name   string
		panels []Panel
		cols   int
		w, h   float64
	}{
		{"no panels", nil, 1, 4, 3},
		{"zero cols", ok, 0, 4, 3},
		{"zero width", ok, 1, 0, 3},
		{"NaN height", ok, 1, 4, math.NaN()},
		{"huge", ok, 1, 1e6, 3},
		{"length mismatch", []Panel{{Series: []Series{{Name: "s", X: []float64{1, 2}, Y: []float64{1}}}}}, 1, 4, 3},
	}
	for _, c := range cases {
		path := filepath.Join(dir, c.name+".png")
		if err := PlotPanels(path, c.panels, c.cols, c.w, c.h); err == nil {
			t.Errorf("%s: no error", c.name)
		}
		if _, err := os.Stat(path); err == nil {
			t.Errorf("%s: file written despite error", c.name)
		}
	}
	// Degenerate but valid: all-NaN series, constant data, empty log panel.
	deg := []Panel{
		{Series: []Series{{Name: "nan", X: []float64{1, 2}, Y: []float64{math.NaN(), math.NaN()}}}},
		{Series: []Series{{Name: "const", X: []float64{3, 3}, Y: []float64{2, 2}}}},
		{LogX: true, LogY: true, Series: []Series{{Name: "one", X: []float64{0.5}, Y: []float64{0.5}}}},
		{LogY: true},
	}
	if err := PlotPanels(filepath.Join(dir, "deg.png"), deg, 4, 8, 2); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkPlotPanels3x5x300 times the Figure-3-sized figure:
// go test -run x -bench PlotPanels -benchtime 5x ./report/
func BenchmarkPlotPanels3x5x300(b *testing.B) {
	panels := threePanels(300)
	path := filepath.Join(b.TempDir(), "f.png")
	for b.Loop() {
		if err := PlotPanels(path, panels, 3, 12, 3.5); err != nil {
			b.Fatal(err)
		}
	}
}

// A series of one point (a run of one epoch) is drawn as a dot: a line
// through one point alone would leave the panel blank.
func TestPlotOnePointSeries(t *testing.T) {
	img, err := RenderPanels([]Panel{{Title: "one epoch", Series: []Series{{X: []float64{1}, Y: []float64{526.3}}}}}, 1, 4, 3)
	if err != nil {
		t.Fatal(err)
	}
	if !hasColor(img, seriesColors[0]) {
		t.Error("the one point is not drawn")
	}
}
