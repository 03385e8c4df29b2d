package argmax

// PairwiseSolver computes an exact maximizer of a [Model].
//
// Solve writes argmax_z h(z) into z[:m.N] and returns h at that maximizer.
// Ties are broken deterministically (each implementation documents how), so
// the same model always gives the same answer. A model that the solver does
// not accept, or that fails [Model.Validate], gives an error and leaves z
// unspecified.
//
// A PairwiseSolver reuses internal buffers between calls, so the hot path does not
// allocate; it is therefore not safe for concurrent use. Give each goroutine
// its own (see [Batch]).
type PairwiseSolver interface {
	Solve(m *Model, z []int) (float64, error)
}
