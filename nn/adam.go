package nn

import (
	"fmt"
	"math"
)

// Adam is the Adam optimiser with PyTorch's update rule (torch.optim.Adam,
// no weight decay, no amsgrad):
//
//	m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²
//	w ← w − (LR/(1−β₁ᵗ)) · m / (√v/√(1−β₂ᵗ) + Eps)
//
// LR may be changed between steps (annealing). The moments and the step
// count are exposed through [Adam.State] so a checkpoint can resume exactly.
type Adam struct {
	LR, Beta1, Beta2, Eps float32

	ps   []Param
	m, v [][]float32
	// step holds the number of steps taken as two float32 halves
	// (low 24 bits, high bits) so that it survives a float32 checkpoint
	// exactly.
	step []float32
}

// NewAdam returns an optimiser for ps with learning rate lr and PyTorch's
// defaults β₁ = 0.9, β₂ = 0.999, Eps = 1e-8. The moments start at zero.
// A learning rate that is not a finite number > 0, or a parameter whose
// gradient is not as long as its values, is an error naming it.
func NewAdam(ps []Param, lr float32) (*Adam, error) {
	if !(lr > 0) || math.IsInf(float64(lr), 0) {
		return nil, fmt.Errorf("nn: NewAdam: learning rate %v, want a finite number > 0", lr)
	}
	a := &Adam{LR: lr, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, ps: ps, step: make([]float32, 2)}
	for _, p := range ps {
		if len(p.G) != len(p.W) {
			return nil, fmt.Errorf("nn: NewAdam: param %q has %d values and %d gradients", p.Name, len(p.W), len(p.G))
		}
		a.m = append(a.m, make([]float32, len(p.W)))
		a.v = append(a.v, make([]float32, len(p.W)))
	}
	return a, nil
}

// Steps returns the number of updates taken so far.
func (a *Adam) Steps() int { return int(a.step[1])<<24 | int(a.step[0]) }

func (a *Adam) setSteps(t int) {
	a.step[0], a.step[1] = float32(t&(1<<24-1)), float32(t>>24)
}

// Step applies one update to every parameter from its gradient G. It does
// not zero G. O(number of parameters), no allocations.
func (a *Adam) Step() {
	t := a.Steps() + 1
	a.setSteps(t)
	b1, b2 := float64(a.Beta1), float64(a.Beta2)
	bc1 := 1 - math.Pow(b1, float64(t))
	bc2sqrt := math.Sqrt(1 - math.Pow(b2, float64(t)))
	stepSize := float32(float64(a.LR) / bc1)
	inv := float32(1 / bc2sqrt)
	c1, c2 := 1-a.Beta1, 1-a.Beta2
	for i, p := range a.ps {
		// Large tensors are split across the workers of SetThreads:
		// elements are updated independently, so the split changes no bit.
		n := len(p.W)
		if parts(n, 64, 4*n) == 1 {
			adamUpdate(p.W, p.G, a.m[i], a.v[i], a.Beta1, c1, a.Beta2, c2, stepSize, inv, a.Eps)
			continue
		}
		m, v := a.m[i], a.v[i]
		parRows(n, 64, 4*n, func(lo, hi int) {
			adamUpdate(p.W[lo:hi], p.G[lo:hi], m[lo:hi], v[lo:hi], a.Beta1, c1, a.Beta2, c2, stepSize, inv, a.Eps)
		})
	}
}

// adamUpdateGo is the per-element update of one parameter tensor in Go:
// the kernel of the pure-Go build and the reference that the vectorised C
// kernels of the default build match bit for bit.
//
// Every product is converted to float32 explicitly before it is added:
// the Go spec lets the compiler fuse x*y + z into one FMA (it does with
// GOAMD64=v3 and on arm64), which skips the product's rounding, and an
// explicit conversion forbids that. So the results are those of separately
// rounded single-precision operations on every platform, as in the C
// kernels, and a checkpointed run resumes identically across builds.
func adamUpdateGo(w, g, m, v []float32, b1, c1, b2, c2, stepSize, inv, eps float32) {
	g, m, v = g[:len(w)], m[:len(w)], v[:len(w)]
	for j, gj := range g {
		mj := float32(b1*m[j]) + float32(c1*gj)
		vj := float32(b2*v[j]) + float32(float32(c2*gj)*gj)
		m[j], v[j] = mj, vj
		den := float32(float32(math.Sqrt(float64(vj)))*inv) + eps
		w[j] -= float32(stepSize*mj) / den
	}
}

// State returns the optimiser's state as parameters for [Save] and [Load]:
// "adam.m/<name>" and "adam.v/<name>" for each parameter's moments, and
// "adam.step" for the step count. The slices are the live state, so loading
// into them restores the optimiser.
func (a *Adam) State() []Param {
	var out []Param
	for i, p := range a.ps {
		r, c := p.shape()
		out = append(out,
			Param{Name: "adam.m/" + p.Name, W: a.m[i], Rows: r, Cols: c},
			Param{Name: "adam.v/" + p.Name, W: a.v[i], Rows: r, Cols: c})
	}
	return append(out, Param{Name: "adam.step", W: a.step, Rows: 2, Cols: 1})
}
