package main

import (
	"strings"
	"testing"

	"github.com/argmaxvae/argmaxvae/internal/cmdtest"
)

// Issue 18 item 2 on this command's path: the context cli.Main cancels on
// SIGINT or SIGTERM reaches the training (whose epochs, evaluations and
// likelihoods check it: train's ctx_test, semisup's cancel_test).
func TestCancelledRunStops(t *testing.T) {
	s := cmdtest.Cancelled(t, run, "-limit", "200", "-epochs", "3", "-threads", "1")
	if len(s) != 1 || !strings.Contains(s[0], `"epochs": 0`) {
		t.Errorf("summary.json: %q, want one saying interrupted after 0 epochs", s)
	}
}
