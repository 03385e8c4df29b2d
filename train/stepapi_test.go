package train_test

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/argmaxvae/argmaxvae/decoder"
	"github.com/argmaxvae/argmaxvae/encoder"
	"github.com/argmaxvae/argmaxvae/nn"
	"github.com/argmaxvae/argmaxvae/train"
)

// Every method of the VAE that takes data (the step API and the model
// methods) refuses bad shapes, lengths and states with an error naming
// the problem, and none panics: on a fresh VAE, and in the middle of a
// step (issue 17: nothing in the public API panics on bad input).
func TestVAEMethodsRefuseBadInput(t *testing.T) {
	ctx := context.Background()
	s, err := argmax.Complete(3, false) // 3 binary variables, 3 pairs: Dim 9
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	enc, dec, err := train.NewNetworks(s, 8, 10, r)
	if err != nil {
		t.Fatal(err)
	}
	v, err := train.NewVAE(enc, dec, s, "", 1)
	if err != nil {
		t.Fatal(err)
	}
	x := nn.NewMat(2, 8)
	wide := nn.NewMat(2, 9)
	short := nn.Mat{Rows: 2, Cols: 8, Data: make([]float32, 10)}
	good := []int{0, 1, 1, 1, 0, 0}
	type call struct {
		name, want string
		f          func() error
	}
	check := func(when string, calls []call) {
		t.Helper()
		for _, c := range calls {
			var err error
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Errorf("%s, %s: panic %v", when, c.name, p)
					}
				}()
				err = c.f()
			}()
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s, %s: error %v, want one containing %q", when, c.name, err, c.want)
			}
		}
	}
	e2 := func(_ any, err error) error { return err }
	e3 := func(_, _ any, err error) error { return err }
	fresh := []call{
		{"EncoderBackward before a step", "before any Forward", func() error { return v.EncoderBackward(x, nn.NewMat(2, 9)) }},
		{"Solve rows beyond the step", "3 rows, the step has 0", func() error { return e2(v.Solve(ctx, 3)) }},
		{"SolveAgain negative rows", "-1 rows", func() error { return e2(v.SolveAgain(ctx, -1)) }},
		{"SolveInto", "SolveInto", func() error { return v.SolveInto(ctx, make([]int, 3)) }},
	}
	check("fresh VAE", fresh)

	if _, _, err := v.SampleArgmax(ctx, x, rand.New(rand.NewPCG(3, 4))); err != nil {
		t.Fatal(err)
	}
	F := nn.NewMat(0, 0)
	nanX := nn.NewMat(2, 8)
	nanX.Data[11] = float32(math.NaN())
	mid := []call{
		{"Scores: width", "2×9 batch", func() error { return e2(v.Scores(wide)) }},
		{"Scores: short data", "10 values", func() error { return e2(v.Scores(short)) }},
		{"Scores: rows·cols overflows", "16 values", func() error {
			return e2(v.Scores(nn.Mat{Rows: 1 << 61, Cols: 8, Data: make([]float32, 16)}))
		}},
		{"Encode: rows·cols overflows", "16 values", func() error {
			return e2(v.Encode(ctx, nn.Mat{Rows: 1 << 61, Cols: 8, Data: make([]float32, 16)}))
		}},
		{"SampleArgmax: width", "width 8", func() error { return e3(v.SampleArgmax(ctx, wide, r)) }},
		{"SampleArgmax: nil generator", "nil random generator", func() error { return e3(v.SampleArgmax(ctx, x, nil)) }},
		{"Solve: rows", "3 rows, the step has 2", func() error { return e2(v.Solve(ctx, 3)) }},
		{"LocalLogLik: width", "width 8", func() error { return e2(v.LocalLogLik(wide, good)) }},
		{"LocalLogLik: short z", "5 states for 2 images", func() error { return e2(v.LocalLogLik(x, good[:5])) }},
		{"LocalLogLik: state", "state 2 of latent 1 in code 1", func() error { return e2(v.LocalLogLik(x, []int{0, 1, 1, 1, 2, 0})) }},
		{"DecodeBackward: state", "state -1", func() error { return e2(v.DecodeBackward(x, []int{0, -1, 1, 1, 0, 0}, nn.Mat{})) }},
		{"DecodeBackward: long z", "7 states", func() error { return e2(v.DecodeBackward(x, append(good, 0), nn.Mat{})) }},
		{"DecodeBackward: dcode", "dz is 2×5", func() error { return e2(v.DecodeBackward(x, good, nn.NewMat(2, 5))) }},
		{"DecodeBackward: width", "width 8", func() error { return e2(v.DecodeBackward(short, good, nn.Mat{})) }},
		{"DecodeBackwardLocal: state", "state 5", func() error { return e2(v.DecodeBackwardLocal(x, []int{5, 0, 0, 0, 0, 0})) }},
		{"DecodeBackwardCode: rows", "1 codes for 2 images", func() error { return e2(v.DecodeBackwardCode(x, nn.NewMat(1, 6), 1, nn.Mat{})) }},
		{"DecodeBackwardCode: width", "codes z is 2×4", func() error { return e2(v.DecodeBackwardCode(x, nn.NewMat(2, 4), 1, nn.Mat{})) }},
		{"DecodeBackwardCode: dcode", "dz is 2×4", func() error { return e2(v.DecodeBackwardCode(x, nn.NewMat(2, 6), 1, nn.NewMat(2, 4))) }},
		{"LogLikAll: nil F", "nil F", func() error { return v.LogLikAll(x, good, nil) }},
		{"LogLikAll: partial code", "not a whole number", func() error { return v.LogLikAll(x, good[:4], &F) }},
		{"LogLikAll: state", "state 7", func() error { return v.LogLikAll(x, []int{0, 0, 7}, &F) }},
		{"LogLikAll: width", "width 8", func() error { return v.LogLikAll(wide, good, &F) }},
		{"AddFeatures: dw width", "dw is 2×6", func() error { return v.AddFeatures(good, 1, nn.NewMat(2, 6)) }},
		{"AddFeatures: z length", "3 states for 2 rows", func() error { return v.AddFeatures(good[:3], 1, nn.NewMat(2, 9)) }},
		{"AddFeatures: state", "state 2", func() error { return v.AddFeatures([]int{0, 0, 0, 2, 0, 0}, 1, nn.NewMat(2, 9)) }},
		{"UnaryKL: scores width", "scores are 2×6", func() error { return e2(v.UnaryKL(nn.NewMat(2, 6), nn.Mat{}, 1)) }},
		{"UnaryKL: grad shape", "grad is 1×9", func() error { return e2(v.UnaryKL(nn.NewMat(2, 9), nn.NewMat(1, 9), 1)) }},
		{"EncoderBackward: dw", "dscores is 2×8", func() error { return v.EncoderBackward(x, nn.NewMat(2, 8)) }},
		{"EncoderBackward: x rows", "x is 3×8", func() error { return v.EncoderBackward(nn.NewMat(3, 8), nn.NewMat(3, 9)) }},
		{"Encode: width", "takes 8", func() error { return e2(v.Encode(ctx, wide)) }},
		{"Sample: width", "takes 8", func() error { return e2(v.Sample(ctx, wide, r)) }},
		{"Decode: state", "state 2", func() error { return e2(v.Decode([]int{0, 2, 0})) }},
		{"Decode: length", "whole number", func() error { return e2(v.Decode([]int{0, 1})) }},
		{"Generate: count", "-1", func() error { return e3(v.Generate(ctx, -1, r)) }},
		{"Generate: nil generator", "nil random generator", func() error { return e3(v.Generate(ctx, 1, nil)) }},
		{"Encode: NaN pixel", "pixel 3 of example 1 is NaN", func() error { return e2(v.Encode(ctx, nanX)) }},
		{"Sample: NaN pixel", "pixel 3 of example 1 is NaN", func() error { return e2(v.Sample(ctx, nanX, r)) }},
		{"Sample: nil generator", "nil random generator", func() error { return e2(v.Sample(ctx, x, nil)) }},
		{"Evaluate: nil generator", "nil random generator", func() error { return e2(train.Evaluate(ctx, v, x, nil, train.EvalOptions{})) }},
	}
	check("mid-step", mid)

	// The step still completes after all of those.
	if got := len(v.Weights()); got != 2 {
		t.Errorf("Weights: %d vectors, want 2", got)
	}
	dw := v.GradBuffer()
	if dw.Rows != 2 || dw.Cols != 9 {
		t.Errorf("GradBuffer %d×%d, want 2×9", dw.Rows, dw.Cols)
	}
	if _, err := v.Scores(x); err != nil {
		t.Fatal(err)
	}
	if err := v.EncoderBackward(x, dw); err != nil {
		t.Errorf("EncoderBackward after refused calls: %v", err)
	}

	// A weight vector replaced by one of another length is the solver's
	// error, not a panic; the next Scores restores the step's vectors.
	v.Weights()[1] = []float64{1}
	func() {
		defer func() {
			if p := recover(); p != nil {
				t.Errorf("Solve after a weight vector was replaced: panic %v", p)
			}
		}()
		if _, err := v.Solve(ctx, 2); err == nil || !strings.Contains(err.Error(), "len(w) = 1") {
			t.Errorf("Solve after a weight vector was replaced by one of length 1: %v", err)
		}
	}()
	if _, err := v.Scores(x); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Solve(ctx, 2); err != nil {
		t.Errorf("Solve after Scores restored the vectors: %v", err)
	}

	// NewVAE refuses networks that do not fit each other.
	enc2, err := encoder.New(7, 10, 9, nil, r)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := train.NewVAE(enc2, dec, s, "", 1); err == nil || !strings.Contains(err.Error(), "width 7") {
		t.Errorf("NewVAE with an encoder of input width 7 and a decoder of 8: %v", err)
	}
	if _, err := train.NewVAE(&encoder.Encoder{Width: 9}, &decoder.Decoder{N: 3, K: 2, D: 8}, s, "", 1); err == nil || !strings.Contains(err.Error(), "encoder.New") {
		t.Errorf("NewVAE with zero networks: %v", err)
	}
}

