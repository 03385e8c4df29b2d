// Command table2 runs (or collects) the grid of the paper's Table 2: the
// semi-supervised VAE of cmd/semisup on -datasets (mnist, fashion) × -labels
// (50, 100, 300, 600, 1200) × -estimators (direct, gsm), one run folder
// per cell under -out, -jobs cells at a time. A finished cell (its
// summary.json) is reused; an interrupted one resumes from its checkpoint.
// -unsupervised adds the 0-label direct run of each data set (Figure 4's
// unsupervised panel).
//
//	go run ./cmd/table2 -epochs 20
//
// It writes OUT/table2.csv and OUT/table2.md: per cell the test accuracy
// (arg max of h; a Gumbel sample; majority mapping for 0 labels) and the
// test NELBO, next to the paper's accuracy and bound.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/argmaxvae/argmaxvae/internal/cli"
	"github.com/argmaxvae/argmaxvae/internal/runfolder"
	"github.com/argmaxvae/argmaxvae/internal/semirun"
	"github.com/argmaxvae/argmaxvae/report"
)

func main() { cli.Main("table2", run) }

// paper holds Table 2 of the paper: accuracy (%) and bound per data set,
// estimator and label count.
var paper = map[string]map[string]map[int][2]float64{
	"mnist": {
		"direct": {50: {92.6, 90.24}, 100: {95.4, 90.93}, 300: {96.4, 90.39}, 600: {96.7, 90.78}, 1200: {96.8, 90.45}},
		"gsm":    {50: {84.7, 91.23}, 100: {88.4, 90.64}, 300: {91.7, 90.01}, 600: {92.3, 89.77}, 1200: {92.7, 90.37}},
	},
	"fashion": {
		"direct": {50: {63.3, 129.66}, 100: {67.2, 130.822}, 300: {70.0, 130.653}, 600: {72.1, 130.81}, 1200: {73.7, 130.921}},
		"gsm":    {50: {61.2, 129.813}, 100: {64.2, 129.054}, 300: {69.3, 130.371}, 600: {71.6, 129.973}, 1200: {73.2, 130.063}},
	},
}

type cell struct {
	data, est string
	labels    int
}

func (c cell) dir(root string) string {
	return filepath.Join(root, fmt.Sprintf("%s-%s-%d", c.data, c.est, c.labels))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("table2", stderr)
	var root string
	cli.GridOut(fs, &root, filepath.Join("results", "table2"))
	var epochs, jobs int
	cli.Epochs(fs, &epochs, 20)
	oneOf := func(names ...string) func(string) error {
		return func(s string) error {
			if !slices.Contains(names, s) {
				return fmt.Errorf("want %s", strings.Join(names, " or "))
			}
			return nil
		}
	}
	datas := cli.Datasets(fs, []string{"mnist", "fashion"}, semirun.CheckData)
	labels := cli.Ints(fs, "labels", []int{50, 100, 300, 600, 1200}, 0, 50000, "comma-separated label counts (multiples of 10)")
	ests := cli.Names(fs, "estimators", []string{"direct", "gsm"}, oneOf("direct", "gsm"), "comma-separated estimators: direct, gsm")
	unsup := fs.Bool("unsupervised", true, "also run each data set with 0 labels (direct)")
	cli.IntIn(fs, &jobs, "jobs", 2, 1, runtime.NumCPU(), "one cell per CPU at most", "cells run at the same time")
	onlyFinished := cli.OnlyFinished(fs)
	var seed uint64
	var limit int
	cli.Seed(fs, &seed)
	cli.Limit(fs, &limit)
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	var cells []cell
	for _, d := range *datas {
		for _, e := range *ests {
			for _, l := range *labels {
				if l%10 != 0 {
					return cli.Usagef("-labels: %d is not a multiple of 10", l)
				}
				cells = append(cells, cell{d, e, l})
			}
		}
		if *unsup {
			cells = append(cells, cell{d, "direct", 0})
		}
	}
	if !*onlyFinished {
		if err := runCells(ctx, cells, root, epochs, seed, limit, jobs, stderr); err != nil {
			return err
		}
	}
	return tabulate(cells, root, epochs, seed, limit, stdout)
}

