package argmax

import (
	"errors"
	"sync"
)

var (
	registryMu sync.RWMutex
	milpNew    func() PairwiseSolver
)

// RegisterMILP makes a MILP solver available to [Pairwise] structures as
// "milp" (and to [QPBO] for large remainders). Package qip calls it from
// init, so importing qip (a blank import will do) is enough; package
// argmax itself stays free of cgo. A nil newSolver, or a second
// registration, is refused with an error and changes nothing (like
// train.RegisterEstimator and dataset.Register). Safe for concurrent use.
func RegisterMILP(newSolver func() PairwiseSolver) error {
	if newSolver == nil {
		return errors.New("argmax: RegisterMILP: nil constructor")
	}
	registryMu.Lock()
	defer registryMu.Unlock()
	if milpNew != nil {
		return errors.New("argmax: RegisterMILP: a MILP solver is already registered (package qip registers one when imported)")
	}
	milpNew = newSolver
	return nil
}

// milpFactory returns the registered MILP factory, or nil.
func milpFactory() func() PairwiseSolver {
	registryMu.RLock()
	defer registryMu.RUnlock()
	return milpNew
}
