package report_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/argmaxvae/argmaxvae/report"
)

func ExampleMarkdown() {
	fmt.Print(report.Markdown(
		[]string{"method", "test loss"},
		[][]string{{"direct", "98.1"}, {"gumbel-softmax", "101.4"}},
	))
	// Output:
	// | method         | test loss |
	// |----------------|-----------|
	// | direct         | 98.1      |
	// | gumbel-softmax | 101.4     |
}

func ExampleCSV() {
	dir, _ := os.MkdirTemp("", "report")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "train.csv")

	c, _ := report.CreateCSV(path, []string{"epoch", "loss"})
	c.Write(1, 0.5)
	c.Write(2, math.NaN())
	fmt.Println(c.Write(3) != nil) // a row of the wrong width
	c.Close()                      // the whole table appears at once

	data, _ := os.ReadFile(path)
	fmt.Print(string(data))
	// Output:
	// true
	// epoch,loss
	// 1,0.5
	// 2,
}

func ExampleWriteJSON() {
	dir, _ := os.MkdirTemp("", "report")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "summary.json")
	report.WriteJSON(path, map[string]any{"epochs": 3, "best": 97.25})
	data, _ := os.ReadFile(path)
	fmt.Print(string(data))
	// Output:
	// {
	//   "best": 97.25,
	//   "epochs": 3
	// }
}

func ExampleProgress() {
	t := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return t }
	p := report.NewProgressClock(os.Stdout, 50, "mnist", clock)
	t = t.Add(12300 * time.Millisecond)
	p.Step(3, "loss 98.1")
	// Output:
	// mnist epoch 3/50  loss 98.1  elapsed 12.3s  left ~3m13s
}

func ExampleGridImage() {
	// Two 1×2 images side by side, each pixel doubled, with a separator.
	g, _ := report.GridImage([][]float32{{0, 1}, {0.5, 2}}, 1, 2, 1, 2, 2)
	for y := range g.Bounds().Dy() {
		for x := range g.Bounds().Dx() {
			fmt.Printf("%4d", g.GrayAt(x, y).Y)
		}
		fmt.Println()
	}
	// Output:
	//    0   0 255 255 128 128 128 255 255
	//    0   0 255 255 128 128 128 255 255
}

func ExamplePlotPanels() {
	dir, _ := os.MkdirTemp("", "report")
	defer os.RemoveAll(dir)
	x := []float64{1, 2, 3, 4}
	panels := []report.Panel{
		{Title: "vs epoch", XLabel: "epoch", YLabel: "loss", Series: []report.Series{
			{Name: "direct", X: x, Y: []float64{4, 3, 2.5, 2.2}},
			{Name: "gumbel", X: x, Y: []float64{4, 3.5, math.NaN(), 2.9}},
		}},
		{Title: "vs time", XLabel: "seconds", YLabel: "loss", LogX: true, Series: []report.Series{
			{Name: "direct", X: []float64{0.1, 1, 10, 100}, Y: []float64{4, 3, 2.5, 2.2}},
		}},
	}
	err := report.PlotPanels(filepath.Join(dir, "fig2.png"), panels, 2, 8, 3)
	fmt.Println(err)
	// Output:
	// <nil>
}
