package experiment

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/argmaxvae/argmaxvae/report"
)

func validSpec() Spec {
	return Spec{Data: "mnist", N: 1, K: 10, Hidden: 8, Structure: "independent", Solver: "categorical", Estimator: "direct",
		Epochs: 1, Batch: 10, LR: 1e-3, Eps0: 1, EpsMin: 0.1, Anneal: 1e-5}
}

func TestCheckNamesTheFlag(t *testing.T) {
	cases := []struct {
		edit func(*Spec)
		want string
	}{
		{func(s *Spec) { s.N = 0 }, "-n 0"},
		{func(s *Spec) { s.K = 1 }, "-k 1"},
		{func(s *Spec) { s.Batch = 0 }, "-batch 0"},
		{func(s *Spec) { s.LR = 0 }, "-lr 0"},
		{func(s *Spec) { s.Epochs = -1 }, "-epochs -1"},
		{func(s *Spec) { s.Threads = -2 }, "-threads -2"},
		{func(s *Spec) { s.Threads = 1000 }, "-threads 1000"},
		{func(s *Spec) { s.EpsMin = 0 }, "-eps-min 0"},
		{func(s *Spec) { s.Eps0 = math.Inf(1) }, "-eps0 +Inf"},
		{func(s *Spec) { s.Anneal = math.NaN() }, "-anneal NaN"},
		{func(s *Spec) { s.Epochs = 0 }, "-epochs 0"},
		{func(s *Spec) { s.Limit = -1 }, "-limit -1"},
		{func(s *Spec) { s.Samples = -5 }, "-samples -5"},
		{func(s *Spec) { s.ExactKL = -1 }, "-kl-exact -1"},
		{func(s *Spec) { s.Data = "cifar" }, "-data \"cifar\""},
		{func(s *Spec) { s.Estimator = "foo" }, "unknown estimator"},
		{func(s *Spec) { s.Structure = "none" }, "-structure \"none\""},
		{func(s *Spec) { s.N, s.Structure, s.Signs, s.Solver = 31, "complete", "general", "exhaustive" }, "-solver exhaustive does not apply"},
		{func(s *Spec) { s.N, s.Structure, s.Signs, s.Solver = 65, "complete", "general", "bnb" }, "-solver bnb does not apply"},
		{func(s *Spec) { s.Structure, s.Signs = "complete", "positive" }, "-signs"},
		{func(s *Spec) { s.Estimator = "exact"; s.N = 3 }, "one categorical latent"},
		{func(s *Spec) { s.N, s.Structure, s.Estimator, s.Solver = 3, "complete", "gsm", "" }, "independent latents"},
		{func(s *Spec) { s.N, s.Structure, s.Signs, s.Solver = 3, "complete", "general", "maxflow" }, "-solver maxflow does not apply"},
		{func(s *Spec) { s.Estimator = "arm" }, "binary latents"},
		{func(s *Spec) { s.Eps0 = 1.5 }, "needs ε ≤ 1"},
		{func(s *Spec) { s.Eps0 = 0.05 }, "-eps0 0.05 below -eps-min 0.1"},
		{func(s *Spec) { s.DirectKL = "gibbs" }, "-direct-kl"},
		{func(s *Spec) { s.Estimator = "gsm"; s.DirectKL = "none" }, "-direct-kl applies to the direct estimators"},
		{func(s *Spec) { s.Estimator = "exact"; s.Relaxed = true }, "-relaxed"},
		{func(s *Spec) { s.Estimator = "imle"; s.Lambda = -1 }, "-lambda -1"},
		{func(s *Spec) { s.Estimator = "imle"; s.Lambda = math.NaN() }, "-lambda NaN"},
		{func(s *Spec) { s.Lambda = 3 }, "-lambda applies to -estimator imle and imle-sog only, not direct"},
		{func(s *Spec) { s.Estimator = "perturbed"; s.Solves = 1 }, "-solves 1"},
		{func(s *Spec) { s.Estimator = "imle"; s.Solves = 20 }, "-solves applies to -estimator perturbed only, not imle"},
		{func(s *Spec) { s.NLLEvery = -1 }, "-nll-every -1"},
		{func(s *Spec) { s.IWSamples = -1 }, "-iw-samples -1"},
		{func(s *Spec) { s.N, s.Structure, s.Solver = 6, "subset", "" }, "-subset-k 0"},
		{func(s *Spec) { s.N, s.Structure, s.Solver, s.SubsetK = 6, "subset", "", 6 }, "-subset-k 6"},
		{func(s *Spec) { s.Structure, s.SubsetK = "chain", 2 }, "-subset-k and -subset-parts apply to -structure subset only"},
		{func(s *Spec) { s.N, s.Structure, s.Solver = 1, "matching", "" }, "-n 1"},
		// Issue 18 item 3: -k 100000 of one latent would allocate K×K floats.
		{func(s *Spec) { s.K = 100000 }, "-k (one latent"},
		{func(s *Spec) { s.Hidden = 1 << 22 }, "-hidden"},
	}
	for _, c := range cases {
		s := validSpec()
		c.edit(&s)
		_, err := Check(&s, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: err = %v, want mention of %q", s, err, c.want)
		}
	}
	s := validSpec()
	if _, err := Check(&s, nil); err != nil {
		t.Errorf("valid spec rejected: %v", err)
	}
	s.DirectKL, s.Eps0 = "none", 1.5
	if _, err := Check(&s, nil); err != nil {
		t.Errorf("ε = 1.5 with the reference form rejected: %v", err)
	}
}

