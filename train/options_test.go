package train

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/argmaxvae/argmaxvae/nn"
)

// The zero Options train: the learning rate, batch size and the schedule
// of the estimator's temperature take their defaults (before, Schedule{}
// gave ε = 0 and failed at "epoch 1 step 0").
func TestNewTrainerZeroOptionsTrain(t *testing.T) {
	for _, est := range []Estimator{&Direct{}, &GumbelSoftmax{}, &Perturbed{M: 2}, &ARM{}} {
		v := tinyVAE(t, 3, 12, 4, 2, false, false, "")
		tr, err := NewTrainer(v, est, Options{})
		if err != nil {
			t.Fatalf("%s: %v", est.Name(), err)
		}
		if o := tr.Options(); o != (Options{LR: 1e-3, Batch: 100, Schedule: DefaultSchedule(est.Needs())}) || tr.VAE() != v || tr.Estimator() != est {
			t.Errorf("%s: options in effect %+v: not the defaults", est.Name(), o)
		}
		if est.Needs().Temperature != "" && !(tr.Temperature() > 0) {
			t.Errorf("%s: default temperature %v", est.Name(), tr.Temperature())
		}
		if _, err := tr.TrainEpoch(context.Background(), randomImages(4, 150, 12)); err != nil {
			t.Errorf("%s: %v", est.Name(), err)
		}
	}
}

