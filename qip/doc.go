// Package qip solves the pairwise binary arg max problem with edge weights
// of any sign exactly, as a mixed-integer linear program (MILP) handed to
// lp_solve 5.5 through the cgo binding github.com/draffensperger/golp.
//
// Importing the package registers [Solver] with
// argmax.RegisterMILP, so a blank import adds "milp" to the solvers of
// argmax.Pairwise structures where the pairwise rule lists it:
//
//	import _ "github.com/argmaxvae/argmaxvae/qip"
//
// # Building
//
// The solver needs cgo and lp_solve (Debian: liblpsolve55-dev). golp's own
// #cgo lines point at a directory the module does not ship, so the header
// path comes from the environment:
//
//	export CGO_CFLAGS="-O2 -g -I/usr/include/lpsolve"
//
// The libraries lp_solve needs besides itself (libcolamd, libm, libdl) are
// named by this package's #cgo LDFLAGS. Built with CGO_ENABLED=0, the
// package still compiles: it registers nothing, and [Solver.Solve] and
// [Available] return [ErrNoCgo], which says what is missing.
//
// Two lp_solve quirks are handled (handle.go): its "minimum objective step"
// heuristic, which returns suboptimal answers labelled OPTIMAL on
// real-valued weights, is switched off, and each problem is freed as soon
// as it is solved rather than in golp's finalizer (TestStepOFRegression,
// TestHandle). The formulation and why it is exact are in docs/solvers.md.
package qip
