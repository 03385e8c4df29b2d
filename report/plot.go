package report

import (
	"fmt"
	"image"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// PlotDPI is the resolution of PNG plots: a w×h inch figure is
// round(w·PlotDPI) × round(h·PlotDPI) pixels.
const PlotDPI = 100

// Series is one line of a panel. X and Y must have the same length. Points
// where X or Y is NaN or ±Inf (or not positive on a log axis) are skipped
// and their neighbours joined.
type Series struct {
	Name string
	X, Y []float64
}

// Panel is one plot of a figure: a title, axis labels and its lines. LogX
// and LogY put the axis on a log scale.
type Panel struct {
	Title, XLabel, YLabel string
	Series                []Series
	LogX                  bool
	LogY                  bool
}

// PlotPanels draws panels in a grid with cols columns (row by row, as many
// rows as needed) on one widthInches × heightInches figure and writes it as
// PNG (see [PlotDPI]) to path, creating missing parent directories. Each
// panel has a legend of its named series. Series with the same name get the
// same color and dash pattern in every panel; distinct names get distinct
// styles (7 colors × 9 dash patterns cycle independently, so the first 63
// names never share a style). Fonts are the Liberation fonts bundled with
// gonum.org/v1/plot: no system fonts are needed.
func PlotPanels(path string, panels []Panel, cols int, widthInches, heightInches float64) error {
	img, err := RenderPanels(panels, cols, widthInches, heightInches)
	if err != nil {
		return fmt.Errorf("%w (file %s)", err, path)
	}
	return savePNG(path, img)
}

// RenderPanels is [PlotPanels] without the file: it returns the picture.
// Cost O(total points + pixels).
func RenderPanels(panels []Panel, cols int, widthInches, heightInches float64) (img image.Image, err error) {
	if len(panels) == 0 {
		return nil, fmt.Errorf("report: plot: no panels")
	}
	if cols <= 0 {
		return nil, fmt.Errorf("report: plot: cols = %d, must be positive", cols)
	}
	if !(widthInches > 0 && heightInches > 0) || widthInches*PlotDPI > 1<<14 || heightInches*PlotDPI > 1<<14 {
		return nil, fmt.Errorf("report: plot: size %g×%g inches out of range", widthInches, heightInches)
	}
	styles := styleIndex(panels)
	cols = min(cols, len(panels))
	rows := (len(panels) + cols - 1) / cols
	grid := make([][]*plot.Plot, rows)
	for r := range grid {
		grid[r] = make([]*plot.Plot, cols)
	}
	for k, pn := range panels {
		p, err := buildPanel(k, pn, styles)
		if err != nil {
			return nil, err
		}
		grid[k/cols][k%cols] = p
	}
	// gonum/plot panics on some degenerate inputs; report those as errors.
	defer func() {
		if r := recover(); r != nil {
			img, err = nil, fmt.Errorf("report: plot: drawing failed: %v", r)
		}
	}()
	c := vgimg.NewWith(vgimg.UseWH(vg.Length(widthInches)*vg.Inch, vg.Length(heightInches)*vg.Inch), vgimg.UseDPI(PlotDPI))
	dc := draw.New(c)
	pad := vg.Points(4)
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Points(12), PadY: vg.Points(12),
		PadTop: pad, PadBottom: pad, PadLeft: pad, PadRight: pad}
	canvases := plot.Align(grid, tiles, dc)
	for r := range grid {
		for q, p := range grid[r] {
			if p != nil {
				p.Draw(canvases[r][q])
			}
		}
	}
	return c.Image(), nil
}

// styleIndex numbers series names in order of first appearance over all
// panels; unnamed series get their own numbers.
func styleIndex(panels []Panel) map[string]int {
	idx := map[string]int{}
	for k, pn := range panels {
		for s, se := range pn.Series {
			key := styleKey(k, s, se.Name)
			if _, ok := idx[key]; !ok {
				idx[key] = len(idx)
			}
		}
	}
	return idx
}

func styleKey(panel, series int, name string) string {
	if name == "" {
		return fmt.Sprintf("\x00%d/%d", panel, series)
	}
	return name
}

// seriesColors are well separated, dark enough to read on white.
var seriesColors = []color.Color{
	color.RGBA{31, 119, 180, 255},
	color.RGBA{214, 39, 40, 255},
	color.RGBA{44, 160, 44, 255},
	color.RGBA{255, 127, 14, 255},
	color.RGBA{148, 103, 189, 255},
	color.RGBA{140, 86, 75, 255},
	color.RGBA{23, 190, 207, 255},
}

// buildPanel makes the gonum plot of panel k.
func buildPanel(k int, pn Panel, styles map[string]int) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = pn.Title
	p.X.Label.Text = pn.XLabel
	p.Y.Label.Text = pn.YLabel
	p.Legend.Top = true
	p.Add(plotter.NewGrid())
	for s, se := range pn.Series {
		if len(se.X) != len(se.Y) {
			return nil, fmt.Errorf("report: plot: panel %d (%q) series %d (%q): len(X) = %d, len(Y) = %d",
				k, pn.Title, s, se.Name, len(se.X), len(se.Y))
		}
		xy := make(plotter.XYs, 0, len(se.X))
		for i, x := range se.X {
			y := se.Y[i]
			if !usable(x, pn.LogX) || !usable(y, pn.LogY) {
				continue
			}
			xy = append(xy, plotter.XY{X: x, Y: y})
		}
		if len(xy) == 0 {
			continue
		}
		line, err := plotter.NewLine(xy)
		if err != nil {
			return nil, fmt.Errorf("report: plot: panel %d series %d (%q): %w", k, s, se.Name, err)
		}
		st := styles[styleKey(k, s, se.Name)]
		line.Color = seriesColors[st%len(seriesColors)]
		line.Dashes = plotutil.Dashes(st % len(plotutil.DefaultDashes))
		line.Width = vg.Points(1.5)
		p.Add(line)
		thumbs := []plot.Thumbnailer{line}
		if len(xy) == 1 { // a line through one point draws nothing: mark it
			dot, err := plotter.NewScatter(xy)
			if err != nil {
				return nil, fmt.Errorf("report: plot: panel %d series %d (%q): %w", k, s, se.Name, err)
			}
			dot.GlyphStyle.Color, dot.GlyphStyle.Radius, dot.GlyphStyle.Shape = line.Color, vg.Points(3), draw.CircleGlyph{}
			p.Add(dot)
			thumbs = append(thumbs, dot)
		}
		if se.Name != "" {
			p.Legend.Add(se.Name, thumbs...)
		}
	}
	if pn.LogX {
		logAxis(&p.X)
	}
	if pn.LogY {
		logAxis(&p.Y)
	}
	return p, nil
}

// usable reports whether v can be placed on an axis.
func usable(v float64, log bool) bool {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return false
	}
	return !log || v > 0
}

// logAxis switches a to a log scale with a positive, non-empty range.
func logAxis(a *plot.Axis) {
	a.Scale = plot.LogScale{}
	a.Tick.Marker = plot.LogTicks{Prec: -1}
	switch {
	case math.IsInf(a.Min, 0) || math.IsInf(a.Max, 0) || a.Min <= 0:
		a.Min, a.Max = 1, 10
	case a.Min == a.Max:
		a.Min, a.Max = a.Min/2, a.Max*2
	}
}
