package cli

import (
	"flag"
	"strings"
)

// The flags of earlier versions that are gone, with what replaced them,
// by command ("" for every command): a command line written for an
// earlier version is refused with the flag's new spelling instead of a
// bare "not defined". There are no aliases: each idea has one name.
var gone = map[string]map[string]string{
	"": {
		"states":      "the states are -k now",
		"kl-grad":     "it is -direct-kl now",
		"ftilde":      "-ftilde exact is -estimator direct-exact now",
		"anneal-rate": "it is -anneal now",
		"workers":     "it is -threads now",
	},
	"figure1": {"batch": "the measured test images are -examples"},
	"table1":  {"seed": "the seeds of the grid are -seeds", "data": "the grid's data sets are -datasets", "estimator": "the grid's estimators are -estimators", "direct-kl": "name direct-none or direct-analytic in -estimators"},
	"table2":  {"root": "the grid's folder is -out", "data": "the grid's data sets are -datasets"},
	"figure3": {"solvers": "the encoders are -encoders STRUCTURE[:SIGNS][@SOLVER]", "estimator": "the grid's estimators are -estimators", "direct-kl": "name direct-none or direct-analytic in -estimators"},
	"structgrid": {"estimator": "the grid's estimators are -estimators and -subset-estimators", "direct-kl": "name direct-none or direct-analytic in -estimators",
		"subset-n": "a structure's size is the N of -structures STRUCTURE:N (subset:20)", "matching-n": "a structure's size is the N of -structures STRUCTURE:N (matching:6)",
		"tree-nodes": "a structure's size is the N of -structures STRUCTURE:N (tree:6,tree:8)"},
	"categorical": {"solver": "one categorical latent has one solver"},
}

// renamed returns what replaced the undefined flag err names, or "".
func renamed(fs *flag.FlagSet, err error) string {
	name, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: -")
	if !ok {
		return ""
	}
	if now, ok := gone[fs.Name()][name]; ok {
		return now
	}
	return gone[""][name]
}