// Everything a first step would trip on is refused by NewTrainer or, for
// the data, by TrainEpoch before the first step, with a message naming it;
// nothing panics.
func TestTrainerRefusesBadSettingsBeforeTheFirstStep(t *testing.T) {
	pairwise := tinyVAE(t, 3, 12, 4, 2, true, true, "")
	indep := tinyVAE(t, 3, 12, 4, 2, false, false, "")
	for _, c := range []struct {
		v    *VAE
		est  Estimator
		opt  Options
		want string
	}{
		{pairwise, &GumbelSoftmax{}, Options{}, "independent latents"},
		{indep, &Exact{}, Options{}, "one categorical latent"},
		{indep, &Direct{}, Options{LR: float32(math.NaN())}, "learning rate"},
		{indep, &Direct{}, Options{LR: -1}, "learning rate"},
		{indep, &Direct{}, Options{Batch: -3}, "batch size"},
		{indep, &Direct{}, Options{Schedule: Schedule{Start: 2, Min: 0.1, Rate: 1e-3}}, "≤ 1"},
		{indep, &Direct{}, Options{Schedule: Schedule{Start: 1, Rate: 1e-3}}, "floor 0"},
		{indep, &Direct{}, Options{Schedule: Schedule{Start: math.Inf(1), Min: 0.1}}, "start temperature"},
		{indep, &GumbelSoftmax{}, Options{Schedule: Schedule{Start: 1, Min: 0.5, Rate: -1}}, "rate -1"},
		{indep, nil, Options{}, "nil"},
		{nil, &Direct{}, Options{}, "nil"},
	} {
		_, err := NewTrainer(c.v, c.est, c.opt)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want one mentioning %q", c.opt, err, c.want)
		}
	}
	tr, err := NewTrainer(indep, &Direct{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, X := range []nn.Mat{randomImages(1, 10, 11), nn.NewMat(0, 12), {Rows: 2, Cols: 12, Data: make([]float32, 24)}} {
		if X.Rows == 2 {
			X.Data[5] = float32(math.NaN())
		}
		if _, err := tr.TrainEpoch(context.Background(), X); err == nil || tr.iter != 0 {
			t.Errorf("%d×%d data: error %v after %d steps, want an error before the first", X.Rows, X.Cols, err, tr.iter)
		}
	}
}

// noBackward trains the decoder but never calls EncoderBackward: the
// trainer refuses its step instead of silently training half a model.
type noBackward struct{}

func (noBackward) Name() string { return "no-backward" }
func (noBackward) Needs() Needs { return Needs{} }
func (noBackward) Step(ctx context.Context, v *VAE, x nn.Mat, r *rand.Rand, temp float64) (Stats, error) {
	_, z, err := v.SampleArgmax(ctx, x, r)
	if err != nil {
		return Stats{}, err
	}
	f := must(v.DecodeBackward(x, z, nn.Mat{}))
	return MeanStats(f, make([]float64, x.Rows)), nil
}

func TestTrainerRefusesAStepWithoutEncoderBackward(t *testing.T) {
	tr, err := NewTrainer(tinyVAE(t, 3, 12, 4, 2, false, false, ""), noBackward{}, Options{Batch: 10})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.TrainEpoch(context.Background(), randomImages(1, 20, 12)); err == nil || !strings.Contains(err.Error(), "EncoderBackward") {
		t.Errorf("error %v, want one naming EncoderBackward", err)
	}
}

// A registration without a constructor or a name, or of a name already
// registered, is refused, and the registry keeps no trace of it.
func TestRegisterEstimatorRefusesNil(t *testing.T) {
	before := len(Estimators())
	if err := RegisterEstimator(EstimatorInfo{Name: "broken"}); err == nil || !strings.Contains(err.Error(), "nil constructor") {
		t.Errorf("nil New: error %v", err)
	}
	if err := RegisterEstimator(EstimatorInfo{New: func(EstimatorOptions) Estimator { return &Direct{} }}); err == nil {
		t.Errorf("empty name accepted")
	}
	if err := RegisterEstimator(EstimatorInfo{Name: "direct", New: func(EstimatorOptions) Estimator { return &ARM{} }}); err == nil || !strings.Contains(err.Error(), "already registered") {
		t.Errorf("a second \"direct\": error %v", err)
	}
	if est, err := NewEstimator("direct", EstimatorOptions{}); err != nil || est.Name() != "direct" {
		t.Errorf("after a refused repeat, \"direct\" builds %v (%v)", est, err)
	}
	if len(Estimators()) != before {
		t.Errorf("a refused registration was kept")
	}
}

// The zero values of the estimator structs are the registered defaults.
func TestEstimatorZeroValuesAreTheDefaults(t *testing.T) {
	for _, e := range Estimators() {
		got := e.New(EstimatorOptions{})
		if got.Name() != e.Name {
			t.Errorf("registry %q builds %q with the default options", e.Name, got.Name())
		}
	}
	if (&GumbelSoftmax{}).Name() != "gsm" || (&IMLE{}).Name() != "imle" || (&Direct{}).KL != KLFolded {
		t.Errorf("zero values: gsm %q, imle %q, direct KL %v", (&GumbelSoftmax{}).Name(), (&IMLE{}).Name(), (&Direct{}).KL)
	}
}

// An estimator's own settings are checked by NewTrainer, before the first
// step, with a message naming the setting; Step refuses them too, for
// callers that drive it themselves. Nothing is silently replaced by a
// default except the documented zero values.
func TestTrainerRefusesBadEstimatorSettings(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		est  Estimator
		want string
	}{
		{&Direct{KL: KLMode(7)}, "KLMode(7)"},
		{&DirectExact{KL: -1}, "KLMode(-1)"},
		{&Perturbed{M: 1}, "M ≥ 2"},
		{&Perturbed{M: -4}, "M ≥ 2"},
		{&IMLE{Lambda: -1}, "λ"},
		{&IMLE{Lambda: nan}, "λ"},
		{&IMLE{Lambda: math.Inf(1)}, "λ"},
		{&Rebar{Eta: nan}, "η"},
		{&Rebar{Lambda: -0.5}, "λ"},
		{&Relax{Lambda: math.Inf(1)}, "λ"},
		{&Relax{Hidden: -1}, "Hidden"},
		{&Relax{LR: -1e-3}, "learning rate"},
		{&Relax{LR: 1e-50}, "finite in float32"}, // 0 in float32: Adam would refuse it at the first step
		{&Relax{LR: 1e300}, "finite in float32"},
		{&Reinforce{BaselineRate: 1.5}, "baseline rate"},
		{&Reinforce{BaselineRate: -0.1}, "baseline rate"},
	} {
		v := tinyVAE(t, 3, 12, 2, 2, false, false, "")
		_, err := NewTrainer(v, c.est, Options{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %+v: NewTrainer error %v, want one naming %q", c.est.Name(), c.est, err, c.want)
		}
		_, err = c.est.Step(context.Background(), v, randomImages(1, 4, 12), rand.New(rand.NewPCG(1, 1)), 0.5)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %+v: Step error %v, want one naming %q", c.est.Name(), c.est, err, c.want)
		}
	}
	// The documented zero values and edge values are accepted.
	for _, est := range []Estimator{&Direct{KL: KLAnalytic}, &Perturbed{M: 2}, &IMLE{Lambda: 0.1}, &Rebar{Eta: -1}, &Relax{Hidden: 4, LR: 1e-2}, &Reinforce{BaselineRate: 1}} {
		if _, err := NewTrainer(tinyVAE(t, 3, 12, 2, 2, false, false, ""), est, Options{}); err != nil {
			t.Errorf("%s %+v: %v", est.Name(), est, err)
		}
	}
}

