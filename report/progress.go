package report

import (
	"fmt"
	"io"
	"math"
	"strings"
	"sync"
	"time"
)

// Progress prints one line per completed unit of work, for example
//
//	train epoch 3/50  loss 98.1  elapsed 12.3s  left ~3m10s
//
// The time left is the mean time per unit completed since the Progress was
// created (or since [Progress.Resume]) times the units remaining. It is safe
// for concurrent use. Write errors on the output are ignored: progress is
// best effort.
type Progress struct {
	mu        sync.Mutex
	w         io.Writer
	total     int
	label     string
	now       func() time.Time
	start     time.Time
	startDone int

	// Unit names what is counted; "epoch" by default.
	Unit string
}

// NewProgress returns a Progress for total units writing to w, with the
// clock started now.
func NewProgress(w io.Writer, total int, label string) *Progress {
	return NewProgressClock(w, total, label, time.Now)
}

// NewProgressClock is [NewProgress] with an injected clock (for tests and
// simulations); the clock is read once now, as the start, and once per Step.
func NewProgressClock(w io.Writer, total int, label string, now func() time.Time) *Progress {
	return &Progress{w: w, total: total, label: label, now: now, start: now(), Unit: "epoch"}
}

// Resume declares that done units were already complete when this Progress
// started (a resumed run), and restarts the clock, so the time left is
// estimated from the units done in this session only.
func (p *Progress) Resume(done int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.startDone = done
	p.start = p.now()
}

// Step prints the line for done units completed, with fields (free text,
// may be empty) after the count.
func (p *Progress) Step(done int, fields string) {
	line := p.Line(done, fields)
	p.mu.Lock()
	defer p.mu.Unlock()
	io.WriteString(p.w, line+"\n")
}

// Line returns the text [Progress.Step] prints, without the newline.
func (p *Progress) Line(done int, fields string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	elapsed := p.now().Sub(p.start)
	var b strings.Builder
	if p.label != "" {
		b.WriteString(p.label)
		b.WriteByte(' ')
	}
	if p.Unit != "" {
		b.WriteString(p.Unit)
		b.WriteByte(' ')
	}
	fmt.Fprintf(&b, "%d/%d", done, p.total)
	if fields != "" {
		b.WriteString("  ")
		b.WriteString(fields)
	}
	b.WriteString("  elapsed ")
	b.WriteString(FormatDuration(elapsed))
	b.WriteString("  left ")
	n := done - p.startDone
	switch {
	case done >= p.total:
		b.WriteString("0s")
	case n <= 0:
		b.WriteString("?")
	default:
		perUnit := float64(elapsed) / float64(n)
		b.WriteString("~")
		b.WriteString(FormatDuration(time.Duration(perUnit * float64(p.total-done))))
	}
	return b.String()
}

// FormatDuration renders d compactly: "12.3s" below a minute, "3m10s" below
// an hour, "2h05m" from an hour on (rounded to the shown precision;
// negative durations show as 0s).
func FormatDuration(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := d.Seconds()
	if r := math.Round(s*10) / 10; r < 60 {
		return fmt.Sprintf("%.1fs", r)
	}
	sec := int64(math.Round(s))
	if sec < 3600 {
		return fmt.Sprintf("%dm%02ds", sec/60, sec%60)
	}
	min := (sec + 30) / 60
	return fmt.Sprintf("%dh%02dm", min/60, min%60)
}
