package experiment

import (
	"encoding/json"
	"fmt"
	"github.com/argmaxvae/argmaxvae/internal/cli"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/argmaxvae/argmaxvae/dataset"
	"github.com/argmaxvae/argmaxvae/train"
)

// Spec describes one training run; commands fill it from flags and write it
// to config.json.
type Spec struct {
	Command   string  `json:"command"`
	Data      string  `json:"data"`
	DataDir   string  `json:"data_dir,omitempty"`
	Dynamic   bool    `json:"dynamic_binarization"`
	N         int     `json:"latents"`
	K         int     `json:"states"`
	Hidden    int     `json:"hidden"`
	Structure string  `json:"structure"`       // a name of Structures(): independent, complete, grid, chain, subset, matching, tree
	Signs     string  `json:"signs,omitempty"` // complete and grid: "supermodular" (default) or "general"
	Solver    string  `json:"solver"`          // "": the structure's fastest
	Estimator string  `json:"estimator"`
	Epochs    int     `json:"epochs"`
	Batch     int     `json:"batch"`
	LR        float64 `json:"lr"`
	Seed      uint64  `json:"seed"`
	Eps0      float64 `json:"temp_start"`
	EpsMin    float64 `json:"temp_min"`
	// FloorDefault: EpsMin is TrainingFlags' default, -eps-min not given
	// (set by the flag itself, so that a grid's cells know it too).
	FloorDefault bool    `json:"-"`
	Anneal       float64 `json:"anneal_rate"`
	Every        int     `json:"anneal_every"`
	DirectKL     string  `json:"direct_kl"` // direct only: "folded" (default), "none", "analytic"
	Relaxed      bool    `json:"gsm_relaxed"`
	Lambda       float64 `json:"imle_lambda,omitempty"`      // imle, imle-sog: λ (0: 10)
	Solves       int     `json:"perturbed_solves,omitempty"` // perturbed: M (0: 10)
	Threads      int     `json:"threads"`
	Limit        int     `json:"limit"`
	Samples      int     `json:"eval_samples"`
	ExactKL      int     `json:"exact_kl_examples"`
	NLLEvery     int     `json:"nll_every"`              // structured: epochs between exact −log p(x) evaluations (0: last epoch only)
	IWSamples    int     `json:"iw_samples"`             // structured, not enumerable: importance samples per test image (0: none)
	NLLKind      string  `json:"test_nll_kind"`          // what test_nll is: "exact" or "importance-weighted (S samples)"
	SubsetK      int     `json:"subset_k,omitempty"`     // structure "subset": the k of k-of-N
	Parts        int     `json:"subset_parts,omitempty"` // structure "subset": independent k-of-N subsets (0 or 1: one)
	Out          string  `json:"out"`
	AllowSlow    bool    `json:"-"` // run even when the cost check finds an epoch or evaluation too long
}

// legacyStructures maps the structure names config.json held before the
// structure table (one vocabulary for the command line and the files) to
// today's structure and signs, so that those run folders resume.
var legacyStructures = map[string][2]string{
	"none":              {"independent", ""},
	"supermodular":      {"complete", "supermodular"},
	"general":           {"complete", "general"},
	"grid-supermodular": {"grid", "supermodular"},
	"grid-general":      {"grid", "general"},
}

// UnmarshalJSON reads a config.json, translating the structure names of
// older run folders (see legacyStructures).
func (s *Spec) UnmarshalJSON(b []byte) error {
	type plain Spec
	if err := json.Unmarshal(b, (*plain)(s)); err != nil {
		return err
	}
	if l, ok := legacyStructures[s.Structure]; ok && s.Signs == "" {
		s.Structure, s.Signs = l[0], l[1]
	}
	return nil
}

// klMode returns the spec's direct KL mode; empty means folded.
func (s *Spec) klMode() (train.KLMode, error) {
	if s.DirectKL == "" {
		return train.KLFolded, nil
	}
	m, err := train.ParseKLMode(s.DirectKL)
	if err != nil {
		return 0, fmt.Errorf("-direct-kl: %w", err)
	}
	return m, nil
}

// Estimators lists the estimator names the training commands accept,
// from the train package's registry.
var Estimators = train.EstimatorNames()

// Built is a checked spec with its structure, built once, and its
// estimator's options; [Built.Trainer] makes a trainer from them, as many
// times as asked (each with a new model and estimator).
type Built struct {
	Spec      *Spec
	Structure argmax.Structure
	estimator train.EstimatorOptions
	row       *structureRow
}

