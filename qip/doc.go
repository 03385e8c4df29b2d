// Package qip solves the pairwise binary arg max problem with edge weights of
// any sign exactly, as a mixed-integer linear program (MILP) handed to
// lp_solve 5.5 through the cgo binding github.com/draffensperger/golp.
//
// The problem max_z Σᵢ θᵢzᵢ + Σ_e wₑ·z_{iₑ}·z_{jₑ} over z ∈ {0,1}ⁿ is a
// quadratic integer program (hence the name); [Solver] linearizes each
// product with one continuous variable and one or two inequalities chosen by
// the sign of its weight (see [Solver] for the formulation and why it is
// exact), and lp_solve's branch and bound proves optimality.
//
// Importing the package registers the solver with
// [github.com/argmaxvae/argmaxvae/argmax.RegisterMILP], so a blank import
// lists "milp" among the solvers of argmax.Pairwise structures (see
// argmax.Pairwise.Solvers for when):
//
//	import _ "github.com/argmaxvae/argmaxvae/qip"
//
// # lp_solve quirks handled here
//
// golp binds only part of lp_solve's API, so two fixes reach the lp_solve
// problem inside golp.LP directly (handle.go): the "minimum objective step"
// heuristic of lp_solve 5.5.2.5 is switched off because it returns
// suboptimal answers labelled OPTIMAL on real-valued weights, and each
// problem is freed as soon as it is solved instead of in golp's finalizer,
// whose delay let C memory grow to hundreds of MB over 10⁴ solves. Both are
// covered by tests (TestStepOFRegression, TestHandle).
//
// # Building
//
// golp's own #cgo lines point at a bundled lpsolve directory that the module
// does not ship, so on Linux with Debian's liblpsolve55-dev the header path
// must come from the environment:
//
//	export CGO_CFLAGS="-O2 -g -I/usr/include/lpsolve"
//
// (C_INCLUDE_PATH=/usr/include/lpsolve works too). The libraries lp_solve
// needs besides itself (Debian ships it as a static archive only: libcolamd,
// libm, libdl) are named by this package's own #cgo LDFLAGS, so no
// CGO_LDFLAGS is needed.
package qip
