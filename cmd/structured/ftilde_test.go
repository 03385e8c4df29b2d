package main

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/argmaxvae/argmaxvae/internal/experiment"
)

// -ftilde exact is refused, before any data is read, with a message naming
// the problem: more than 2¹⁶ codes, an estimator other than direct, or an
// unknown value.
func TestFTildeRefusals(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-solver", "maxflow", "-n", "17", "-ftilde", "exact", "-kl-exact", "0"}, "65536"},
		{[]string{"-solver", "independent", "-estimator", "arm", "-ftilde", "exact"}, "applies to -estimator direct"},
		{[]string{"-solver", "maxflow", "-ftilde", "approximate"}, "want lowdim or exact"},
	} {
		err := run(append(c.args, "-data", "fashion", "-data-dir", t.TempDir(), "-out", t.TempDir()), io.Discard, io.Discard)
		var u experiment.UsageError
		if !errors.As(err, &u) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: got %v, want a usage error containing %q", c.args, err, c.want)
		}
	}
}