// tempOnly declares a temperature and nothing else: the zero MaxTemp means
// no limit.
type tempOnly struct{ Direct }

func (tempOnly) Needs() Needs { return Needs{Temperature: "ε"} }

// An estimator of one's own that declares a temperature without MaxTemp
// or AnnealEvery gets a working default schedule (it used to start at
// min(1, 0) = 0, which NewTrainer refused), and a MaxTemp below the usual
// floor lowers the floor with the start.
func TestDefaultScheduleOfZeroNeeds(t *testing.T) {
	v := tinyVAE(t, 3, 12, 2, 2, false, false, "")
	tr, err := NewTrainer(v, &tempOnly{}, Options{})
	if err != nil {
		t.Fatalf("NewTrainer with Needs{Temperature: \"ε\"}: %v", err)
	}
	if got := tr.Temperature(); got != 1 {
		t.Errorf("starting temperature %v, want 1", got)
	}
	s := DefaultSchedule(Needs{Temperature: "ε", MaxTemp: 0.05})
	if s.Start != 0.05 || s.Min != 0.05 {
		t.Errorf("DefaultSchedule with MaxTemp 0.05 = %+v, want start and floor 0.05", s)
	}
	if err := s.Check(Needs{Temperature: "ε", MaxTemp: 0.05}); err != nil {
		t.Errorf("DefaultSchedule with MaxTemp 0.05 fails its own check: %v", err)
	}
}

// NewEstimator refuses options its estimator would refuse at NewTrainer,
// so a command or a user learns at construction, and a registered New
// that returns nil.
func TestNewEstimatorChecksOptions(t *testing.T) {
	for _, c := range []struct {
		name string
		opt  EstimatorOptions
		want string
	}{
		{"direct", EstimatorOptions{KL: KLMode(99)}, "KL"},
		{"imle", EstimatorOptions{Lambda: -1}, "λ"},
		{"perturbed", EstimatorOptions{Solves: 1}, "M ≥ 2"},
		{"nonesuch", EstimatorOptions{}, "unknown estimator"},
	} {
		if est, err := NewEstimator(c.name, c.opt); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("NewEstimator(%q, %+v) = %v, %v; want an error naming %q", c.name, c.opt, est, err, c.want)
		}
	}
	if err := RegisterEstimator(EstimatorInfo{Name: "test-nil-new", New: func(EstimatorOptions) Estimator { return nil }}); err != nil {
		t.Fatal(err)
	}
	defer func() { // other tests walk the registry
		estMu.Lock()
		defer estMu.Unlock()
		estOrder = slices.DeleteFunc(estOrder, func(e EstimatorInfo) bool { return e.Name == "test-nil-new" })
	}()
	if _, err := NewEstimator("test-nil-new", EstimatorOptions{}); err == nil || !strings.Contains(err.Error(), "returned nil") {
		t.Errorf("NewEstimator of a New returning nil: %v", err)
	}
}
