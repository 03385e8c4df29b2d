package train

import (
	"fmt"
	"slices"
	"strings"
	"sync"
)

// EstimatorOptions are the settings estimator constructors read; each
// estimator ignores what does not concern it.
type EstimatorOptions struct {
	KL      KLMode  // direct: how the KL term is treated
	Relaxed bool    // gsm: feed the relaxed sample instead of straight-through
	Lambda  float64 // imle, imle-sog: λ, the step of the target solve (0: 10)
	Solves  int     // perturbed: M, the perturbed solves per example (0: 10)
}

// EstimatorInfo is one registered estimator.
type EstimatorInfo struct {
	Name string
	Doc  string // one line for flag help
	New  func(EstimatorOptions) Estimator
}

var (
	estMu    sync.RWMutex
	estOrder []EstimatorInfo
)

// RegisterEstimator adds an estimator to the registry that commands list
// and build from, as database/sql.Register adds a driver. An empty name, a
// nil constructor or a name already registered is refused with an error
// (a second registration does not silently replace the first). The
// package's own estimators are registered from one list (estimators.go).
// Safe for concurrent use.
func RegisterEstimator(info EstimatorInfo) error {
	if info.Name == "" {
		return fmt.Errorf("train: RegisterEstimator: empty name")
	}
	if info.New == nil {
		return fmt.Errorf("train: RegisterEstimator(%q): nil constructor New", info.Name)
	}
	estMu.Lock()
	defer estMu.Unlock()
	for _, e := range estOrder {
		if e.Name == info.Name {
			return fmt.Errorf("train: RegisterEstimator: %q is already registered", info.Name)
		}
	}
	estOrder = append(estOrder, info)
	return nil
}

// Estimators returns the registered estimators, in registration order
// (direct first).
func Estimators() []EstimatorInfo {
	estMu.RLock()
	defer estMu.RUnlock()
	return slices.Clone(estOrder)
}

// EstimatorNames returns the registered names.
func EstimatorNames() []string {
	var n []string
	for _, e := range Estimators() {
		n = append(n, e.Name)
	}
	return n
}

// NewEstimator builds the named estimator. An unknown name, a nil
// estimator from a user's New, or options the estimator refuses (a KL mode
// that is none of the three, a negative λ, …: what NewTrainer would refuse
// before the first step) are errors.
func NewEstimator(name string, opt EstimatorOptions) (Estimator, error) {
	for _, e := range Estimators() {
		if e.Name == name {
			est := e.New(opt)
			if est == nil {
				return nil, fmt.Errorf("train: estimator %q: its New returned nil", name)
			}
			if c, ok := est.(settingsChecker); ok {
				if err := c.check(); err != nil {
					return nil, err
				}
			}
			return est, nil
		}
	}
	return nil, fmt.Errorf("train: unknown estimator %q (known: %s)", name, strings.Join(EstimatorNames(), ", "))
}