// A zero or nil VAE and Trainer (not made by NewVAE, ReadModel or
// NewTrainer) give an error naming the constructor from every method that
// takes data or writes, never a nil-pointer panic.
func TestZeroVAEAndTrainerAreErrors(t *testing.T) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(1, 2))
	x := nn.NewMat(2, 8)
	var buf strings.Builder
	for _, v := range []*train.VAE{nil, {}} {
		calls := map[string]func() error{
			"Encode":               func() error { _, err := v.Encode(ctx, x); return err },
			"Sample":               func() error { _, err := v.Sample(ctx, x, r); return err },
			"Decode":               func() error { _, err := v.Decode([]int{0}); return err },
			"Generate":             func() error { _, _, err := v.Generate(ctx, 1, r); return err },
			"WriteModel":           func() error { return v.WriteModel(&buf) },
			"Scores":               func() error { _, err := v.Scores(x); return err },
			"SampleArgmax":         func() error { _, _, err := v.SampleArgmax(ctx, x, r); return err },
			"Solve":                func() error { _, err := v.Solve(ctx, 0); return err },
			"SolveAgain":           func() error { _, err := v.SolveAgain(ctx, 0); return err },
			"SolveInto":            func() error { return v.SolveInto(ctx, nil) },
			"LocalLogLik":          func() error { _, err := v.LocalLogLik(x, nil); return err },
			"DecodeBackward":       func() error { _, err := v.DecodeBackward(x, nil, nn.Mat{}); return err },
			"DecodeBackwardLocal":  func() error { _, err := v.DecodeBackwardLocal(x, nil); return err },
			"DecodeBackwardCode":   func() error { _, err := v.DecodeBackwardCode(x, x, 1, nn.Mat{}); return err },
			"LogLikAll":            func() error { var F nn.Mat; return v.LogLikAll(x, nil, &F) },
			"AddFeatures":          func() error { return v.AddFeatures(nil, 1, nn.Mat{}) },
			"UnaryKL":              func() error { _, err := v.UnaryKL(nn.Mat{}, nn.Mat{}, 1); return err },
			"EncoderBackward":      func() error { return v.EncoderBackward(x, x) },
			"Evaluate":             func() error { _, err := train.Evaluate(ctx, v, x, r, train.EvalOptions{}); return err },
			"ExactLikelihood":      func() error { _, err := train.ExactLikelihood(ctx, v, x); return err },
			"ImportanceLikelihood": func() error { _, err := train.ImportanceLikelihood(ctx, v, x, 2, r); return err },
			"NewTrainer":           func() error { _, err := train.NewTrainer(v, &train.Direct{}, train.Options{}); return err },
		}
		for name, f := range calls {
			var err error
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Errorf("%s on a %#v VAE: panic %v", name, v, p)
					}
				}()
				err = f()
			}()
			if err == nil || !(strings.Contains(err.Error(), "NewVAE") || strings.Contains(err.Error(), "nil")) {
				t.Errorf("%s on a %#v VAE: %v, want an error naming NewVAE", name, v, err)
			}
		}
		if train.Enumerable(v) {
			t.Errorf("Enumerable(%#v) = true", v)
		}
		if v != nil {
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Errorf("an accessor of a zero VAE panics: %v", p)
					}
				}()
				_ = v.Params()
				_ = v.Interactions()
				_ = v.NK()
				_ = v.GradBuffer()
				_ = v.Weights()
				_ = v.ScoreGrad()
				_ = v.Solver()
				_ = v.Threads()
				_ = v.SolveTime()
			}()
		}
	}
	for _, tr := range []*train.Trainer{nil, {}} {
		calls := map[string]func() error{
			"TrainEpoch": func() error { _, err := tr.TrainEpoch(ctx, x); return err },
			"Evaluate":   func() error { _, err := tr.Evaluate(ctx, x, 1, train.EvalOptions{}); return err },
			"Save":       func() error { return tr.Save(&buf) },
			"Load":       func() error { return tr.Load(strings.NewReader("")) },
			"Fit": func() error {
				_, err := train.Fit(ctx, tr, train.Data{Train: x}, train.Settings{Epochs: 1})
				return err
			},
		}
		for name, f := range calls {
			var err error
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Errorf("%s on a %#v Trainer: panic %v", name, tr, p)
					}
				}()
				err = f()
			}()
			if err == nil || !strings.Contains(err.Error(), "NewTrainer") {
				t.Errorf("%s on a %#v Trainer: %v, want an error naming NewTrainer", name, tr, err)
			}
		}
		if tr != nil {
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Errorf("an accessor of a zero Trainer panics: %v", p)
					}
				}()
				_ = tr.Options()
				_ = tr.Epoch()
				_ = tr.Iter()
				_ = tr.Temperature()
				_ = tr.VAE()
				_ = tr.Estimator()
			}()
		}
	}
}