// A flag the chosen structure or estimator does not read is refused when
// the command line gave it, and only then.
func TestCheckRefusesFlagsThatDoNotApply(t *testing.T) {
	for _, c := range []struct {
		structure, estimator string
		given                string
	}{
		{"complete", "direct", "k"},
		{"matching", "direct", "k"},
		{"independent", "direct", "signs"},
		{"chain", "direct", "subset-parts"},
		{"chain", "direct", "kl-exact"},
		{"independent", "arm", "eps0"},
		{"independent", "arm", "anneal-every"},
		{"independent", "gsm", "direct-kl"},
	} {
		s := validSpec()
		s.N, s.K, s.Structure, s.Estimator, s.Solver = 4, 2, c.structure, c.estimator, ""
		if _, err := Check(&s, nil); err != nil {
			t.Fatalf("%+v without flags: %v", c, err)
		}
		s = validSpec()
		s.N, s.K, s.Structure, s.Estimator, s.Solver = 4, 2, c.structure, c.estimator, ""
		if _, err := Check(&s, func(f string) bool { return f == c.given }); err == nil || !strings.Contains(err.Error(), "-"+c.given) {
			t.Errorf("%+v: err = %v, want a refusal naming -%s", c, err, c.given)
		}
	}
}

// Every structure of the table builds at a small size with the solver it
// resolves, and the binary ones fix K = 2 (matching: K = N).
func TestStructureTable(t *testing.T) {
	for _, name := range Structures() {
		s := validSpec()
		s.Structure, s.N, s.K, s.Solver = name, 4, 3, ""
		if name == "subset" {
			s.SubsetK = 2
		}
		b, err := Check(&s, nil)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		want := map[string]int{"independent": 3, "chain": 3, "matching": 4}[name]
		if want == 0 {
			want = 2
		}
		if s.K != want || b.Structure.States() != want || s.Solver == "" {
			t.Errorf("%s: K %d (structure %d), solver %q; want K %d", name, s.K, b.Structure.States(), s.Solver, want)
		}
	}
}

