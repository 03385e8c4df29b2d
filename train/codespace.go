package train

import (
	"fmt"
	"math"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/argmaxvae/argmaxvae/nn"
)

// MaxExactCodes caps the latent spaces whose arg max is taken by
// enumeration at every training step ([DirectExact]) and in the structured
// gradient laboratory: K^N ≤ 2¹⁶ joint codes (n ≤ 16 bits).
const MaxExactCodes = 1 << 16

// codeSpace lists every code of a small latent space, in base-K order
// (latent i is digit i, least significant first), with its feature vectors
// φ(z) for the structure's score w·φ(z), so that the scores and decoder
// log-likelihoods of all codes are two matrix products.
type codeSpace struct {
	s        argmax.Structure
	states   int
	z        []int  // states×N
	phiT     nn.Mat // Dim×states
	feasible []bool // argmax.Feasible of each code
}

// newCodeSpace enumerates the codes of s, or returns an error naming the
// limit when K^N exceeds MaxExactCodes. O(K^N·(N·K + Dim)).
func newCodeSpace(s argmax.Structure) (*codeSpace, error) {
	n, k := s.Vars(), s.States()
	states := 1
	for i := 0; i < n; i++ {
		states *= k
		if states > MaxExactCodes {
			return nil, fmt.Errorf("train: the exact perturbed arg max enumerates all K^N codes; %d latents of %d states exceed the limit %d (n ≤ 16 binary latents)", n, k, MaxExactCodes)
		}
	}
	dim := s.Dim()
	cs := &codeSpace{s: s, states: states, z: make([]int, states*n),
		phiT: nn.NewMat(dim, states), feasible: make([]bool, states)}
	phi := make([]float32, dim)
	for c := 0; c < states; c++ {
		z := cs.z[c*n : (c+1)*n]
		idx := c
		for i := range z {
			z[i] = idx % k
			idx /= k
		}
		cs.feasible[c] = argmax.Feasible(s, z)
		clear(phi)
		s.AddFeatures(z, 1, phi)
		for j, p := range phi {
			cs.phiT.Data[j*states+c] = p
		}
	}
	return cs, nil
}

// code returns the latent values of code c (a view).
func (cs *codeSpace) code(c int) []int {
	n := cs.s.Vars()
	return cs.z[c*n : (c+1)*n]
}

// decodeAll sets F (resized to B×states) to f(x_b, z_c) = log p(x_b|z_c)
// for every example and code ([VAE.LogLikAll]), −Inf for infeasible codes.
// O(K^N·hidden·(N·K + D) + B·K^N·D).
func (cs *codeSpace) decodeAll(v *VAE, x nn.Mat, F *nn.Mat) error {
	if err := v.LogLikAll(x, cs.z, F); err != nil {
		return err
	}
	negInf := float32(math.Inf(-1))
	for c, ok := range cs.feasible {
		if ok {
			continue
		}
		for b := 0; b < x.Rows; b++ {
			F.Data[b*cs.states+c] = negInf
		}
	}
	return nil
}

// argmaxAll sets dst[b] (B×N, flat) to argmax_z w_b·φ(z) + eps·F[b,z] over
// all codes, for the float64 weights w[b] (Dim each). The scores are
// computed in float32 by one product; the codes within a rounding margin of
// the best are rescored in float64 with [argmax.Score] (the solvers'
// precision), ties going to the lowest code, so that for small eps the
// result agrees with a solver's arg max of w alone. V is scratch (B×states).
// O(B·K^N·Dim).
func (cs *codeSpace) argmaxAll(w [][]float64, F nn.Mat, eps float64, V, W32 *nn.Mat, dst []int) {
	B, n, dim := len(w), cs.s.Vars(), cs.s.Dim()
	nn.Resize(W32, B, dim)
	for b := 0; b < B; b++ {
		row := W32.Row(b)
		for j, x := range w[b][:dim] {
			row[j] = float32(x)
		}
	}
	nn.Resize(V, B, cs.states)
	nn.Gemm(false, false, 1, *W32, cs.phiT, 0, *V)
	e32 := float32(eps)
	for b := 0; b < B; b++ {
		vr, fr := V.Row(b), F.Row(b)
		best := float32(math.Inf(-1))
		for c := range vr {
			vr[c] += e32 * fr[c]
			if vr[c] > best {
				best = vr[c]
			}
		}
		// float32 products of magnitude up to Σ|terms| round by ~1e-7 of
		// it; a margin of 1e-4 relative (plus 1e-4) covers that with room.
		mag := float64(0)
		for _, x := range w[b][:dim] {
			mag += math.Abs(x)
		}
		margin := float32(1e-4 * (1 + mag + math.Abs(float64(best))))
		bestExact, arg := math.Inf(-1), -1
		for c, x := range vr {
			if x < best-margin || !cs.feasible[c] {
				continue
			}
			sc, _ := argmax.Score(cs.s, w[b], cs.code(c)) // codes and w are in range by construction
			s := sc + eps*float64(fr[c])
			if s > bestExact {
				bestExact, arg = s, c
			}
		}
		copy(dst[b*n:(b+1)*n], cs.code(arg))
	}
}