// Every registered estimator that draws noise refuses a nil generator in a
// Step called directly, with an error instead of a nil-pointer panic.
func TestStepRefusesANilGenerator(t *testing.T) {
	for _, info := range train.Estimators() {
		if info.Name == "exact" { // draws nothing: r is not used
			continue
		}
		est, err := train.NewEstimator(info.Name, train.EstimatorOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var s argmax.Structure
		switch nd := est.Needs(); {
		case nd.Subsets:
			s, err = argmax.NewKSubset(4, 2)
		case nd.OneLatent:
			s, err = argmax.Independent(1, 3)
		default:
			s, err = argmax.Independent(3, 2)
		}
		if err != nil {
			t.Fatal(err)
		}
		enc, dec, err := train.NewNetworks(s, 6, 8, rand.New(rand.NewPCG(1, 2)))
		if err != nil {
			t.Fatal(err)
		}
		v, err := train.NewVAE(enc, dec, s, "", 1)
		if err != nil {
			t.Fatal(err)
		}
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Errorf("%s: Step with a nil generator panics: %v", info.Name, p)
				}
			}()
			_, err := est.Step(context.Background(), v, nn.NewMat(2, 6), nil, 0.5)
			if err == nil || !strings.Contains(err.Error(), "nil random generator") {
				t.Errorf("%s: Step with a nil generator: %v", info.Name, err)
			}
		}()
	}
}

