package argmax

import (
	"fmt"
	"math"
)

// Compile-time check.
var _ UnaryFamily = (*KSubset)(nil)

// NewUnarySampler implements [UnaryFamily] for k-subsets: with gains
// gᵢ = θ[2i+1] − θ[2i], q_θ(S) ∝ exp Σ_{i∈S} gᵢ over the K-subsets S, and
//
//	Z(θ) = exp(Σᵢ θ[2i]) · e_K(exp g₁, …, exp g_N),
//
// the elementary symmetric polynomial of degree K, computed by the dynamic
// programme E[i][j] = E[i−1][j] + exp(gᵢ)·E[i−1][j−1] (in log space,
// O(N·K) per Set, with the inclusion probabilities below). Sampling walks the table back from (N, K): item i is
// in with probability exp(gᵢ)·E[i−1][j−1]/E[i][j] given that j of the first
// i items are, at most one uniform per item, O(N) per sample.
func (s *KSubset) NewUnarySampler() UnarySampler {
	w := (s.N + 1) * (s.K + 1)
	return &subsetSampler{s: *s, le: make([]float64, w), pin: make([]float64, w), g: make([]float64, s.N)}
}

// subsetSampler is KSubset's [UnarySampler].
type subsetSampler struct {
	s     KSubset
	le    []float64 // (N+1)×(K+1): le[i*(K+1)+j] = log e_j(exp g₁..g_i)
	pin   []float64 // (N+1)×(K+1): P(item i is in | j of the first i are)
	g     []float64
	base  float64 // Σᵢ θ[2i]
	logZ  float64
	ready bool
}

// logAddExp returns log(exp a + exp b), exact for −Inf arguments.
func logAddExp(a, b float64) float64 {
	if a < b {
		a, b = b, a
	}
	if math.IsInf(b, -1) {
		return a
	}
	return a + math.Log1p(math.Exp(b-a))
}

// Set implements [UnarySampler].
func (t *subsetSampler) Set(theta []float64) (float64, error) {
	n, k := t.s.N, t.s.K
	t.ready = false
	if len(theta) != 2*n {
		return 0, fmt.Errorf("%w: %s: len(θ) = %d, want %d", ErrShape, t.s.Name(), len(theta), 2*n)
	}
	if err := checkFinite(&t.s, theta, t.s.coordinate); err != nil {
		return 0, err
	}
	t.base = 0
	for i := 0; i < n; i++ {
		t.base += theta[2*i]
		t.g[i] = theta[2*i+1] - theta[2*i]
	}
	w := k + 1
	le := t.le
	ninf := math.Inf(-1)
	le[0] = 0
	for j := 1; j <= k; j++ {
		le[j] = ninf
	}
	for i := 1; i <= n; i++ {
		prev, cur, g := le[(i-1)*w:i*w], le[i*w:(i+1)*w], t.g[i-1]
		cur[0] = prev[0]
		for j := 1; j <= k; j++ {
			cur[j] = logAddExp(prev[j], prev[j-1]+g)
		}
	}
	t.logZ = t.base + le[n*w+k]
	for i := 1; i <= n; i++ {
		for j := 1; j <= min(i, k); j++ {
			t.pin[i*w+j] = math.Exp(t.g[i-1] + le[(i-1)*w+j-1] - le[i*w+j])
		}
	}
	if math.IsNaN(t.logZ) || math.IsInf(t.logZ, 0) {
		return 0, fmt.Errorf("%w: %s: log Z(θ) = %v", ErrNotFinite, t.s.Name(), t.logZ)
	}
	t.ready = true
	return t.logZ, nil
}

// Sample implements [UnarySampler]: from the last item to the first, one
// uniform per item whose membership is not forced. See [UnarySampler]
// for its errors.
func (t *subsetSampler) Sample(u func() float64, z []int) (float64, error) {
	if err := checkSample(t.s.Name(), t.ready, u, z, t.s.Vars()); err != nil {
		return 0, err
	}
	n, k, w := t.s.N, t.s.K, t.s.K+1
	j := k
	score := t.base
	for i := n; i >= 1; i-- {
		in := false
		switch {
		case j == 0:
		case j == i: // every remaining item is in
			in = true
		default:
			in = u() < t.pin[i*w+j]
		}
		if in {
			z[i-1] = 1
			score += t.g[i-1]
			j--
		} else {
			z[i-1] = 0
		}
	}
	return score - t.logZ, nil
}
