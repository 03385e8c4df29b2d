package semisup

import (
	"bytes"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/argmaxvae/argmaxvae/internal/runfolder"
	"github.com/argmaxvae/argmaxvae/nn"
	"github.com/argmaxvae/argmaxvae/report"
	"github.com/argmaxvae/argmaxvae/train"
)

// Data is what [Run] trains and evaluates on. Train holds every training
// image (all of them are used unlabelled); Labelled lists the indices of
// Train whose labels (TrainLabels) the estimator may see.
type Data struct {
	Train, Valid, Test                   nn.Mat
	TrainLabels, ValidLabels, TestLabels []int
	Labelled                             []int
}

// Settings configure [Run]; the zero value is the default of each field.
type Settings struct {
	// Epochs is the number of passes over the unlabelled training set
	// (counting those a resumed run has done); 0 means 30.
	Epochs int
	// Batch is the number of unlabelled examples per step (0: 100);
	// LabelBatch the number of labelled examples added to each step
	// (0: 10), cycling through the labelled set in a fresh order each
	// epoch.
	Batch, LabelBatch int
	// LR is Adam's learning rate; 0 means 1e-3.
	LR float64
	// Sched anneals ε (direct) or τ (GSM) per step; the zero value means
	// Start 1, Min 0.1, Rate 1e-4, Every 1000 (Jang et al.'s schedule, ten
	// times faster than the categorical runs' 1e-5 so that the temperature
	// reaches its floor within a short run).
	Sched train.Schedule
	// Seed seeds the initialisation (by the caller), the data order and
	// all noise; validation evaluates with Seed+1, test with Seed+2.
	Seed uint64
	// BoundEvery evaluates the test NELBO every BoundEvery epochs (0: only
	// at the last epoch); the validation NELBO on its first BoundValid
	// examples (0: 1000) runs every epoch. Accuracies (encoder only) are
	// computed on the whole sets every epoch.
	BoundEvery, BoundValid int
	// Dir, if set, is the run folder: a lock, an atomic checkpoint per
	// epoch (checkpoint.bin), metrics.csv, curves.png and, at the end,
	// figure4.png. Resume continues from Dir's checkpoint.
	Dir    string
	Resume bool
	// Progress, if set, receives one line per epoch.
	Progress io.Writer
}

func (s Settings) withDefaults() Settings {
	if s.Epochs == 0 {
		s.Epochs = 30
	}
	if s.Batch == 0 {
		s.Batch = 100
	}
	if s.LabelBatch == 0 {
		s.LabelBatch = 10
	}
	if s.LR == 0 {
		s.LR = 1e-3
	}
	if s.Sched == (train.Schedule{}) {
		s.Sched = train.Schedule{Start: 1, Min: 0.1, Rate: 1e-4, Every: 1000}
	}
	if s.BoundValid == 0 {
		s.BoundValid = 1000
	}
	return s
}

// Row is one epoch's metrics. NELBO columns are estimates of a valid bound
// (see [Eval.NELBO]); NaN where not evaluated that epoch.
type Row struct {
	Epoch                                   int
	Seconds, EvalSeconds                    float64
	TrainLoss, Temp                         float64
	ValidNELBO, ValidAcc                    float64
	TestNELBO                               float64
	TestAccArgmax, TestAccSample, TestAccMj float64
}

// Header is metrics.csv's header.
var Header = []string{"epoch", "seconds", "eval_seconds", "train_loss", "temperature",
	"valid_nelbo_first", "valid_acc", "test_nelbo", "test_acc_argmax", "test_acc_sample", "test_acc_majority"}

func (r Row) fields() []string {
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', 8, 64) }
	return []string{strconv.Itoa(r.Epoch), f(r.Seconds), f(r.EvalSeconds), f(r.TrainLoss), f(r.Temp),
		f(r.ValidNELBO), f(r.ValidAcc), f(r.TestNELBO), f(r.TestAccArgmax), f(r.TestAccSample), f(r.TestAccMj)}
}

// checkpoint is what checkpoint.bin holds: the parameters and Adam's state
// (nn's format) and the history so far.
type checkpoint struct {
	Iter    int
	History []Row
	Params  []byte
}

