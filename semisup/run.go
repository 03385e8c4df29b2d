package semisup

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"time"

	"github.com/argmaxvae/argmaxvae/internal/driver"
	"github.com/argmaxvae/argmaxvae/nn"
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
	// Dir, if set, is the run folder, kept by the same driver as
	// train.Fit's: a lock and an atomic checkpoint per epoch
	// (checkpoint.bin). Resume continues from Dir's checkpoint up to
	// Epochs; a new run is refused in a folder that holds one. Files of
	// the caller's (metrics, plots) are written by its [Recorder]s.
	Dir    string
	Resume bool
	// Config, if set, describes the run: written to Dir/config.json once
	// the folder is locked and every check has passed; a resume is refused
	// when the folder's config.json differs from it in a field not named
	// in ConfigFree, naming the fields.
	Config     any
	ConfigFree []string
	// Log receives the driver's notes; nil means os.Stderr.
	Log io.Writer
}

// Recorder receives a run's progress from [Run]: Start once with the
// epochs a resumed run already has (empty for a new run), then Record
// after every epoch once it is committed to the checkpoint. The command's
// metrics.csv, plots and progress lines are recorders.
type Recorder interface {
	Start(history []Row) error
	Record(r Row) error
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
// after each, and returns the history, through the driver train.Fit uses
// (internal/driver): the run folder, resume and interruption are one
// implementation. Each step takes Batch unlabelled images (a
// fresh permutation per epoch) and LabelBatch labelled ones; the step's
// temperature follows Sched. When ctx is cancelled it stops after the
// current step, drops the epoch in progress and returns the epochs done
// with ctx's error. A non-finite loss stops it with an error. The same
// seed gives the same run, resumed or not. recs are told every epoch.
func Run(ctx context.Context, m *Model, est Estimator, data Data, set Settings, recs ...Recorder) ([]Row, error) {
	set = set.withDefaults()
	if err := data.Check(m.S.K, m.S.D); err != nil {
		return nil, err
	}
	if set.Epochs < 0 {
		return nil, fmt.Errorf("semisup: %d epochs", set.Epochs)
	}
	rm, err := newRunModel(m, est, data, set)
	if err != nil {
		return nil, err
	}
	drecs := make([]driver.Recorder[Row], len(recs))
	for i, r := range recs {
		drecs[i] = r
	}
	res, err := driver.Run(ctx, rm, driver.Settings[Row]{Epochs: set.Epochs, Dir: set.Dir, Resume: set.Resume,
		Config: set.Config, Free: set.ConfigFree, Log: set.Log}, drecs...)
	return res.History, err
}

// runModel is the semi-supervised model as the driver sees it.
type runModel struct {
	m      *Model
	est    Estimator
	data   Data
	set    Settings
	ps     []nn.Param
	opt    *nn.Adam
	epoch  int // epochs done
	iter   int // steps done
	x      nn.Mat
	labels []int
	nl     int // labelled examples per step
}

func newRunModel(m *Model, est Estimator, data Data, set Settings) (*runModel, error) {
	ps := m.Params()
	nl := min(set.LabelBatch, len(data.Labelled))
	opt, err := nn.NewAdam(ps, float32(set.LR))
	if err != nil {
		return nil, fmt.Errorf("semisup: %w", err)
	}
	return &runModel{m: m, est: est, data: data, set: set, ps: ps, opt: opt,
		x: nn.NewMat(set.Batch+nl, m.S.D), labels: make([]int, set.Batch+nl), nl: nl}, nil
}

func (r *runModel) Epoch() int { return r.epoch }

// TrainEpoch trains epoch r.epoch+1: its order of examples comes from a
// generator seeded by (Seed, epoch), so it does not depend on the epochs
// before.
func (r *runModel) TrainEpoch(ctx context.Context, _ []Row) (Row, error) {
	set, data, x, labels := r.set, r.data, r.x, r.labels
	ep := r.epoch + 1
	t0 := time.Now()
	rng := rand.New(rand.NewPCG(set.Seed, uint64(ep)))
	perm := rng.Perm(data.Train.Rows)
	lab := append([]int(nil), data.Labelled...)
	rng.Shuffle(len(lab), func(i, j int) { lab[i], lab[j] = lab[j], lab[i] })
	li := 0
	var loss float64
	steps := 0
	for lo := 0; lo+set.Batch <= len(perm); lo += set.Batch {
		if err := ctx.Err(); err != nil {
			return Row{}, err
		}
		for b := 0; b < set.Batch; b++ {
			copy(x.Row(b), data.Train.Row(perm[lo+b]))
			labels[b] = -1
		}
		for b := 0; b < r.nl; b++ {
			i := lab[li%len(lab)]
			li++
			copy(x.Row(set.Batch+b), data.Train.Row(i))
			labels[set.Batch+b] = data.TrainLabels[i]
		}
		nn.ZeroGrad(r.ps)
		l := r.est.Step(r.m, x, labels, set.Sched.At(r.iter), rng)
		if math.IsNaN(l) || math.IsInf(l, 0) {
			return Row{}, fmt.Errorf("semisup: epoch %d step %d: training loss is %v (diverged); lower the learning rate", ep, steps, l)
		}
		r.opt.Step()
		loss += l
		steps++
		r.iter++
	}
	r.epoch = ep
	return Row{Epoch: ep, TrainLoss: loss / float64(max(1, steps)), Temp: set.Sched.At(r.iter - 1), Seconds: time.Since(t0).Seconds()}, nil
}

func (r *runModel) Evaluate(ctx context.Context, row *Row) error {
	t0 := time.Now()
	if err := evaluate(ctx, r.m, r.data, r.set, row.Epoch, row); err != nil {
		return err
	}
	row.EvalSeconds = time.Since(t0).Seconds()
	return nil
}

// MarshalBinary saves the parameters, Adam's state and the counters
// (nn's checkpoint format).
func (r *runModel) MarshalBinary() ([]byte, error) {
	var b bytes.Buffer
	err := nn.Save(&b, append(append([]nn.Param(nil), r.ps...), r.opt.State()...),
		map[string][]float32{"semisup.epoch": splitInt(r.epoch), "semisup.iter": splitInt(r.iter)})
	return b.Bytes(), err
}

func (r *runModel) UnmarshalBinary(b []byte) error {
	extra := map[string][]float32{"semisup.epoch": nil, "semisup.iter": nil}
	if err := nn.Load(bytes.NewReader(b), append(append([]nn.Param(nil), r.ps...), r.opt.State()...), extra); err != nil {
		return err
	}
	if len(extra["semisup.epoch"]) != 2 || len(extra["semisup.iter"]) != 2 {
		return fmt.Errorf("semisup: state counters have the wrong length")
	}
	r.epoch, r.iter = joinInt(extra["semisup.epoch"]), joinInt(extra["semisup.iter"])
	return nil
}

// splitInt stores a non-negative int below 2⁴⁸ exactly as two float32s.
func splitInt(v int) []float32 { return []float32{float32(v >> 24), float32(v & 0xffffff)} }

func joinInt(f []float32) int { return int(f[0])<<24 | int(f[1]) }

// evaluate fills row's evaluation columns.
func evaluate(ctx context.Context, m *Model, data Data, set Settings, ep int, row *Row) error {
	nv := min(set.BoundValid, data.Valid.Rows)
	vb, err := m.Evaluate(ctx, data.Valid.Slice(0, nv), data.ValidLabels[:nv], set.Seed+1, 500, true)
	if err != nil {
		return err
	}
	row.ValidNELBO = vb.NELBO
	va, err := m.Evaluate(ctx, data.Valid, data.ValidLabels, set.Seed+1, 500, false)
	if err != nil {
		return err
	}
	row.ValidAcc = va.AccArgmax
	bound := ep == set.Epochs || (set.BoundEvery > 0 && ep%set.BoundEvery == 0)
	te, err := m.Evaluate(ctx, data.Test, data.TestLabels, set.Seed+2, 500, bound)
	if err != nil {
		return err
	}
	row.TestNELBO, row.TestAccArgmax, row.TestAccSample = te.NELBO, te.AccArgmax, te.AccSample
	row.TestAccMj = Accuracy(te.Assign, data.TestLabels, MajorityMap(va.Assign, data.ValidLabels, m.S.K))
	return nil
}
