package driver

import (
	"fmt"
	"io"

	"github.com/argmaxvae/argmaxvae/report"
)

// Ender is a [Recorder] that acts at the end of a run, also after an
// interrupt: [Run] calls End with the whole history before
// Settings.Finish.
type Ender[E any] interface {
	End(history []E, interrupted bool) error
}

// MetricsCSV is a [Recorder] keeping Path a CSV table with one row per
// epoch: it rewrites the whole file atomically from the history at Start
// (so a resumed run's file always matches its checkpoint, whatever
// happened to the file) and after every epoch.
type MetricsCSV[E any] struct {
	Path   string
	Header []string
	Row    func(e E) []any

	rows [][]any
}

// Start implements [Recorder].
func (m *MetricsCSV[E]) Start(history []E) error {
	m.rows = m.rows[:0]
	for _, e := range history {
		m.rows = append(m.rows, m.Row(e))
	}
	return report.WriteCSV(m.Path, m.Header, m.rows)
}

// Record implements [Recorder].
func (m *MetricsCSV[E]) Record(e E) error {
	m.rows = append(m.rows, m.Row(e))
	return report.WriteCSV(m.Path, m.Header, m.rows)
}

// ProgressLines is a [Recorder] printing one [report.Progress] line per
// epoch (epoch, time left) with the fields Line formats, and a closing
// line after an interrupt.
type ProgressLines[E any] struct {
	W      io.Writer
	Epochs int
	Label  string
	Line   func(e E) string

	p *report.Progress
	n int // epochs done
}

// Start implements [Recorder].
func (pl *ProgressLines[E]) Start(history []E) error {
	pl.p = report.NewProgress(pl.W, pl.Epochs, pl.Label)
	pl.n = len(history)
	pl.p.Resume(pl.n)
	return nil
}

// Record implements [Recorder]; the epoch's number is its position.
func (pl *ProgressLines[E]) Record(e E) error {
	pl.n++
	pl.p.Step(pl.n, pl.Line(e))
	return nil
}

// End implements [Ender].
func (pl *ProgressLines[E]) End(h []E, interrupted bool) error {
	if interrupted {
		fmt.Fprintf(pl.W, "interrupted after %d epochs: the epoch in progress is dropped; resume continues from epoch %d\n", len(h), len(h))
	}
	return nil
}
