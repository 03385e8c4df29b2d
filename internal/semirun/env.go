package semirun

import (
	"github.com/argmaxvae/argmaxvae/internal/cli"
	"github.com/argmaxvae/argmaxvae/nn"
)

// semisup and table2 refuse to start when an environment variable of
// package nn holds a value nn does not know: cli.Parse runs nn.CheckEnv.
func init() { cli.AtStart(nn.CheckEnv) }
