package lab

import (
	"fmt"
	"math"
	"math/bits"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/argmaxvae/argmaxvae/nn"
	"github.com/argmaxvae/argmaxvae/train"
)

// tables holds, for each example, the encoder's score h(x_b, z) and the
// decoder's log-likelihood f(x_b, z) of every code z of n ≤ 16 bits (code
// c: bit i is latent i), so that every arg max of the laboratory is a scan.
type tables struct {
	n, states, low int
	H, F           [][]float64 // [b][code]
	pairs          [][2]int    // pairwise structures: the pairs, in feature order
	lastZ          []int       // per example: the code z* of the last sample
	h              []float32   // B×Dim encoder scores (pairs scaled)
	dim            int
}

// newTables encodes x and decodes every code once, at v's parameters.
// The structure must have binary latents, no constraint and at most
// train.MaxExactCodes codes; pairScale (0 or 1: none) scales the
// encoder's pair weights. O(2ⁿ·(hidden·(2n + D) + B·(D + Dim))).
func newTables(v *train.VAE, x nn.Mat, pairScale float64) (*tables, error) {
	if v.K != 2 {
		return nil, fmt.Errorf("lab: the structured laboratory needs binary latents, got K = %d", v.K)
	}
	if _, ok := v.S.(argmax.Constrained); ok {
		return nil, fmt.Errorf("lab: the structured laboratory needs an unconstrained structure, got %s", v.S.Name())
	}
	B, n, dim := x.Rows, v.N, v.S.Dim()
	if n > bits.Len(train.MaxExactCodes)-1 {
		return nil, fmt.Errorf("lab: the structured laboratory enumerates all 2ⁿ codes; n = %d exceeds %d", n, bits.Len(train.MaxExactCodes)-1)
	}
	states := 1 << n
	scores, err := v.Scores(x)
	if err != nil {
		return nil, err
	}
	h := append([]float32(nil), scores.Data[:B*dim]...)
	if pairScale != 0 && pairScale != 1 {
		for b := 0; b < B; b++ {
			for j := 2 * n; j < dim; j++ {
				h[b*dim+j] *= float32(pairScale)
			}
		}
	}
	z := make([]int, states*n)
	phiT := nn.NewMat(dim, states) // φ(z_c) in column c
	phi := make([]float32, dim)
	for c := 0; c < states; c++ {
		zc := z[c*n : (c+1)*n]
		for i := range zc {
			zc[i] = c >> i & 1
		}
		clear(phi)
		v.S.AddFeatures(zc, 1, phi)
		for j, p := range phi {
			phiT.Data[j*states+c] = p
		}
	}
	var F nn.Mat
	v.LogLikAll(x, z, &F)
	t := &tables{n: n, states: states, low: min(n, 8), lastZ: make([]int, B), h: h, dim: dim}
	t.H, t.F = make([][]float64, B), make([][]float64, B)
	for b := 0; b < B; b++ {
		t.H[b], t.F[b] = make([]float64, states), make([]float64, states)
		for c := range t.F[b] {
			t.F[b][c] = float64(F.At(b, c))
		}
		hb := h[b*dim : (b+1)*dim]
		for j := 0; j < dim; j++ {
			if hb[j] == 0 {
				continue
			}
			row, hj := phiT.Row(j), float64(hb[j])
			for c, p := range row {
				if p != 0 {
					t.H[b][c] += hj * float64(p)
				}
			}
		}
	}
	return t, t.findPairs(phiT)
}

// findPairs reads the pair of each feature j ≥ 2n, which must be z_I·z_J,
// from the codes with two bits set.
func (t *tables) findPairs(phiT nn.Mat) error {
	n := t.n
	if t.dim <= 2*n {
		return nil
	}
	t.pairs = make([][2]int, t.dim-2*n)
	for j := 2 * n; j < t.dim; j++ {
		found := false
		for c := 0; c < t.states && !found; c++ {
			if phiT.At(j, c) != 0 && bits.OnesCount(uint(c)) == 2 {
				i1 := bits.TrailingZeros(uint(c))
				t.pairs[j-2*n] = [2]int{i1, bits.TrailingZeros(uint(c) &^ (1 << i1))}
				found = true
			}
		}
		if !found {
			return fmt.Errorf("lab: the structured laboratory needs pairwise features z_i·z_j; feature %d is not one", j)
		}
	}
	return nil
}

// couplings returns mean |αᵢ|, mean |w_ij| and the mean over examples of
// max_i Σ_j |w_ij|.
func (t *tables) couplings() (logit, pair, maxSum float64) {
	B, n := len(t.H), t.n
	sum := make([]float64, n)
	for b := 0; b < B; b++ {
		h := t.h[b*t.dim : (b+1)*t.dim]
		for i := 0; i < n; i++ {
			logit += math.Abs(float64(h[2*i+1]) - float64(h[2*i]))
		}
		clear(sum)
		for p, ij := range t.pairs {
			w := math.Abs(float64(h[2*n+p]))
			pair += w
			sum[ij[0]] += w
			sum[ij[1]] += w
		}
		m := 0.0
		for _, s := range sum {
			m = math.Max(m, s)
		}
		maxSum += m
	}
	logit /= float64(B * n)
	if len(t.pairs) > 0 {
		pair /= float64(B * len(t.pairs))
	}
	return logit, pair, maxSum / float64(B)
}

// noiseTables fills nl (2^low) and nh (2^(n−low)) with Σ ℓᵢ zᵢ over the low
// and high bits of a code, so that ℓ·z(c) = nl[c & mask] + nh[c >> low].
func (t *tables) noiseTables(l []float64, sign float64, nl, nh []float64) {
	nl[0], nh[0] = 0, 0
	for m := 1; m < len(nl); m++ {
		i := bits.TrailingZeros(uint(m))
		nl[m] = nl[m&(m-1)] + sign*l[i]
	}
	for m := 1; m < len(nh); m++ {
		i := bits.TrailingZeros(uint(m))
		nh[m] = nh[m&(m-1)] + sign*l[t.low+i]
	}
}

// argmaxCode returns argmax_c H[c] + nl + nh + eps·F[c] (lowest code on ties).
func (t *tables) argmaxCode(H, F, nl, nh []float64, eps float64) int {
	mask, best, arg := len(nl)-1, math.Inf(-1), 0
	for c, hc := range H {
		s := hc + nl[c&mask] + nh[c>>t.low]
		if eps != 0 {
			s += eps * F[c]
		}
		if s > best {
			best, arg = s, c
		}
	}
	return arg
}

// closedForm returns ∂/∂αᵢ E_q[L] for independent bits, by enumeration
// (B×n, example-major).
func (t *tables) closedForm() []float64 {
	B, n := len(t.H), t.n
	out := make([]float64, B*n)
	th := make([]float64, n)
	for b := 0; b < B; b++ {
		// H of the code with only bit i set, minus H of 0, is αᵢ.
		for i := 0; i < n; i++ {
			th[i] = sigmoid(t.H[b][1<<i] - t.H[b][0])
		}
		for c := 0; c < t.states; c++ {
			q := 1.0
			for i := 0; i < n; i++ {
				if c>>i&1 == 1 {
					q *= th[i]
				} else {
					q *= 1 - th[i]
				}
			}
			L := -t.F[b][c]
			for i := 0; i < n; i++ {
				out[b*n+i] += q * L * (float64(c>>i&1) - th[i])
			}
		}
	}
	return out
}

func sigmoid(a float64) float64 { return 1 / (1 + math.Exp(-a)) }
