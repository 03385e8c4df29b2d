package experiment

import (
	"strings"
	"testing"
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
		{func(s *Spec) { s.EpsMin = 0 }, "floor 0"},
		{func(s *Spec) { s.Structure = "supermodular" }, "binary latents"},
		{func(s *Spec) { s.Estimator = "exact"; s.N = 3 }, "-n 1"},
		{func(s *Spec) { s.K = 2; s.Structure = "general"; s.Estimator = "gsm" }, "only direct"},
		{func(s *Spec) { s.Estimator = "arm" }, "binary latents"},
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
	if _, err := NewEstimator(&Spec{Estimator: "relax"}); err == nil || !strings.Contains(err.Error(), "known:") {
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
