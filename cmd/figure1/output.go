package main

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/argmaxvae/argmaxvae/internal/runfolder"
	"github.com/argmaxvae/argmaxvae/report"
)

// Output files in OUT.
const (
	csvFile  = "figure1.csv"
	mdFile   = "figure1.md"
	plotFile = "figure1.png"
)

// csvHeader is figure1.csv's layout: one row per estimator and
// temperature.
var csvHeader = []string{"estimator", "temperature", "bias", "std", "cosine", "reps", "bias_exact_mean", "bias_noise_floor", "target", "seconds"}

// runInfo is what figure1.md says about the measurement.
type runInfo struct {
	epoch               int
	from                string
	nelbo, entropy, gap float64
	recon, kl, elbo     float64 // norms of the exact gradients
	params              int
	seconds             float64
}

// labels are the estimators' names in the legend and the table.
var labels = map[string]string{
	directNone:   "direct, KL ignored",
	directFolded: "direct, KL folded",
	gsmHard:      "GSM straight-through",
	gsmRelaxed:   "GSM relaxed",
}

func targetName(r result) string {
	if r.elbo {
		return "elbo"
	}
	return "recon"
}

// write writes figure1.csv, figure1.md and figure1.png into o.out.
func write(o *options, results []result, info runInfo) error {
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	c, err := report.CreateCSV(filepath.Join(o.out, csvFile), csvHeader)
	if err != nil {
		return err
	}
	for _, r := range results {
		if err := c.Write(r.name, r.temp, r.bias, r.std, r.cos, r.reps, r.expected, r.floor, targetName(r), r.seconds); err != nil {
			c.Close()
			return err
		}
	}
	if err := c.Close(); err != nil {
		return err
	}
	if err := runfolder.WriteFile(filepath.Join(o.out, mdFile), []byte(markdown(o, results, info))); err != nil {
		return err
	}
	return plot(filepath.Join(o.out, plotFile), o, results)
}

func g4(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	return fmt.Sprintf("%.4g", v)
}

// markdown renders figure1.md: the setting, the table, the definitions.
func markdown(o *options, results []result, info runInfo) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Figure 1: bias and spread of the encoder gradient, one categorical latent (K = %d)\n\n", o.k)
	fmt.Fprintf(&b, "Command: `go run ./cmd/figure1 %s`\n\n", strings.Join(o.args, " "))
	fmt.Fprintf(&b, "Parameters: exact-gradient training on %s, encoder x → FC(%d) → ReLU → FC(%d), epoch %d state from `%s`. "+
		"Minibatch: the first %d test images; its exact negative ELBO is %.2f nats per image, the mean entropy of q %.3g nats (uniform: %.3g), "+
		"the median gap between an example's two largest encoder scores %.3g. "+
		"Exact encoder gradients over %d parameters: ‖g_recon‖ = %.4g, ‖g_KL‖ = %.4g, ‖g_ELBO‖ = %.4g. "+
		"%d steps per setting (seed %d), %s in all.\n\n",
		o.data, o.hidden, o.k, info.epoch, info.from, o.examples, info.nelbo, info.entropy, math.Log(float64(o.k)), info.gap, info.params, info.recon, info.kl, info.elbo,
		o.reps, o.seed, report.FormatDuration(secondsDuration(info.seconds)))
	header := []string{"estimator", "ε or τ", "compared with", "bias", "bias of the exact mean", "noise floor", "mean std", "cosine", "seconds"}
	var rows [][]string
	for _, r := range results {
		rows = append(rows, []string{labels[r.name], r.symbol + " = " + fmt.Sprintf("%g", r.temp), "g_" + targetName(r),
			g4(r.bias), g4(r.expected), g4(r.floor), g4(r.std), fmt.Sprintf("%.4f", r.cos), fmt.Sprintf("%.1f", r.seconds)})
	}
	b.WriteString(report.Markdown(header, rows))
	b.WriteString(`
Bias is ‖mean − g‖/‖g‖ for the Monte-Carlo mean of the encoder gradient
over the steps; "bias of the exact mean" is the same with the estimator's
expectation in closed form (direct only: z*(ε) is distributed as
softmax(h' + ε·f), h' = h with the KL ignored, (1−ε)·h folded); the noise
floor √(Σ var/reps)/‖g‖ is what the measured bias of an unbiased estimator
would be, so a measured bias near it is noise. Mean std is the average over
the encoder's parameters of the per-parameter standard deviation of one
step's gradient. Direct with the KL ignored and both Gumbel-Softmax forms
are compared with the reconstruction gradient g_recon of
−E_q log p(x|z) (Gumbel-Softmax's exact KL gradient is subtracted), direct
with the KL folded with the whole negative ELBO's gradient g_ELBO (ε ≤ 1
only).
`)
	return b.String()
}

// plot draws figure1.png: bias (measured, and the direct forms' exact
// means) and mean standard deviation against ε or τ, log axes.
func plot(path string, o *options, results []result) error {
	var bias, std []report.Series
	for _, name := range []string{directNone, directFolded, gsmHard, gsmRelaxed} {
		var x, yb, ys, ye []float64
		for _, r := range results {
			if r.name == name {
				x = append(x, r.temp)
				yb = append(yb, r.bias)
				ys = append(ys, r.std)
				ye = append(ye, r.expected)
			}
		}
		if len(x) == 0 {
			continue
		}
		sym := " (τ)"
		if strings.HasPrefix(name, "direct") {
			sym = " (ε)"
		}
		bias = append(bias, report.Series{Name: labels[name] + sym, X: x, Y: yb})
		std = append(std, report.Series{Name: labels[name] + sym, X: x, Y: ys})
		if strings.HasPrefix(name, "direct") {
			bias = append(bias, report.Series{Name: labels[name] + ", exact mean", X: x, Y: ye})
		}
	}
	// The legend sits in the top right corner: a one-point series
	// (drawn as nothing) above the data makes room for it.
	bias = append(bias, headroom(bias))
	std = append(std, headroom(std))
	title := fmt.Sprintf("K = %d, %d steps per point", o.k, o.reps)
	panels := []report.Panel{
		{Title: "bias ‖mean − g‖/‖g‖, " + title, XLabel: "ε (direct) or τ (Gumbel-Softmax)", YLabel: "relative bias", Series: bias, LogX: true, LogY: true},
		{Title: "mean per-parameter std, " + title, XLabel: "ε (direct) or τ (Gumbel-Softmax)", YLabel: "standard deviation", Series: std, LogX: true, LogY: true},
	}
	return report.PlotPanels(path, panels, 2, 13, 5)
}

func secondsDuration(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// headroom returns an unnamed one-point series that raises a log axis's
// top so that the legend of the named series fits above the lines: by a
// fraction of the data's decades that grows with the number of entries.
func headroom(ss []report.Series) report.Series {
	lo, hi, x0 := math.Inf(1), math.Inf(-1), math.Inf(1)
	named := 0
	for _, s := range ss {
		if s.Name != "" {
			named++
		}
		for i, y := range s.Y {
			if y > 0 && !math.IsInf(y, 0) && s.X[i] > 0 {
				lo, hi, x0 = math.Min(lo, y), math.Max(hi, y), math.Min(x0, s.X[i])
			}
		}
	}
	if !(hi > 0) || math.IsInf(x0, 0) {
		return report.Series{}
	}
	top := hi * math.Pow(math.Max(hi/lo, 10), 0.08*float64(named))
	return report.Series{X: []float64{x0}, Y: []float64{top}}
}
