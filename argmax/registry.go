package argmax

import "sync"

var (
	registryMu sync.RWMutex
	milpNew    func() Solver
)

// RegisterMILP makes a MILP solver available to [Choose] and [ByName] as
// "milp". Package qip calls it from init, so importing qip (for instance
// with a blank import) is enough; the argmax package itself stays free of
// cgo.
func RegisterMILP(newSolver func() Solver) {
	registryMu.Lock()
	defer registryMu.Unlock()
	milpNew = newSolver
}

// milpFactory returns the registered MILP factory, or nil.
func milpFactory() func() Solver {
	registryMu.RLock()
	defer registryMu.RUnlock()
	return milpNew
}
