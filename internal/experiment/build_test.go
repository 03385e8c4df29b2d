package experiment

import (
	"flag"
	"io"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/argmaxvae/argmaxvae/report"
)

func validSpec() Spec {
	return Spec{Data: "mnist", N: 1, K: 10, Hidden: 8, Structure: "none", Solver: "categorical", Estimator: "direct",
		Epochs: 1, Batch: 10, LR: 1e-3, Eps0: 1, EpsMin: 0.1, Anneal: 1e-5}
}

func TestValidateNamesTheFlag(t *testing.T) {
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
		{func(s *Spec) { s.EpsMin = 0 }, "-eps-min 0"},
		{func(s *Spec) { s.Eps0 = math.Inf(1) }, "-eps0 +Inf"},
		{func(s *Spec) { s.Anneal = math.NaN() }, "-anneal NaN"},
		{func(s *Spec) { s.Epochs = 0 }, "-epochs 0"},
		{func(s *Spec) { s.Limit = -1 }, "-limit -1"},
		{func(s *Spec) { s.Samples = -5 }, "-samples -5"},
		{func(s *Spec) { s.ExactKL = -1 }, "-kl-exact -1"},
		{func(s *Spec) { s.Data = "cifar" }, "-data \"cifar\""},
		{func(s *Spec) { s.Estimator = "foo" }, "unknown estimator"},
		{func(s *Spec) { s.N, s.K, s.Structure, s.Solver = 31, 2, "general", "exhaustive" }, "-solver exhaustive does not apply"},
		{func(s *Spec) { s.N, s.K, s.Structure, s.Solver = 65, 2, "general", "bnb" }, "-solver bnb does not apply"},
		{func(s *Spec) { s.N, s.K, s.Structure, s.Solver = 31, 2, "general", "milp" }, "-solver milp with -n 31"},
		{func(s *Spec) { s.Structure = "supermodular" }, "binary latents"},
		{func(s *Spec) { s.Estimator = "exact"; s.N = 3 }, "one categorical latent"},
		{func(s *Spec) { s.K, s.N = 2, 3; s.Structure = "general"; s.Estimator = "gsm" }, "independent latents"},
		{func(s *Spec) { s.K, s.N = 2, 3; s.Structure = "general"; s.Solver = "maxflow" }, "-solver maxflow does not apply"},
		{func(s *Spec) { s.Estimator = "arm" }, "binary latents"},
		{func(s *Spec) { s.Eps0 = 1.5 }, "needs ε ≤ 1"},
		{func(s *Spec) { s.DirectKL = "gibbs" }, "-direct-kl"},
		{func(s *Spec) { s.Estimator = "gsm"; s.DirectKL = "none" }, "applies to -estimator direct only"},
		{func(s *Spec) { s.NLLEvery = -1 }, "-nll-every -1"},
		{func(s *Spec) { s.IWSamples = -1 }, "-iw-samples -1"},
	}
	for _, c := range cases {
		s := validSpec()
		c.edit(&s)
		err := s.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: err = %v, want mention of %q", s, err, c.want)
		}
	}
	s := validSpec()
	if err := s.Validate(); err != nil {
		t.Errorf("valid spec rejected: %v", err)
	}
	s.DirectKL, s.Eps0 = "none", 1.5
	if err := s.Validate(); err != nil {
		t.Errorf("ε = 1.5 with the reference form rejected: %v", err)
	}
	if _, err := NewEstimator(&Spec{Estimator: "nvil"}); err == nil || !strings.Contains(err.Error(), "known:") {
		t.Errorf("unknown estimator: %v", err)
	}
}

func TestStructureOfAndSplitList(t *testing.T) {
	for solver, want := range map[string]string{"independent": "none", "maxflow": "supermodular", "bnb": "general", "milp": "general", "exhaustive": "general"} {
		if got, err := StructureOf(solver); got != want || err != nil {
			t.Errorf("StructureOf(%q) = %q, %v", solver, got, err)
		}
	}
	if _, err := StructureOf("cplex"); err == nil {
		t.Error("StructureOf(cplex) accepted")
	}
	if got := SplitList(" a, ,b,"); strings.Join(got, "|") != "a|b" {
		t.Errorf("SplitList = %q", got)
	}
}

// The deprecated -kl-grad maps onto -direct-kl and may not contradict it.
func TestKLGradAlias(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string // DirectKL, or "error"
	}{
		{nil, "folded"},
		{[]string{"-kl-grad=false"}, "none"},
		{[]string{"-kl-grad=true"}, "analytic"},
		{[]string{"-direct-kl", "none", "-kl-grad=false"}, "none"},
		{[]string{"-direct-kl", "none", "-kl-grad=true"}, "error"},
	} {
		s := validSpec()
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		Flags(fs, &s)
		if err := Parse(fs, c.args); err != nil {
			t.Fatalf("%q: %v", c.args, err)
		}
		err := s.applyAliases()
		if got := s.DirectKL; (c.want == "error") != (err != nil) || (err == nil && got != c.want) {
			t.Errorf("%q: DirectKL %q, err %v; want %s", c.args, got, err, c.want)
		}
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
