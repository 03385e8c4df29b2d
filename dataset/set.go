package dataset

import (
	"errors"
	"fmt"
	"math/rand/v2"
)

// Side is the width and height of every image; Pixels = Side·Side is the
// number of pixels per image (Set.D).
const (
	Side   = 28
	Pixels = Side * Side
)

// ErrNoGray is returned by [Set.Resample] (wrapped) for sets whose source is
// already binary and so carries no intensities to sample from.
var ErrNoGray = errors.New("set has no gray intensities (source is already binary)")

// Set is one split of a data set: N images of D pixels each.
type Set struct {
	// Name is "<data set>/<split>", e.g. "mnist/train".
	Name string
	// N is the number of images and D the pixels per image (784).
	N, D int
	// X holds the binarized images, N×D row-major, values 0 or 1.
	X []float32
	// Gray holds the intensities in [0,1] before binarization, N×D
	// row-major; nil for sources that are already binary.
	Gray []float32
	// Labels holds the class of each image, -1 where unknown.
	Labels []int
}

// Splits groups the three splits of a data set.
type Splits struct {
	Train, Valid, Test *Set
}

// Image returns the binarized pixels of image i (a sub-slice of X, not a
// copy). It panics if i is out of range, like slice indexing.
func (s *Set) Image(i int) []float32 {
	return s.X[i*s.D : (i+1)*s.D]
}

// Head returns a set viewing the first n images of s (n is clamped to
// [0, N]). The slices are shared with s, not copied.
func (s *Set) Head(n int) *Set {
	n = max(0, min(n, s.N))
	h := &Set{Name: fmt.Sprintf("%s[:%d]", s.Name, n), N: n, D: s.D,
		X: s.X[: n*s.D : n*s.D], Labels: s.Labels[:n:n]}
	if s.Gray != nil {
		h.Gray = s.Gray[: n*s.D : n*s.D]
	}
	return h
}

// Resample redraws the binarization: X[i] = 1 with probability Gray[i],
// independently for every pixel (dynamic binarization). It returns an error
// wrapping [ErrNoGray] and leaves X unchanged when Gray is nil. O(N·D).
func (s *Set) Resample(r *rand.Rand) error {
	if s.Gray == nil {
		return fmt.Errorf("dataset: resample %s: %w", s.Name, ErrNoGray)
	}
	if len(s.Gray) != len(s.X) {
		return fmt.Errorf("dataset: resample %s: %d gray values for %d pixels", s.Name, len(s.Gray), len(s.X))
	}
	sampleBinary(s.X, s.Gray, r)
	return nil
}

// Check verifies the invariants of s: slice lengths match N and D, X holds
// only 0 and 1, Gray (if present) lies in [0,1] and labels are ≥ -1. It
// reports the first violation with its index.
func (s *Set) Check() error {
	if s.N < 0 || s.D <= 0 {
		return fmt.Errorf("dataset: %s: bad size N=%d D=%d", s.Name, s.N, s.D)
	}
	if len(s.X) != s.N*s.D {
		return fmt.Errorf("dataset: %s: len(X)=%d, want N·D=%d", s.Name, len(s.X), s.N*s.D)
	}
	if s.Gray != nil && len(s.Gray) != len(s.X) {
		return fmt.Errorf("dataset: %s: len(Gray)=%d, want %d", s.Name, len(s.Gray), len(s.X))
	}
	if len(s.Labels) != s.N {
		return fmt.Errorf("dataset: %s: len(Labels)=%d, want N=%d", s.Name, len(s.Labels), s.N)
	}
	for i, v := range s.X {
		if v != 0 && v != 1 {
			return fmt.Errorf("dataset: %s: X[%d]=%v is not 0 or 1", s.Name, i, v)
		}
	}
	for i, g := range s.Gray {
		if !(g >= 0 && g <= 1) {
			return fmt.Errorf("dataset: %s: Gray[%d]=%v outside [0,1]", s.Name, i, g)
		}
	}
	for i, l := range s.Labels {
		if l < -1 {
			return fmt.Errorf("dataset: %s: Labels[%d]=%d < -1", s.Name, i, l)
		}
	}
	return nil
}

// sampleBinary sets x[i] = 1 with probability gray[i]. Float32 is in [0,1),
// so gray 0 never fires and gray 1 always does.
func sampleBinary(x, gray []float32, r *rand.Rand) {
	for i, g := range gray {
		if r.Float32() < g {
			x[i] = 1
		} else {
			x[i] = 0
		}
	}
}

// thresholdBinary sets x[i] = 1 iff gray[i] > 0.5.
func thresholdBinary(x, gray []float32) {
	for i, g := range gray {
		if g > 0.5 {
			x[i] = 1
		} else {
			x[i] = 0
		}
	}
}
