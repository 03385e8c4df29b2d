package dataset

import (
	"errors"
	"math/rand/v2"
	"testing"
)

func TestResample(t *testing.T) {
	const n, d = 2000, Pixels
	s := &Set{Name: "t", N: n, D: d, X: make([]float32, n*d), Gray: make([]float32, n*d), Labels: make([]int, n)}
	for i := range s.Gray {
		s.Gray[i] = float32(i%d) / float32(d-1) // pixel j has gray j/(d-1), 0 … 1
	}
	if err := s.Resample(rand.New(rand.NewPCG(7, 8))); err != nil {
		t.Fatal(err)
	}
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
	// Per pixel column the frequency of ones estimates its gray level;
	// with n = 2000 draws the standard error is ≤ 0.0112, allow 5σ.
	for j := 0; j < d; j++ {
		ones := 0
		for i := 0; i < n; i++ {
			ones += int(s.X[i*d+j])
		}
		p := float64(s.Gray[j])
		if f := float64(ones) / n; f < p-0.056 || f > p+0.056 {
			t.Errorf("pixel %d: frequency %v, gray %v", j, f, p)
		}
		if (j == 0 && ones != 0) || (j == d-1 && ones != n) {
			t.Errorf("pixel %d with gray %v: %d ones of %d", j, p, ones, n)
		}
	}
	// Same seed, same draw.
	x1 := append([]float32(nil), s.X...)
	s.Resample(rand.New(rand.NewPCG(7, 8)))
	for i := range x1 {
		if x1[i] != s.X[i] {
			t.Fatalf("resample not reproducible at %d", i)
		}
	}
	b := &Set{Name: "bin", N: 1, D: 1, X: []float32{1}, Labels: []int{-1}}
	if err := b.Resample(rand.New(rand.NewPCG(1, 1))); !errors.Is(err, ErrNoGray) || b.X[0] != 1 {
		t.Errorf("resample without gray: err %v, X %v", err, b.X)
	}
}

func TestThresholdAndCheck(t *testing.T) {
	gray := []float32{0, 0.5, 0.50001, 1}
	x := make([]float32, 4)
	thresholdBinary(x, gray)
	if x[0] != 0 || x[1] != 0 || x[2] != 1 || x[3] != 1 {
		t.Errorf("threshold at > 0.5: %v", x)
	}
	s := &Set{Name: "c", N: 2, D: 2, X: []float32{0, 1, 1, 0}, Labels: []int{3, -1}}
	if err := s.Check(); err != nil {
		t.Error(err)
	}
	h := s.Head(1)
	if h.N != 1 || len(h.X) != 2 || h.Labels[0] != 3 || s.Head(9).N != 2 || s.Head(-1).N != 0 {
		t.Errorf("Head: %+v", h)
	}
	if img := s.Image(1); img[0] != 1 || img[1] != 0 {
		t.Errorf("Image(1) = %v", img)
	}
	for _, bad := range []*Set{
		{Name: "x", N: 1, D: 2, X: []float32{0, 0.5}, Labels: []int{0}},
		{Name: "x", N: 1, D: 2, X: []float32{0, 1}, Gray: []float32{0, 2}, Labels: []int{0}},
		{Name: "x", N: 2, D: 2, X: []float32{0, 1}, Labels: []int{0, 0}},
		{Name: "x", N: 1, D: 2, X: []float32{0, 1}, Labels: []int{-2}},
	} {
		if bad.Check() == nil {
			t.Errorf("Check accepted %+v", bad)
		}
	}
}

func TestBytesSetThreshold(t *testing.T) {
	px := make([]byte, Pixels)
	for i := range px {
		px[i] = byte(i % 256)
	}
	s := bytesSet("t", px, []int{0})
	for i, b := range px {
		want := float32(0)
		if float64(b)/255 > 0.5 {
			want = 1
		}
		if s.X[i] != want || s.Gray[i] != float32(b)/255 {
			t.Fatalf("byte %d: X %v Gray %v", b, s.X[i], s.Gray[i])
		}
	}
}
