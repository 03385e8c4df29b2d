// Package report writes the commands' results: CSV tables, indented JSON,
// PNG line plots arranged in a grid of panels (gonum.org/v1/plot with its
// bundled Liberation fonts, so no system fonts are needed), grayscale
// image grids, Markdown tables and a one-line progress report with an
// estimate of the time left.
//
// One idea per file:
//
//   - csv.go: [CSV], [CreateCSV], [WriteCSV], [ReadCSV], [ParseFloat].
//   - json.go: [WriteJSON], [ReadJSON].
//   - plot.go: [Series], [Panel], [PlotPanels], [RenderPanels].
//   - grid.go: [ImageGrid], [GridImage].
//   - progress.go: [Progress], [NewProgress], [NewProgressClock].
//   - markdown.go: [Markdown].
//
// Every file is written whole and atomically through the run folder's one
// writer (internal/runfolder.WriteFile: a temporary file, fsync, rename;
// missing parent directories are created), so a reader or a killed run
// sees the old file or the new one, never a part. Bad input (wrong
// lengths, sizes, field counts or types) is an error naming the file,
// index or value; nothing panics. report imports nothing of this module
// but internal/runfolder: it sits below the trainer and the commands.
package report
