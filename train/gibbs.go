package train

import (
	"fmt"
	"math"
	"math/bits"

	"github.com/argmaxvae/argmaxvae/argmax"
)

// maxGibbsN caps the number of binary latents for [gibbsKLOf] (2ⁿ terms).
const maxGibbsN = 24

// gibbsKLOf returns KL(q‖uniform) = E_q[h] − log Z + n·log 2 for the Gibbs
// distribution q(z) = exp(h(z))/Z of a binary model (K = 2), by Gray-code
// enumeration of all 2ⁿ states with a streaming log-sum-exp. It runs in
// O(2ⁿ·(1 + E/n)) time.
//
// This is the KL of the distribution the structured encoder's scores
// define. The trainer samples differently: perturbing only the unary
// scores with Gumbel noise and taking the arg max gives a distribution that
// matches q only when there are no edges (an exact Gibbs sample would need
// a Gumbel variable for each of the 2ⁿ joint states). The unary-factor KL
// that the reference implementation reports treats the unary scores as
// independent factors and ignores the pairwise terms.
func gibbsKLOf(m *argmax.Model) (float64, error) {
	if err := m.Validate(); err != nil {
		return 0, err
	}
	if m.K != 2 {
		return 0, fmt.Errorf("train: the exact Gibbs KL needs binary latents, got K = %d", m.K)
	}
	n := m.N
	if n > maxGibbsN {
		return 0, fmt.Errorf("train: the exact Gibbs KL enumerates 2ⁿ states; n = %d exceeds %d", n, maxGibbsN)
	}
	// Neighbours of i, in the order of m.Edges: nj[off[i]:off[i+1]] with
	// weights nw; zf holds z as 0/1 floats, so that the change of h when
	// bit i flips is the branch-free Σ nw·zf (adding 0·w is exact: the sum
	// is the one a test of z[j] would give).
	off := make([]int, n+1)
	for _, e := range m.Edges {
		off[e.I+1]++
		off[e.J+1]++
	}
	for i := 0; i < n; i++ {
		off[i+1] += off[i]
	}
	nj := make([]int, off[n])
	nw := make([]float64, off[n])
	fill := append([]int(nil), off[:n]...)
	for _, e := range m.Edges {
		nj[fill[e.I]], nw[fill[e.I]] = e.J, e.W
		fill[e.I]++
		nj[fill[e.J]], nw[fill[e.J]] = e.I, e.W
		fill[e.J]++
	}
	du := make([]float64, n) // Unary[2i+1] − Unary[2i]
	for i := range du {
		du[i] = m.Unary[2*i+1] - m.Unary[2*i]
	}
	zf := make([]float64, n)
	h := 0.0
	for i := 0; i < n; i++ {
		h += m.Unary[2*i]
	}
	// Streaming: mx = max h so far, s = Σ exp(h − mx), t = Σ exp(h − mx)·h.
	mx, s, t := h, 1.0, h
	for k := uint64(1); k < 1<<n; k++ {
		i := bits.TrailingZeros64(k)
		d := du[i]
		js, ws := nj[off[i]:off[i+1]], nw[off[i]:off[i+1]]
		for q, j := range js {
			d += ws[q] * zf[j]
		}
		if zf[i] == 0 {
			zf[i], h = 1, h+d
		} else {
			zf[i], h = 0, h-d
		}
		if h > mx {
			c := math.Exp(mx - h)
			s, t, mx = s*c+1, t*c+h, h
		} else {
			w := math.Exp(h - mx)
			s += w
			t += w * h
		}
	}
	logZ := mx + math.Log(s)
	return t/s - logZ + float64(n)*math.Ln2, nil
}
