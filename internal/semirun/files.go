package semirun

import (
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"

	"github.com/argmaxvae/argmaxvae/internal/record"
	"github.com/argmaxvae/argmaxvae/report"
	"github.com/argmaxvae/argmaxvae/semisup"
)

// The files of a semi-supervised run folder besides the driver's
// (config.json, checkpoint.bin): metrics.csv and curves.png, rewritten
// after every epoch, and figure4.png at the end.
const (
	MetricsFile = "metrics.csv"
	CurvesFile  = "curves.png"
	Figure4File = "figure4.png"
)

// header is metrics.csv's header.
var header = []string{"epoch", "seconds", "eval_seconds", "train_loss", "temperature",
	"valid_nelbo_first", "valid_acc", "test_nelbo", "test_acc_argmax", "test_acc_sample", "test_acc_majority"}

func fields(r semisup.Row) []any {
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', 8, 64) }
	return []any{strconv.Itoa(r.Epoch), f(r.Seconds), f(r.EvalSeconds), f(r.TrainLoss), f(r.Temp),
		f(r.ValidNELBO), f(r.ValidAcc), f(r.TestNELBO), f(r.TestAccArgmax), f(r.TestAccSample), f(r.TestAccMj)}
}

// recorders are what a run in out reports to: progress lines on log,
// metrics.csv and curves.png.
func recorders(out string, c Config, log io.Writer) []semisup.Recorder {
	return []semisup.Recorder{
		&record.ProgressLines[semisup.Row]{W: log, Epochs: c.Epochs, Label: "semisup " + c.Estimator,
			Line: func(r semisup.Row) string {
				return fmt.Sprintf("loss %.2f  valid NELBO %.2f  test acc %.1f%%", r.TrainLoss, r.ValidNELBO, 100*r.TestAccArgmax)
			}},
		&record.MetricsCSV[semisup.Row]{Path: filepath.Join(out, MetricsFile), Header: header, Row: fields},
		&curves{path: filepath.Join(out, CurvesFile)},
	}
}

// curves is a recorder redrawing curves.png after every epoch: test
// accuracy and the validation NELBO per epoch.
type curves struct {
	path string
	h    []semisup.Row
}

func (c *curves) Start(h []semisup.Row) error {
	c.h = append(c.h[:0], h...)
	if len(h) == 0 {
		return nil
	}
	return c.plot()
}

func (c *curves) Record(r semisup.Row) error {
	c.h = append(c.h, r)
	return c.plot()
}

func (c *curves) plot() error {
	n := len(c.h)
	ep, acc, accS, nelbo := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for i, r := range c.h {
		ep[i], acc[i], accS[i], nelbo[i] = float64(r.Epoch), 100*r.TestAccArgmax, 100*r.TestAccSample, r.ValidNELBO
	}
	return report.PlotPanels(c.path, []report.Panel{
		{Title: "test accuracy", XLabel: "epoch", YLabel: "%", Series: []report.Series{
			{Name: "arg max h", X: ep, Y: acc}, {Name: "Gumbel sample", X: ep, Y: accS}}},
		{Title: "validation NELBO (first examples, estimate of a bound)", XLabel: "epoch", YLabel: "nats",
			Series: []report.Series{{Name: "NELBO", X: ep, Y: nelbo}}},
	}, 2, 9, 3.5)
}

// figure4 draws the paper's Figure 4 into out when the images are square
// (side² = D): 15 fixed Gaussian draws (seed) × the components.
func figure4(out string, m *semisup.Model, seed uint64) error {
	side := int(math.Sqrt(float64(m.S.D)) + 0.5)
	if side*side != m.S.D {
		return nil
	}
	return report.ImageGrid(filepath.Join(out, Figure4File), m.Generate(15, seed), 15, m.S.K, side, side, 2)
}
