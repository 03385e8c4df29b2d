package argmax

import (
	"fmt"
	"math"
)

// Chain is a latent of N variables with K states each, linked in a chain
// like the hidden states of an HMM: besides the unary scores, each
// consecutive pair (z_t, z_{t+1}) has a K×K table of transition scores,
//
//	h(z) = Σ_{i<N} w[i·K+zᵢ] + Σ_{t<N−1} w[N·K + t·K² + z_t·K + z_{t+1}].
//
// Layout of w (length Dim = N·K + (N−1)·K²): the N·K unary scores, then
// one K×K block per transition t = 0, …, N−2, row-major in (a, b) where
// a = z_t and b = z_{t+1}. φ(z) is the one-hot of each zᵢ followed by the
// one-hot of each consecutive pair; every feature is 0 or 1. All
// coordinates are unconstrained ([AnySign]).
//
// [Viterbi] solves it exactly in O(N·K²); "exhaustive" ([Enumerator]) is
// the reference for small chains. Build one with [NewChain] or, with
// its weights from tables, [ChainProblem]; or as a literal checked by
// [Chain.Validate].
type Chain struct {
	N, K int
}

// NewChain returns the chain of n variables with k states each; n ≥ 1,
// k ≥ 2 and Dim = n·k + (n−1)·k² representable as an int. Errors wrap
// [ErrShape].
func NewChain(n, k int) (*Chain, error) {
	c := &Chain{N: n, K: k}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// Validate checks the shape: N ≥ 1, K ≥ 2 (one state is not a latent) and
// no int overflow in Dim. Errors wrap [ErrShape].
func (c *Chain) Validate() error {
	if c == nil {
		return fmt.Errorf("%w: nil chain", ErrShape)
	}
	if c.N < 1 {
		return fmt.Errorf("%w: chain of N = %d variables, want ≥ 1", ErrShape, c.N)
	}
	if c.K < 2 {
		return fmt.Errorf("%w: chain variables with K = %d states, want ≥ 2", ErrShape, c.K)
	}
	const maxInt = math.MaxInt
	if c.K > maxInt/c.K {
		return fmt.Errorf("%w: chain with K = %d states: K² overflows int", ErrShape, c.K)
	}
	// (N−1)·K² ≤ MaxInt implies N·K ≤ MaxInt/K + K ≤ MaxInt for K ≥ 2, so
	// only the transition block and the sum need checking.
	kk := c.K * c.K
	if c.N-1 > maxInt/kk {
		return fmt.Errorf("%w: chain of %d variables with %d states: Dim = N·K + (N−1)·K² overflows int", ErrShape, c.N, c.K)
	}
	if unary, trans := c.N*c.K, (c.N-1)*kk; unary > maxInt-trans {
		return fmt.Errorf("%w: chain of %d variables with %d states: Dim = N·K + (N−1)·K² overflows int", ErrShape, c.N, c.K)
	}
	return nil
}

// Name implements [Structure], e.g. "chain of 8 variables with 4 states".
func (c *Chain) Name() string {
	if c.N == 1 {
		return fmt.Sprintf("chain of 1 variable with %d states", c.K)
	}
	return fmt.Sprintf("chain of %d variables with %d states", c.N, c.K)
}

// Vars implements [Structure].
func (c *Chain) Vars() int { return c.N }

// States implements [Structure].
func (c *Chain) States() int { return c.K }

// Dim implements [Structure]: N·K + (N−1)·K².
func (c *Chain) Dim() int { return c.N*c.K + (c.N-1)*c.K*c.K }

// Transition returns the index in w of the score of z_t = a, z_{t+1} = b,
// for 0 ≤ t < N−1: N·K + t·K² + a·K + b.
func (c *Chain) Transition(t, a, b int) int { return c.N*c.K + t*c.K*c.K + a*c.K + b }

// AddFeatures implements [Structure] in O(N): 2N−1 coordinates change.
func (c *Chain) AddFeatures(z []int, scale float32, dst []float32) {
	n, k := c.N, c.K
	for i, s := range z[:n] {
		dst[i*k+s] += scale
	}
	off, kk := n*k, k*k
	for t := 0; t+1 < n; t++ {
		dst[off+t*kk+z[t]*k+z[t+1]] += scale
	}
}

// Signs implements [Structure]: every coordinate is [AnySign].
func (c *Chain) Signs() []Sign { return make([]Sign, c.Dim()) }

// Solvers implements [Structure]: "viterbi" ([Viterbi], O(N·K²)), then
// "exhaustive" ([Enumerator]) when it has at most [MaxEnumerateCodes]
// codes.
func (c *Chain) Solvers() []string { return withEnumerator(c, "viterbi") }

// NewSolver implements [Structure]. "viterbi" returns a [*Viterbi];
// "exhaustive" returns an [Enumerator] where listed. Other
// names are refused, naming the ones that apply; an invalid chain is
// refused with [ErrShape].
func (c *Chain) NewSolver(name string) (Maximizer, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	cc := *c
	return pickSolver(&cc, name, "viterbi", func() (Maximizer, error) { return NewViterbi(c) })
}

// coordinate describes w[j] of the chain for error messages.
func (c *Chain) coordinate(j int) string {
	n, k := c.N, c.K
	if j < n*k {
		return fmt.Sprintf("unary score of variable %d, state %d", j/k, j%k)
	}
	r := j - n*k
	t, ab := r/(k*k), r%(k*k)
	return fmt.Sprintf("transition score z_%d = %d → z_%d = %d", t, ab/k, t+1, ab%k)
}
