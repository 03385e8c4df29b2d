package main

import (
	"testing"

	"github.com/argmaxvae/argmaxvae/internal/cmdtest"
)

// Issue 18 item 2 on this command's path: the context cli.Main cancels on
// SIGINT or SIGTERM reaches the training (whose epochs, evaluations and
// likelihoods check it: train's ctx_test, semisup's cancel_test).
func TestCancelledRunStops(t *testing.T) {
	cmdtest.Cancelled(t, run, "-limit", "200", "-epochs", "1", "-threads", "1", "-structures", "matching:6")
}