// The grids' estimator names are parsed in one place: direct-none and
// direct-analytic set the KL mode, direct-exact is an estimator of its own.
func TestGridEstimators(t *testing.T) {
	for name, want := range map[string][2]string{
		"direct": {"direct", "folded"}, "direct-none": {"direct", "none"}, "direct-analytic": {"direct", "analytic"},
		"direct-exact": {"direct-exact", "folded"}, "gsm": {"gsm", "folded"}, "exact": {"exact", "folded"},
	} {
		est, kl, err := ParseGridEstimator(name)
		if err != nil || est != want[0] || kl != want[1] {
			t.Errorf("%s: %s, %s, %v; want %v", name, est, kl, err, want)
		}
		s := validSpec()
		s.SetGridEstimator(name)
		if GridEstimatorName(&s) != name {
			t.Errorf("%s: name back %q", name, GridEstimatorName(&s))
		}
	}
	for _, bad := range []string{"direct-exact-none", "direct-folded2", "nvil", ""} {
		if _, _, err := ParseGridEstimator(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	// direct-exact on one categorical latent: accepted (table1 used to make
	// it a KL mode "exact" and refuse it).
	s := validSpec()
	s.SetGridEstimator("direct-exact")
	if _, err := Check(&s, nil); err != nil {
		t.Errorf("direct-exact: %v", err)
	}
}

// A config.json written before the structure table (structure
// "supermodular", "none", "grid-general") reads as today's structure and
// signs, so the folder resumes.
func TestLegacyConfigResumes(t *testing.T) {
	for old, want := range map[string][2]string{
		"none": {"independent", ""}, "supermodular": {"complete", "supermodular"}, "general": {"complete", "general"},
		"grid-general": {"grid", "general"}, "chain": {"chain", ""},
	} {
		var s Spec
		if err := json.Unmarshal([]byte(`{"structure": "`+old+`", "latents": 15}`), &s); err != nil {
			t.Fatal(err)
		}
		if s.Structure != want[0] || s.Signs != want[1] || s.N != 15 {
			t.Errorf("%s: read as %q, %q", old, s.Structure, s.Signs)
		}
	}
	s := validSpec()
	s.Out = t.TempDir()
	old := strings.Replace(`{"command":"categorical","data":"mnist","dynamic_binarization":false,"latents":1,"states":10,"hidden":8,"structure":"none","solver":"categorical","estimator":"direct","epochs":1,"batch":10,"lr":0.001,"seed":0,"temp_start":1,"temp_min":0.1,"anneal_rate":0.00001,"anneal_every":0,"direct_kl":"","gsm_relaxed":false,"threads":2,"limit":0,"eval_samples":0,"exact_kl_examples":0,"nll_every":0,"iw_samples":0,"test_nll_kind":"","out":"X"}`, "X", s.Out, 1)
	if err := os.WriteFile(filepath.Join(s.Out, ConfigFile), []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Finished(&s); err != nil {
		t.Errorf("old config.json of the same run refused: %v", err)
	}
}

// A folder holding a run of another spec is refused by name, never
// reused or resumed; the same spec with more epochs is not refused.
func TestFinishedRefusesADifferentSpec(t *testing.T) {
	s := validSpec()
	s.Out = t.TempDir()
	if err := report.WriteJSON(filepath.Join(s.Out, ConfigFile), configJSON(&s)); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := Finished(&s); ok || err != nil {
		t.Errorf("same spec, no summary: ok %v, err %v", ok, err)
	}
	longer := s
	longer.Epochs, longer.Threads = 5, 2
	if _, _, err := Finished(&longer); err != nil {
		t.Errorf("same spec with more epochs refused: %v", err)
	}
	for _, edit := range []func(*Spec) string{
		func(x *Spec) string { x.Seed = 7; return "seed" },
		func(x *Spec) string { x.DirectKL = "none"; return "direct_kl" },
		func(x *Spec) string { x.Estimator = "gsm"; return "estimator" },
		func(x *Spec) string { x.Limit = 10; return "limit" },
	} {
		other := s
		field := edit(&other)
		if _, _, err := Finished(&other); err == nil || !strings.Contains(err.Error(), field) {
			t.Errorf("changed %s: err = %v", field, err)
		}
	}
}

// -lambda and -solves reach the estimators that read them, and a grid
// sets each only on those cells.
func TestEstimatorKnobsReachTheEstimator(t *testing.T) {
	for _, c := range []struct {
		est  string
		edit func(*Spec)
		want string
	}{
		{"imle", func(s *Spec) { s.Lambda = 3 }, "&{Lambda:3 SumOfGamma:false"},
		{"imle", func(*Spec) {}, "&{Lambda:0 SumOfGamma:false"},
		{"perturbed", func(s *Spec) { s.Solves = 25 }, "&{M:25 "},
	} {
		s := validSpec()
		s.Estimator = c.est
		c.edit(&s)
		b, err := Check(&s, nil)
		if err != nil {
			t.Fatalf("%s: %v", c.est, err)
		}
		tr, err := b.Trainer(784)
		if err != nil {
			t.Fatalf("%s: %v", c.est, err)
		}
		if got := fmt.Sprintf("%+v", tr.Estimator()); !strings.HasPrefix(got, c.want) {
			t.Errorf("%s: estimator %s, want it to start %q", c.est, got, c.want)
		}
	}
	s := validSpec()
	s.Lambda, s.Solves, s.Relaxed = 3, 25, true
	for est, want := range map[string][3]float64{"imle-sog": {3, 0, 0}, "perturbed": {0, 25, 0}, "direct": {0, 0, 0}, "gsm": {0, 0, 1}} {
		g := s
		if err := g.SetGridEstimator(est); err != nil {
			t.Fatal(err)
		}
		relaxed := 0.0
		if g.Relaxed {
			relaxed = 1
		}
		if got := [3]float64{g.Lambda, float64(g.Solves), relaxed}; got != want {
			t.Errorf("grid cell %s: λ, M, relaxed = %v, want %v", est, got, want)
		}
	}
	if err := CheckGridKnobs(func(f string) bool { return f == "lambda" }, []string{"direct", "perturbed"}); err == nil || !strings.Contains(err.Error(), "-lambda applies to the imle and imle-sog cells") {
		t.Errorf("-lambda on a grid without imle: %v", err)
	}
	if err := CheckGridKnobs(func(f string) bool { return f == "lambda" }, []string{"direct", "imle-sog"}); err != nil {
		t.Errorf("-lambda on a grid with imle-sog: %v", err)
	}
}

// Every structure at the smallest -n it accepts (and the smallest -k and
// -subset-k) has at least two feasible codes: a latent with one code is
// constant, and training it is nonsense that must be refused, as
// -structure tree -n 2 (one edge, one tree) was not.
func TestSmallestStructuresAreNotConstant(t *testing.T) {
	for _, r := range structureTable {
		s := validSpec()
		s.Structure, s.N, s.Solver, s.Signs = r.name, r.minN, "", ""
		if r.states == "flag" {
			s.K = 2
		}
		if r.subset {
			s.SubsetK = 1
		}
		b, err := Check(&s, nil)
		if err != nil {
			t.Errorf("%s at n = %d: %v", r.name, r.minN, err)
			continue
		}
		st := b.Structure
		feasible, z := 0, make([]int, st.Vars())
		for {
			if argmax.Feasible(st, z) {
				feasible++
			}
			i := 0
			for ; i < len(z) && z[i] == st.States()-1; i++ {
				z[i] = 0
			}
			if i == len(z) {
				break
			}
			z[i]++
		}
		if feasible < 2 {
			t.Errorf("%s at its smallest n = %d: %d feasible codes", r.name, r.minN, feasible)
		}
		s.N--
		if s.N >= 1 {
			if _, err := Check(&s, nil); err == nil {
				t.Errorf("%s at n = %d, below its smallest: accepted", r.name, s.N)
			}
		}
	}
}

// A start below the floor would hold the temperature at the floor
// throughout: with -eps-min not given the floor follows -eps0 down (as
// train.DefaultSchedule does); given, the pair is refused.
func TestStartBelowTheFloor(t *testing.T) {
	base := Spec{Command: "structured", Data: "mnist", Structure: "independent", N: 4, K: 2, Estimator: "direct",
		Epochs: 1, Batch: 10, LR: 1e-3, Eps0: 0.01, EpsMin: 0.1, Anneal: 1e-5, Hidden: 8}
	s := base
	if _, err := Check(&s, func(f string) bool { return f == "eps0" }); err != nil {
		t.Fatal(err)
	}
	if s.EpsMin != 0.01 {
		t.Errorf("-eps0 0.01 alone: floor %v, want 0.01", s.EpsMin)
	}
	s = base
	_, err := Check(&s, func(f string) bool { return f == "eps0" || f == "eps-min" })
	if err == nil || !strings.Contains(err.Error(), "-eps0 0.01 below -eps-min 0.1") {
		t.Errorf("-eps0 0.01 -eps-min 0.1: %v", err)
	}
	// A grid checks its cells without the command line (given nil): the
	// flag itself says whether -eps-min was given.
	for _, args := range [][]string{{"-eps0", "0.01"}, {"-eps0", "0.01", "-eps-min", "0.1"}} {
		s := base
		fs := flag.NewFlagSet("grid", flag.ContinueOnError)
		TrainingFlags(fs, &s, 1)
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		s.Batch, s.Hidden = base.Batch, base.Hidden
		_, err := Check(&s, nil)
		if floorGiven := len(args) > 2; floorGiven != (err != nil) || (!floorGiven && s.EpsMin != 0.01) {
			t.Errorf("grid cell, %q: floor %v, err %v", args, s.EpsMin, err)
		}
	}
}
