// Package report is the one place commands write their results: CSV tables
// flushed row by row (so an interrupted run keeps what it measured and can be
// resumed), indented JSON written atomically, PNG line plots arranged in a
// grid of panels (gonum.org/v1/plot with its bundled Liberation fonts, so no
// system fonts are needed), grayscale image grids, a one-line progress
// report with an estimate of the time left, and Markdown tables.
//
// One idea per file:
//
//   - csv.go: [CSV], [CreateCSV], [AppendCSV], [ReadCSV], [WriteCSV].
//   - json.go: [WriteJSON], [ReadJSON].
//   - plot.go: [Series], [Panel], [PlotPanels], [RenderPanels].
//   - grid.go: [ImageGrid], [GridImage].
//   - progress.go: [Progress], [NewProgress], [NewProgressClock].
//   - markdown.go: [Markdown].
//
// Every function that writes a file creates the missing parent directories.
// Bad input (wrong lengths, sizes, field counts or types) is reported as an
// error that names the file, index or value; nothing panics.
package report