// Check validates the data before any work: shapes, labels, and the
// labelled indices.
func (d Data) Check(k, dim int) error {
	for _, s := range []struct {
		name string
		x    nn.Mat
		y    []int
	}{{"train", d.Train, d.TrainLabels}, {"valid", d.Valid, d.ValidLabels}, {"test", d.Test, d.TestLabels}} {
		if s.x.Rows == 0 || s.x.Cols != dim {
			return fmt.Errorf("semisup: %s set is %d×%d, want N×%d with N > 0", s.name, s.x.Rows, s.x.Cols, dim)
		}
		if len(s.y) != s.x.Rows {
			return fmt.Errorf("semisup: %s set has %d images but %d labels", s.name, s.x.Rows, len(s.y))
		}
		for i, l := range s.y {
			if l < 0 || l >= k {
				return fmt.Errorf("semisup: %s label %d of example %d is outside 0..%d", s.name, l, i, k-1)
			}
		}
	}
	for _, i := range d.Labelled {
		if i < 0 || i >= d.Train.Rows {
			return fmt.Errorf("semisup: labelled index %d outside the %d training images", i, d.Train.Rows)
		}
	}
	return nil
}

// Run trains m with est on data for Settings.Epochs epochs, evaluating
// after each, and returns the history. Each step takes Batch unlabelled
// images (a fresh permutation per epoch) and LabelBatch labelled ones; the
// step's temperature follows Sched. When ctx is cancelled it stops after
// the current step and drops the epoch in progress (the run folder keeps
// the last committed epoch). The same seed gives the same run, resumed or
// not.
func Run(ctx context.Context, m *Model, est Estimator, data Data, set Settings) ([]Row, error) {
	set = set.withDefaults()
	if err := data.Check(m.S.K, m.S.D); err != nil {
		return nil, err
	}
	ps := m.Params()
	opt := nn.NewAdam(ps, float32(set.LR))
	var hist []Row
	iter := 0
	if set.Dir != "" {
		if err := os.MkdirAll(set.Dir, 0o755); err != nil {
			return nil, err
		}
		unlock, err := runfolder.Lock(set.Dir)
		if err != nil {
			return nil, err
		}
		defer unlock()
		if set.Resume {
			c, err := load(filepath.Join(set.Dir, "checkpoint.bin"), ps, opt)
			if err != nil {
				return nil, err
			}
			hist, iter = c.History, c.Iter
		}
	}
	D := m.S.D
	nl := min(set.LabelBatch, len(data.Labelled))
	x := nn.NewMat(set.Batch+nl, D)
	labels := make([]int, set.Batch+nl)
	start := len(hist)
	prog := report.NewProgress(orDiscard(set.Progress), set.Epochs, "semisup "+est.Name())
	prog.Resume(start)
	for ep := start + 1; ep <= set.Epochs; ep++ {
		t0 := time.Now()
		r := rand.New(rand.NewPCG(set.Seed, uint64(ep)))
		perm := r.Perm(data.Train.Rows)
		lab := append([]int(nil), data.Labelled...)
		r.Shuffle(len(lab), func(i, j int) { lab[i], lab[j] = lab[j], lab[i] })
		li := 0
		var loss float64
		steps := 0
		for lo := 0; lo+set.Batch <= len(perm); lo += set.Batch {
			if err := ctx.Err(); err != nil {
				return hist, err
			}
			for b := 0; b < set.Batch; b++ {
				copy(x.Row(b), data.Train.Row(perm[lo+b]))
				labels[b] = -1
			}
			for b := 0; b < nl; b++ {
				i := lab[li%len(lab)]
				li++
				copy(x.Row(set.Batch+b), data.Train.Row(i))
				labels[set.Batch+b] = data.TrainLabels[i]
			}
			nn.ZeroGrad(ps)
			l := est.Step(m, x, labels, set.Sched.At(iter), r)
			if math.IsNaN(l) || math.IsInf(l, 0) {
				return hist, fmt.Errorf("semisup: epoch %d step %d: training loss is %v (diverged); lower the learning rate", ep, steps, l)
			}
			opt.Step()
			loss += l
			steps++
			iter++
		}
		row := Row{Epoch: ep, TrainLoss: loss / float64(max(1, steps)), Temp: set.Sched.At(iter - 1)}
		row.Seconds = time.Since(t0).Seconds()
		t1 := time.Now()
		if err := evaluate(m, data, set, ep, &row); err != nil {
			return hist, err
		}
		row.EvalSeconds = time.Since(t1).Seconds()
		hist = append(hist, row)
		if set.Dir != "" {
			if err := commit(set.Dir, ps, opt, iter, hist); err != nil {
				return hist, err
			}
		}
		prog.Step(ep, fmt.Sprintf("loss %.2f  valid NELBO %.2f  test acc %.1f%%", row.TrainLoss, row.ValidNELBO, 100*row.TestAccArgmax))
	}
	if set.Dir != "" {
		// Figure 4 when the images are square (side² = D).
		if side := int(math.Sqrt(float64(D)) + 0.5); side*side == D {
			imgs := m.Generate(15, set.Seed+3)
			if err := report.ImageGrid(filepath.Join(set.Dir, "figure4.png"), imgs, 15, m.S.K, side, side, 2); err != nil {
				return hist, err
			}
		}
	}
	return hist, nil
}

