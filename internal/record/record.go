// Package record holds the recorders the commands give the training
// driver (internal/driver): a metrics.csv kept whole and atomic, and one
// progress line per epoch. They are apart from the driver so that the
// trainer does not depend on package report (and its plotting library).
package record

import (
	"fmt"
	"io"

	"github.com/argmaxvae/argmaxvae/report"
)

// MetricsCSV is a driver.Recorder keeping Path a CSV table with one row per
// epoch: it rewrites the whole file atomically from the history at Start
// (so a resumed run's file always matches its checkpoint, whatever
// happened to the file) and after every epoch.
type MetricsCSV[E any] struct {
	Path   string
	Header []string
	Row    func(e E) []any

	rows [][]any
}

// Start implements driver.Recorder.
func (m *MetricsCSV[E]) Start(history []E) error {
	m.rows = m.rows[:0]
	for _, e := range history {
		m.rows = append(m.rows, m.Row(e))
	}
	return report.WriteCSV(m.Path, m.Header, m.rows)
}

// Record implements driver.Recorder.
func (m *MetricsCSV[E]) Record(e E) error {
	m.rows = append(m.rows, m.Row(e))
	return report.WriteCSV(m.Path, m.Header, m.rows)
}

// ProgressLines is a driver.Recorder printing one [report.Progress] line per
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

// Start implements driver.Recorder.
func (pl *ProgressLines[E]) Start(history []E) error {
	pl.p = report.NewProgress(pl.W, pl.Epochs, pl.Label)
	pl.n = len(history)
	pl.p.Resume(pl.n)
	return nil
}

// Record implements driver.Recorder; the epoch's number is its position.
func (pl *ProgressLines[E]) Record(e E) error {
	pl.n++
	pl.p.Step(pl.n, pl.Line(e))
	return nil
}

// End implements driver.Ender.
func (pl *ProgressLines[E]) End(h []E, interrupted bool) error {
	if interrupted {
		fmt.Fprintf(pl.W, "interrupted after %d epochs: the epoch in progress is dropped; resume continues from epoch %d\n", len(h), len(h))
	}
	return nil
}
