package experiment

import (
	"flag"
	"fmt"
	"slices"
	"strings"

	"github.com/argmaxvae/argmaxvae/internal/cli"
	"github.com/argmaxvae/argmaxvae/train"
)

// gridKL are the direct estimator's KL modes the grids name as estimators
// of their own: "direct-none" is direct with -direct-kl none. "direct"
// alone is the default, folded.
var gridKL = []string{"none", "analytic"}

// GridEstimators lists the estimator names the grids (-estimators of
// cmd/table1, cmd/figure3, cmd/structgrid) accept: every registered
// estimator, and direct-none and direct-analytic.
func GridEstimators() []string {
	names := train.EstimatorNames()
	for _, kl := range gridKL {
		names = append(names, "direct-"+kl)
	}
	return names
}

// ParseGridEstimator splits a grid estimator name into the estimator and
// its -direct-kl: "direct-none" and "direct-analytic" are direct with that
// KL mode; any registered name (direct-exact included) is itself with the
// folded default. This is the one place the grids' names are read.
func ParseGridEstimator(name string) (estimator, directKL string, err error) {
	for _, kl := range gridKL {
		if name == "direct-"+kl {
			return "direct", kl, nil
		}
	}
	for _, n := range train.EstimatorNames() {
		if n == name {
			return name, "folded", nil
		}
	}
	return "", "", fmt.Errorf("estimator %q: want one of %s", name, strings.Join(GridEstimators(), ", "))
}

// GridEstimatorFlag registers a grid's comma-separated estimator list
// (-estimators, structgrid's -subset-estimators), each name checked by
// [ParseGridEstimator] while parsing.
func GridEstimatorFlag(fs *flag.FlagSet, name string, def []string, usage string) *[]string {
	return cli.Names(fs, name, def, func(s string) error {
		if _, _, err := ParseGridEstimator(s); err != nil {
			return fmt.Errorf("not an estimator (want one of %s)", strings.Join(GridEstimators(), ", "))
		}
		return nil
	},
		usage+" (of "+strings.Join(GridEstimators(), ", ")+"; direct-none and direct-analytic are direct with -direct-kl none or analytic)")
}

// SetGridEstimator sets s's estimator and KL mode from a grid name. A
// grid's -relaxed is for its gsm cells, -lambda for its imle cells and
// -solves for its perturbed cells: each is cleared for the others.
func (s *Spec) SetGridEstimator(name string) error {
	est, kl, err := ParseGridEstimator(name)
	if err != nil {
		return err
	}
	s.Estimator, s.DirectKL = est, kl
	for _, k := range knobs {
		if !slices.Contains(k.readers, est) {
			k.clear(s)
		}
	}
	return nil
}

// knobs are the estimator settings beyond the temperature, each read by
// the estimators named: the one table behind refusing a knob its
// estimator ignores ([Check]), clearing it for a grid's other cells
// ([Spec.SetGridEstimator]) and refusing it in a grid with no reader
// ([CheckGridKnobs]).
var knobs = []struct {
	flag    string
	readers []string
	isSet   func(*Spec) bool
	clear   func(*Spec)
}{
	{"relaxed", []string{"gsm"}, func(s *Spec) bool { return s.Relaxed }, func(s *Spec) { s.Relaxed = false }},
	{"lambda", []string{"imle", "imle-sog"}, func(s *Spec) bool { return s.Lambda != 0 }, func(s *Spec) { s.Lambda = 0 }},
	{"solves", []string{"perturbed"}, func(s *Spec) bool { return s.Solves != 0 }, func(s *Spec) { s.Solves = 0 }},
}

// GridEstimatorName is the inverse of [ParseGridEstimator]: the grid name
// of s's estimator and KL mode.
func GridEstimatorName(s *Spec) string {
	if s.Estimator == "direct" && s.DirectKL != "" && s.DirectKL != "folded" {
		return "direct-" + s.DirectKL
	}
	return s.Estimator
}

// CheckGridKnobs refuses -relaxed, -lambda or -solves, when given, if no
// estimator of the grid (the grid names in ests) reads it: a grid honours
// every flag it accepts.
func CheckGridKnobs(given func(string) bool, ests []string) error {
	for _, k := range knobs {
		if !given(k.flag) {
			continue
		}
		used := false
		for _, name := range ests {
			est, _, err := ParseGridEstimator(name)
			used = used || err == nil && slices.Contains(k.readers, est)
		}
		if !used {
			return fmt.Errorf("-%s applies to the %s cells, and the grid has none", k.flag, strings.Join(k.readers, " and "))
		}
	}
	return nil
}