// evaluate fills row's evaluation columns.
func evaluate(m *Model, data Data, set Settings, ep int, row *Row) error {
	nv := min(set.BoundValid, data.Valid.Rows)
	vb, err := m.Evaluate(data.Valid.Slice(0, nv), data.ValidLabels[:nv], set.Seed+1, 500, true)
	if err != nil {
		return err
	}
	row.ValidNELBO = vb.NELBO
	va, err := m.Evaluate(data.Valid, data.ValidLabels, set.Seed+1, 500, false)
	if err != nil {
		return err
	}
	row.ValidAcc = va.AccArgmax
	bound := ep == set.Epochs || (set.BoundEvery > 0 && ep%set.BoundEvery == 0)
	te, err := m.Evaluate(data.Test, data.TestLabels, set.Seed+2, 500, bound)
	if err != nil {
		return err
	}
	row.TestNELBO, row.TestAccArgmax, row.TestAccSample = te.NELBO, te.AccArgmax, te.AccSample
	row.TestAccMj = Accuracy(te.Assign, data.TestLabels, MajorityMap(va.Assign, data.ValidLabels, m.S.K))
	return nil
}

// commit writes the epoch's checkpoint atomically, then metrics.csv and
// curves.png from the history it holds (both are derived: a crash between
// the writes leaves them one epoch behind, and the next commit or resume
// rewrites them).
func commit(dir string, ps []nn.Param, opt *nn.Adam, iter int, hist []Row) error {
	var pb bytes.Buffer
	if err := nn.Save(&pb, append(append([]nn.Param(nil), ps...), opt.State()...)); err != nil {
		return err
	}
	var b bytes.Buffer
	if err := gob.NewEncoder(&b).Encode(checkpoint{Iter: iter, History: hist, Params: pb.Bytes()}); err != nil {
		return err
	}
	if err := runfolder.WriteFile(filepath.Join(dir, "checkpoint.bin"), b.Bytes()); err != nil {
		return err
	}
	var csv bytes.Buffer
	w := func(fs []string) {
		for i, f := range fs {
			if i > 0 {
				csv.WriteByte(',')
			}
			csv.WriteString(f)
		}
		csv.WriteByte('\n')
	}
	w(Header)
	for _, r := range hist {
		w(r.fields())
	}
	if err := runfolder.WriteFile(filepath.Join(dir, "metrics.csv"), csv.Bytes()); err != nil {
		return err
	}
	return plotCurves(filepath.Join(dir, "curves.png"), hist)
}

// load reads checkpoint.bin into ps and opt's state.
func load(path string, ps []nn.Param, opt *nn.Adam) (checkpoint, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return checkpoint{}, fmt.Errorf("semisup: -resume: no checkpoint at %s", path)
		}
		return checkpoint{}, err
	}
	var c checkpoint
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&c); err != nil {
		return c, fmt.Errorf("semisup: %s: %w: %v", path, nn.ErrCorrupt, err)
	}
	if err := nn.Load(bytes.NewReader(c.Params), append(append([]nn.Param(nil), ps...), opt.State()...)); err != nil {
		return c, fmt.Errorf("semisup: %s: %w", path, err)
	}
	return c, nil
}

// plotCurves draws test accuracy and the validation NELBO per epoch.
func plotCurves(path string, hist []Row) error {
	ep := make([]float64, len(hist))
	acc, accS, nelbo := make([]float64, len(hist)), make([]float64, len(hist)), make([]float64, len(hist))
	for i, r := range hist {
		ep[i], acc[i], accS[i], nelbo[i] = float64(r.Epoch), 100*r.TestAccArgmax, 100*r.TestAccSample, r.ValidNELBO
	}
	return report.PlotPanels(path, []report.Panel{
		{Title: "test accuracy", XLabel: "epoch", YLabel: "%", Series: []report.Series{
			{Name: "arg max h", X: ep, Y: acc}, {Name: "Gumbel sample", X: ep, Y: accS}}},
		{Title: "validation NELBO (first examples, estimate of a bound)", XLabel: "epoch", YLabel: "nats",
			Series: []report.Series{{Name: "NELBO", X: ep, Y: nelbo}}},
	}, 2, 9, 3.5)
}

func orDiscard(w io.Writer) io.Writer {
	if w == nil {
		return io.Discard
	}
	return w
}