// A nil context, a nil reader or writer, and a structure that is a nil
// pointer are errors in every entry that takes them, never a nil-pointer
// panic.
func TestNilArgumentsAreErrors(t *testing.T) {
	s, err := argmax.Independent(3, 2)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	enc, dec, err := train.NewNetworks(s, 8, 10, r)
	if err != nil {
		t.Fatal(err)
	}
	v, err := train.NewVAE(enc, dec, s, "", 1)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := train.NewTrainer(v, &train.Direct{}, train.Options{Batch: 2})
	if err != nil {
		t.Fatal(err)
	}
	x := nn.NewMat(2, 8)
	var ctx context.Context // nil
	var nilSubset *argmax.KSubset
	calls := map[string]func() error{
		"Fit": func() error {
			_, err := train.Fit(ctx, tr, train.Data{Train: x}, train.Settings{Epochs: 1})
			return err
		},
		"TrainEpoch":           func() error { _, err := tr.TrainEpoch(ctx, x); return err },
		"Trainer.Evaluate":     func() error { _, err := tr.Evaluate(ctx, x, 1, train.EvalOptions{}); return err },
		"Evaluate":             func() error { _, err := train.Evaluate(ctx, v, x, r, train.EvalOptions{}); return err },
		"ExactLikelihood":      func() error { _, err := train.ExactLikelihood(ctx, v, x); return err },
		"ImportanceLikelihood": func() error { _, err := train.ImportanceLikelihood(ctx, v, x, 2, r); return err },
		"Encode":               func() error { _, err := v.Encode(ctx, x); return err },
		"Sample":               func() error { _, err := v.Sample(ctx, x, r); return err },
		"Generate":             func() error { _, _, err := v.Generate(ctx, 2, r); return err },
		"SampleArgmax":         func() error { _, _, err := v.SampleArgmax(ctx, x, r); return err },
		"Solve":                func() error { _, err := v.Solve(ctx, 0); return err },
		"Direct.Step":          func() error { _, err := (&train.Direct{}).Step(ctx, v, x, r, 0.5); return err },
		"ReadModel":            func() error { _, err := train.ReadModel(nil, train.ModelOptions{}); return err },
		"WriteModel":           func() error { return v.WriteModel(nil) },
		"Trainer.Save":         func() error { return tr.Save(nil) },
		"Trainer.Load":         func() error { return tr.Load(nil) },
		"NewVAE":               func() error { _, err := train.NewVAE(enc, dec, nilSubset, "", 1); return err },
		"NewNetworks":          func() error { _, _, err := train.NewNetworks(nilSubset, 8, 10, r); return err },
	}
	for name, f := range calls {
		var err error
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Errorf("%s: panic %v", name, p)
				}
			}()
			err = f()
		}()
		if err == nil || !strings.Contains(err.Error(), "nil") {
			t.Errorf("%s with a nil argument: %v, want an error naming it", name, err)
		}
	}
}
