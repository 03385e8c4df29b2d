package argmax

import "sync"

var (
	registryMu sync.RWMutex
	milpNew    func() PairwiseSolver
)

// RegisterMILP makes a MILP solver available to [Pairwise] structures as
// "milp" (and to [QPBO] for large remainders). Package qip calls it from
// init, so importing qip (a blank import will do) is enough; package
// argmax itself stays free of cgo. Like database/sql.Register, it panics
// if newSolver is nil or if a MILP solver is already registered: both are
// programming errors, caught when the program starts.
func RegisterMILP(newSolver func() PairwiseSolver) {
	registryMu.Lock()
	defer registryMu.Unlock()
	if newSolver == nil {
		panic("argmax: RegisterMILP with a nil constructor")
	}
	if milpNew != nil {
		panic("argmax: RegisterMILP called twice")
	}
	milpNew = newSolver
}

// milpFactory returns the registered MILP factory, or nil.
func milpFactory() func() PairwiseSolver {
	registryMu.RLock()
	defer registryMu.RUnlock()
	return milpNew
}
