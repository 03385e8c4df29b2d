package report

import (
	"fmt"
	"io"
	"os"

	"github.com/argmaxvae/argmaxvae/train"
)

// MetricsCSV is a [train.Recorder] writing one CSV row per epoch. On
// Start it rewrites the file from the run's history (so a resumed run's
// file always matches its checkpoint, whatever happened to the file), then
// appends a row per epoch.
type MetricsCSV struct {
	Path   string
	Header []string
	Row    func(e train.Epoch) []any

	csv *CSV
}

// Start implements [train.Recorder].
func (m *MetricsCSV) Start(history []train.Epoch) error {
	tmp := m.Path + ".tmp"
	c, err := CreateCSV(tmp, m.Header)
	if err != nil {
		return err
	}
	for _, e := range history {
		if err := c.Write(m.Row(e)...); err != nil {
			c.Close()
			return err
		}
	}
	if err := c.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, m.Path); err != nil {
		return err
	}
	m.csv, err = AppendCSV(m.Path, m.Header)
	return err
}

// Record implements [train.Recorder].
func (m *MetricsCSV) Record(e train.Epoch) error { return m.csv.Write(m.Row(e)...) }

// Finish implements [train.Recorder].
func (m *MetricsCSV) Finish(train.Summary, []train.Epoch) error { return m.csv.Close() }

// ProgressLines is a [train.Recorder] printing one [Progress] line per
// epoch (epoch, time left) with the fields Line formats.
type ProgressLines struct {
	W      io.Writer
	Epochs int
	Label  string
	Line   func(e train.Epoch) string

	p *Progress
}

// Start implements [train.Recorder].
func (pl *ProgressLines) Start(history []train.Epoch) error {
	pl.p = NewProgress(pl.W, pl.Epochs, pl.Label)
	pl.p.Resume(len(history))
	return nil
}

// Record implements [train.Recorder].
func (pl *ProgressLines) Record(e train.Epoch) error {
	pl.p.Step(e.Epoch, pl.Line(e))
	return nil
}

// Finish implements [train.Recorder]: a closing line after an interrupt.
func (pl *ProgressLines) Finish(sum train.Summary, h []train.Epoch) error {
	if sum.Interrupted {
		fmt.Fprintf(pl.W, "interrupted after %d epochs: the epoch in progress is dropped; resume continues from epoch %d\n", len(h), len(h))
	}
	return nil
}

// LossPlot is a [train.Recorder] drawing, at the end, the test loss
// against epoch and against training wall clock into Path (PNG).
type LossPlot struct {
	Path, Title, Series, YLabel string
	Y                           func(e train.Epoch) float64
}

// Start implements [train.Recorder].
func (*LossPlot) Start([]train.Epoch) error { return nil }

// Record implements [train.Recorder].
func (*LossPlot) Record(train.Epoch) error { return nil }

// Finish implements [train.Recorder].
func (lp *LossPlot) Finish(_ train.Summary, h []train.Epoch) error {
	if len(h) == 0 {
		return nil
	}
	ep, wall, y := make([]float64, len(h)), make([]float64, len(h)), make([]float64, len(h))
	for i, e := range h {
		ep[i], wall[i], y[i] = float64(e.Epoch), e.Wall, lp.Y(e)
	}
	return PlotPanels(lp.Path, []Panel{
		{Title: lp.Title, XLabel: "epoch", YLabel: lp.YLabel, Series: []Series{{Name: lp.Series, X: ep, Y: y}}},
		{Title: lp.Title, XLabel: "training wall clock (s)", YLabel: lp.YLabel, Series: []Series{{Name: lp.Series, X: wall, Y: y}}},
	}, 2, 10, 4)
}