// Pairwise reports whether the structure is binary with pair weights,
// whose Gibbs KL -kl-exact enumerates.
func (b *Built) Pairwise() bool { return b.row.pairwise }

// Check resolves s's defaults in place (K when the structure fixes it,
// the fastest solver, the annealing interval, the thread count), checks
// every number and combination, naming the flag at fault, and builds the
// structure and the estimator. given, when not nil, reports which flags
// the command line set: one that does not apply to the chosen structure or
// estimator is refused rather than ignored. Errors are about the spec: the
// commands report them as usage errors.
func Check(s *Spec, given func(name string) bool) (*Built, error) {
	set := func(name string) bool { return given != nil && given(name) }
	if err := s.checkNumbers(); err != nil {
		return nil, err
	}
	if s.Eps0 < s.EpsMin { // the temperature would be the floor throughout
		if !(s.FloorDefault || given != nil) || set("eps-min") {
			return nil, fmt.Errorf("-eps0 %v below -eps-min %v: the temperature would be %v throughout; lower -eps-min", s.Eps0, s.EpsMin, s.EpsMin)
		}
		s.EpsMin = s.Eps0 // the default floor is min(0.1, -eps0), as in train.DefaultSchedule
	}
	if _, ok := dataset.Lookup(s.Data); !ok {
		return nil, fmt.Errorf("-data %q: unknown data set (known: %s)", s.Data, strings.Join(dataset.Names(), ", "))
	}
	row, err := s.resolveStructure(given)
	if err != nil {
		return nil, err
	}
	if err := s.checkMemory(row); err != nil {
		return nil, err
	}
	st, err := row.build(s)
	if err != nil {
		return nil, fmt.Errorf("-structure %s: %w", s.Structure, err)
	}
	if s.Solver == "" {
		if s.Solver, _, err = argmax.Fastest(st); err != nil { // no solver finishes at this size
			return nil, fmt.Errorf("-structure %s -n %d: %w", s.Structure, s.N, err)
		}
	} else if !slices.Contains(st.Solvers(), argmaxSolver(s.Solver)) {
		why := "use one of " + strings.Join(st.Solvers(), ", ")
		if _, _, err := argmax.Fastest(st); err != nil {
			why = err.Error()
		}
		return nil, fmt.Errorf("-solver %s does not apply to %s (%s)", s.Solver, st.Name(), why)
	}
	if s.DirectKL == "" {
		s.DirectKL = "folded"
	}
	mode, err := s.klMode()
	if err != nil {
		return nil, err
	}
	opts := train.EstimatorOptions{KL: mode, Relaxed: s.Relaxed, Lambda: s.Lambda, Solves: s.Solves}
	est, err := train.NewEstimator(s.Estimator, opts)
	if err != nil {
		return nil, fmt.Errorf("-estimator: %w", err)
	}
	needs := est.Needs()
	if err := needs.Check(s.Estimator, st); err != nil {
		return nil, fmt.Errorf("-estimator %s with %s: %w", s.Estimator, st.Name(), err)
	}
	if needs.Temperature != "ε" && (s.DirectKL != "folded" || set("direct-kl")) {
		return nil, fmt.Errorf("-direct-kl applies to the direct estimators only, not %s", s.Estimator)
	}
	for _, k := range knobs {
		if k.isSet(s) && !slices.Contains(k.readers, s.Estimator) {
			return nil, fmt.Errorf("-%s applies to -estimator %s only, not %s", k.flag, strings.Join(k.readers, " and "), s.Estimator)
		}
	}
	if needs.Temperature == "" {
		for _, f := range []string{"eps0", "eps-min", "anneal", "anneal-every"} {
			if set(f) {
				return nil, fmt.Errorf("-%s: -estimator %s has no temperature", f, s.Estimator)
			}
		}
	}
	if needs.Temperature != "" && (s.Eps0 > needs.MaxTemp || s.EpsMin > needs.MaxTemp) {
		return nil, fmt.Errorf("-eps0 %v, -eps-min %v: %s with -direct-kl %s needs %s ≤ %v (1 − ε scales the encoder's scores); use -direct-kl none or analytic for larger ε",
			s.Eps0, s.EpsMin, s.Estimator, s.DirectKL, needs.Temperature, needs.MaxTemp)
	}
	if s.Every <= 0 {
		s.Every = 500
		if needs.AnnealEvery > 0 {
			s.Every = needs.AnnealEvery
		}
	}
	if !row.pairwise && set("kl-exact") {
		return nil, fmt.Errorf("-kl-exact: the exact Gibbs KL is for -structure complete and grid, not %s", s.Structure)
	}
	if s.Threads == 0 {
		s.Threads = runtime.NumCPU()
	}
	return &Built{Spec: s, Structure: st, estimator: opts, row: row}, nil
}

