package argmax

// Neighbourhood is implemented by a structure that chooses the codes the
// direct estimator's local approximation f̃ evaluates around a code z (see
// train.VAE.LocalLogLik). Without it, the neighbour of z for latent i in
// state s is z with latent i set to s, which for a constrained structure
// (a k-subset, a matching, a tree) is usually infeasible; a structure that
// implements Neighbourhood supplies a feasible code instead (a swap, say).
//
// Neighbour sets dst (length Vars) to the neighbour of the feasible code z
// for latent i in state s: a feasible code with dst[i] = s, near z, and z
// itself when s = z[i]. It reports false when no feasible code has latent
// i in state s (dst is then ignored). It must not keep z or dst, and it is
// called concurrently only on different dst.
type Neighbourhood interface {
	Neighbour(z []int, i, s int, dst []int) bool
}
