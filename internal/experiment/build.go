package experiment

import (
	"fmt"
	"math"
	"math/rand/v2"
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
	Structure string  `json:"structure"` // "none", "supermodular" or "general"
	Solver    string  `json:"solver"`
	Estimator string  `json:"estimator"`
	Epochs    int     `json:"epochs"`
	Batch     int     `json:"batch"`
	LR        float64 `json:"lr"`
	Seed      uint64  `json:"seed"`
	Eps0      float64 `json:"temp_start"`
	EpsMin    float64 `json:"temp_min"`
	Anneal    float64 `json:"anneal_rate"`
	Every     int     `json:"anneal_every"`
	DirectKL  string  `json:"direct_kl"` // direct only: "folded" (default), "none", "analytic"
	Relaxed   bool    `json:"gsm_relaxed"`
	Threads   int     `json:"threads"`
	Limit     int     `json:"limit"`
	Samples   int     `json:"eval_samples"`
	ExactKL   int     `json:"exact_kl_examples"`
	NLLEvery  int     `json:"nll_every"`              // structured: epochs between exact −log p(x) evaluations (0: last epoch only)
	IWSamples int     `json:"iw_samples"`             // structured, not enumerable: importance samples per test image (0: none)
	NLLKind   string  `json:"test_nll_kind"`          // what test_nll is: "exact" or "importance-weighted (S samples)"
	SubsetK   int     `json:"subset_k,omitempty"`     // structure "subset": the k of k-of-N
	Parts     int     `json:"subset_parts,omitempty"` // structure "subset": independent k-of-N subsets (0 or 1: one)
	Out       string  `json:"out"`

	klGradAlias string // the deprecated -kl-grad, resolved by Setup
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

// Estimators lists the estimator names [NewEstimator] accepts, from the
// train package's registry.
var Estimators = train.EstimatorNames()

// NewEstimator returns the spec's estimator from the registry.
func NewEstimator(s *Spec) (train.Estimator, error) {
	m, err := s.klMode()
	if err != nil {
		return nil, err
	}
	return train.NewEstimator(s.Estimator, train.EstimatorOptions{KL: m, Relaxed: s.Relaxed})
}

// maxMILPTrainN is the largest n cmd/structured trains with the MILP
// solver: at n = 15 a solve takes about 1.5 ms (an epoch about 43 s),
// at n = 31 about 1.8 s.
const maxMILPTrainN = 20

// Structures lists the values of Spec.Structure: "none" (independent
// latents), "supermodular" and "general" (complete pairwise binary, with
// nonnegative or any-sign pair weights), "chain" (a chain of K-state
// variables with transition scores), "subset" (k-of-N subsets, k =
// SubsetK), "matching" (permutations of N), "tree" (spanning trees of the
// complete graph on N nodes; one binary variable per edge),
// "grid-supermodular" and "grid-general" (pairwise binary on a 4-connected
// grid of N variables, see GridShape).
var Structures = []string{"none", "supermodular", "general", "chain", "subset", "matching", "tree", "grid-supermodular", "grid-general"}

// GridShape returns the rows × cols grid of n variables for the grid
// structures: rows the largest divisor of n at most √n (10 × 10 for
// n = 100; a 1 × n chain for a prime n).
func GridShape(n int) (rows, cols int) {
	rows = 1
	for d := 1; d*d <= n; d++ {
		if n%d == 0 {
			rows = d
		}
	}
	return rows, n / rows
}

// NewStructure returns the latent structure of the spec.
func NewStructure(s *Spec) (argmax.Structure, error) {
	switch s.Structure {
	case "none":
		return argmax.Independent(s.N, s.K), nil
	case "supermodular", "general":
		return argmax.Complete(s.N, s.Structure == "supermodular"), nil
	case "grid-supermodular", "grid-general":
		rows, cols := GridShape(s.N)
		return argmax.Graph(s.N, argmax.GridPairs(rows, cols), s.Structure == "grid-supermodular")
	case "chain":
		return argmax.NewChain(s.N, s.K)
	case "subset":
		sub, err := argmax.NewKSubset(s.N, s.SubsetK)
		if err != nil || s.Parts <= 1 {
			return sub, err
		}
		return argmax.Repeat(sub, s.Parts) // Parts latent variables, each a k-of-N subset
	case "matching":
		return argmax.NewMatching(s.N)
	case "tree":
		return argmax.NewSpanningTree(s.N, argmax.CompleteGraph(s.N))
	}
	return nil, fmt.Errorf("unknown structure %q (known: %s)", s.Structure, strings.Join(Structures, ", "))
}

// Validate checks the spec's numbers and combinations, naming the flag at
// fault.
func (s *Spec) Validate() error {
	switch {
	case s.N < 1:
		return fmt.Errorf("-n %d: want at least one latent", s.N)
	case s.K < 2:
		return fmt.Errorf("-k %d: want at least 2 states", s.K)
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
	case s.Threads < 0:
		return fmt.Errorf("-threads %d: want ≥ 0", s.Threads)
	case s.NLLEvery < 0:
		return fmt.Errorf("-nll-every %d: want ≥ 0", s.NLLEvery)
	case s.Parts < 0:
		return fmt.Errorf("-subset-parts %d: want ≥ 0", s.Parts)
	case s.IWSamples < 0:
		return fmt.Errorf("-iw-samples %d: want ≥ 0", s.IWSamples)
	case s.Hidden < 1:
		return fmt.Errorf("hidden width %d: want ≥ 1", s.Hidden)
	}
	if _, ok := dataset.Lookup(s.Data); !ok {
		return fmt.Errorf("-data %q: unknown data set (known: %s)", s.Data, strings.Join(dataset.Names(), ", "))
	}
	if (s.Structure == "supermodular" || s.Structure == "general" || strings.HasPrefix(s.Structure, "grid-")) && s.K != 2 {
		return fmt.Errorf("a pairwise encoder needs binary latents (K = 2), got -k %d", s.K)
	}
	if s.Estimator != "direct" && s.DirectKL != "" && s.DirectKL != "folded" {
		return fmt.Errorf("-direct-kl %s applies to -estimator direct only, not %s", s.DirectKL, s.Estimator)
	}
	st, err := NewStructure(s)
	if err != nil {
		return err
	}
	est, err := NewEstimator(s)
	if err != nil {
		return err
	}
	needs := est.Needs()
	if err := needs.Check(s.Estimator, st); err != nil {
		return fmt.Errorf("-estimator %s with %s: %w", s.Estimator, st.Name(), err)
	}
	if needs.Temperature != "" && (s.Eps0 > needs.MaxTemp || s.EpsMin > needs.MaxTemp) {
		return fmt.Errorf("-eps0 %v, -eps-min %v: %s with -direct-kl %s needs %s ≤ %v (1 − ε scales the encoder's scores); use -direct-kl none or analytic for larger ε",
			s.Eps0, s.EpsMin, s.Estimator, s.DirectKL, needs.Temperature, needs.MaxTemp)
	}
	if s.Solver == "milp" && s.N > maxMILPTrainN {
		return fmt.Errorf("-solver milp with -n %d: lp_solve takes seconds per solve at that size (1.8 s measured at n = 31) and training solves twice per example per step; use -solver bnb (exact, any signs) or -n ≤ %d", s.N, maxMILPTrainN)
	}
	if s.Solver != "" && !slices.Contains(st.Solvers(), s.Solver) {
		return fmt.Errorf("-solver %s does not apply to %s (use one of %s)", s.Solver, st.Name(), strings.Join(st.Solvers(), ", "))
	}
	return nil
}

// Build creates the VAE for the spec: encoder and decoder initialized from
// the seed, and the solver matching the structure.
func Build(s *Spec, d int) (*train.VAE, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	st, err := NewStructure(s)
	if err != nil {
		return nil, err
	}
	r := rand.New(rand.NewPCG(s.Seed, 0x1417))
	enc, dec, err := train.NewNetworks(st, d, s.Hidden, r)
	if err != nil {
		return nil, err
	}
	return train.NewVAE(enc, dec, st, s.Solver, s.Threads)
}

// NewTrainer builds the VAE, the estimator and the trainer of a spec.
func NewTrainer(s *Spec, d int) (*train.Trainer, error) {
	v, err := Build(s, d)
	if err != nil {
		return nil, err
	}
	est, err := NewEstimator(s)
	if err != nil {
		return nil, err
	}
	every := s.Every
	if every <= 0 {
		every = 500
	}
	sched := train.Schedule{Start: s.Eps0, Min: s.EpsMin, Rate: s.Anneal, Every: every}
	return train.NewTrainer(v, est, s.LR, s.Batch, sched, s.Seed)
}