// checkNumbers checks the spec's numbers, naming the flag at fault.
func (s *Spec) checkNumbers() error {
	switch {
	case s.N < 1:
		return fmt.Errorf("-n %d: want at least one latent", s.N)
	case s.Epochs < 1:
		return fmt.Errorf("-epochs %d: want ≥ 1", s.Epochs)
	case s.Limit < 0:
		return fmt.Errorf("-limit %d: want ≥ 0 (0: all training images)", s.Limit)
	case s.Samples < 0:
		return fmt.Errorf("-samples %d: want ≥ 1", s.Samples)
	case s.ExactKL < 0:
		return fmt.Errorf("-kl-exact %d: want ≥ 0", s.ExactKL)
	case s.Batch < 1:
		return fmt.Errorf("-batch %d: want ≥ 1", s.Batch)
	case !(s.LR > 0) || math.IsInf(s.LR, 0):
		return fmt.Errorf("-lr %v: want a finite number > 0", s.LR)
	case !(s.Eps0 > 0) || math.IsInf(s.Eps0, 0):
		return fmt.Errorf("-eps0 %v: want a finite temperature > 0", s.Eps0)
	case !(s.EpsMin > 0) || math.IsInf(s.EpsMin, 0):
		return fmt.Errorf("-eps-min %v: want a finite temperature floor > 0", s.EpsMin)
	case !(s.Anneal >= 0) || math.IsInf(s.Anneal, 0):
		return fmt.Errorf("-anneal %v: want a finite rate ≥ 0", s.Anneal)
	case s.Threads < 0 || s.Threads > cli.MaxThreads:
		return fmt.Errorf("-threads %d: want 0 to %d (0: all %d CPUs of this machine)", s.Threads, cli.MaxThreads, runtime.NumCPU())
	case s.NLLEvery < 0:
		return fmt.Errorf("-nll-every %d: want ≥ 0", s.NLLEvery)
	case s.Parts < 0:
		return fmt.Errorf("-subset-parts %d: want ≥ 1", s.Parts)
	case s.IWSamples < 0:
		return fmt.Errorf("-iw-samples %d: want ≥ 0", s.IWSamples)
	case !(s.Lambda >= 0) || math.IsInf(s.Lambda, 0):
		return fmt.Errorf("-lambda %v: want a finite λ > 0 (0: the default, 10)", s.Lambda)
	case s.Solves < 0 || s.Solves == 1:
		return fmt.Errorf("-solves %d: want M ≥ 2, the baseline needs two (0: the default, 10)", s.Solves)
	case s.Hidden < 1:
		return fmt.Errorf("-hidden %d: want ≥ 1", s.Hidden)
	}
	return nil
}

// VAE creates the model of a checked spec for data of d columns: encoder
// and decoder initialized from the seed, and the solver.
func (b *Built) VAE(d int) (*train.VAE, error) {
	s := b.Spec
	r := rand.New(rand.NewPCG(s.Seed, 0x1417))
	enc, dec, err := train.NewNetworks(b.Structure, d, s.Hidden, r)
	if err != nil {
		return nil, err
	}
	return train.NewVAE(enc, dec, b.Structure, argmaxSolver(s.Solver), s.Threads)
}

// Trainer creates a trainer of a checked spec for data of d columns: a
// new model ([Built.VAE]) and estimator (estimators may keep state, so
// trainers never share one) and the annealing schedule.
func (b *Built) Trainer(d int) (*train.Trainer, error) {
	s := b.Spec
	v, err := b.VAE(d)
	if err != nil {
		return nil, err
	}
	est, err := train.NewEstimator(s.Estimator, b.estimator)
	if err != nil {
		return nil, err
	}
	sched := train.Schedule{Start: s.Eps0, Min: s.EpsMin, Rate: s.Anneal, Every: s.Every}
	return train.NewTrainer(v, est, train.Options{LR: float32(s.LR), Batch: s.Batch, Schedule: sched, Seed: s.Seed})
}

// NewTrainer checks s (see [Check]; nothing counts as given) and builds
// its trainer for data of d columns.
func NewTrainer(s *Spec, d int) (*train.Trainer, error) {
	b, err := Check(s, nil)
	if err != nil {
		return nil, err
	}
	return b.Trainer(d)
}
