package experiment

import (
	"github.com/argmaxvae/argmaxvae/internal/cli"
	"github.com/argmaxvae/argmaxvae/nn"
)

// Every command that trains or reads a model refuses to start when an
// environment variable of package nn holds a value nn does not know (it
// would silently keep its default): cli.Parse runs nn.CheckEnv.
func init() { cli.AtStart(nn.CheckEnv) }