// runCells runs every unfinished cell, jobs at a time; a failing cell is
// reported and the others go on.
func runCells(ctx context.Context, cells []cell, root string, epochs int, seed uint64, limit, jobs int, stderr io.Writer) error {
	work := make(chan cell)
	var mu sync.Mutex
	var errs []error
	var wg sync.WaitGroup
	for range jobs {
		wg.Go(func() {
			for c := range work {
				if ctx.Err() != nil {
					continue
				}
				if err := runCell(ctx, c, root, epochs, seed, limit, stderr); err != nil {
					mu.Lock()
					errs = append(errs, fmt.Errorf("%s: %w", c.dir(root), err))
					mu.Unlock()
				}
			}
		})
	}
	for _, c := range cells {
		work <- c
	}
	close(work)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	return errors.Join(errs...)
}

// config is the semi-supervised run of a cell: semisup's defaults with
// the cell's data set, estimator and labels and the grid's epochs, seed
// and limit.
func (c cell) config(epochs int, seed uint64, limit int) semirun.Config {
	cfg := semirun.Default()
	cfg.Data, cfg.Estimator, cfg.Labels = c.data, c.est, c.labels
	cfg.Epochs, cfg.Seed, cfg.Limit = epochs, seed, limit
	if c.labels > 0 {
		cfg.LabelBatch = min(cfg.LabelBatch, c.labels)
	}
	return cfg
}

// runCell trains a cell unless its folder holds the finished run,
// resuming an interrupted one; a folder holding another run (other
// epochs aside) is refused, naming the fields that differ.
func runCell(ctx context.Context, c cell, root string, epochs int, seed uint64, limit int, stderr io.Writer) error {
	dir, cfg := c.dir(root), c.config(epochs, seed, limit)
	if _, ok, err := semirun.Finished(cfg, dir); err != nil || ok {
		return err
	}
	_, err := os.Stat(filepath.Join(dir, runfolder.CheckpointFile))
	_, err = semirun.Train(ctx, cfg, dir, err == nil, stderr)
	return err
}

// tabulate writes table2.csv and table2.md for the finished cells.
func tabulate(cells []cell, root string, epochs int, seed uint64, limit int, stdout io.Writer) error {
	header := []string{"data", "labels", "estimator", "test_acc_argmax", "test_acc_sample", "test_acc_majority", "test_nelbo", "paper_acc", "paper_bound", "seconds"}
	csvPath := filepath.Join(root, "table2.csv")
	if err := os.MkdirAll(root, 0o755); err != nil {
		return err
	}
	w, err := report.CreateCSV(csvPath, header)
	if err != nil {
		return err
	}
	var md [][]string
	pct := func(f float64) string { return fmt.Sprintf("%.1f%%", 100*f) }
	for _, c := range cells {
		s, ok, err := semirun.Finished(c.config(epochs, seed, limit), c.dir(root))
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		p, hasPaper := paper[c.data][c.est][c.labels]
		pa, pb := "—", "—"
		if hasPaper {
			pa, pb = fmt.Sprintf("%.1f%%", p[0]), fmt.Sprintf("%.2f", p[1])
		}
		g := func(f float64) string { return strconv.FormatFloat(f, 'g', 8, 64) }
		if err := w.Write(c.data, strconv.Itoa(c.labels), c.est, g(s.TestAccArgmax), g(s.TestAccSample),
			g(s.TestAccMajority), g(s.TestNELBO), pa, pb, g(s.Seconds)); err != nil {
			return err
		}
		md = append(md, []string{c.data, strconv.Itoa(c.labels), c.est, pct(s.TestAccArgmax), pct(s.TestAccSample),
			pct(s.TestAccMajority), fmt.Sprintf("%.2f", s.TestNELBO), pa, pb})
	}
	if err := w.Close(); err != nil {
		return err
	}
	table := report.Markdown([]string{"data", "labels", "estimator", "acc (arg max h)", "acc (Gumbel sample)", "acc (majority map)", "test NELBO", "paper acc", "paper bound"}, md)
	if err := runfolder.WriteFile(filepath.Join(root, "table2.md"), []byte(table)); err != nil {
		return err
	}
	fmt.Fprint(stdout, table)
	return nil
}
