package argmax

import (
	"errors"
	"math/rand/v2"
	"testing"
)

func TestCategoricalMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var s Categorical
	for trial := 0; trial < 2000; trial++ {
		n, k := 1+r.IntN(4), 1+r.IntN(6)
		m := &Model{N: n, K: k, Unary: make([]float64, n*k)}
		kind := weightKind(trial % int(numWeightKinds))
		for i := range m.Unary {
			m.Unary[i] = draw(r, kind, false)
		}
		z := make([]int, n)
		got, err := s.Solve(m, z)
		if err != nil {
			t.Fatal(err)
		}
		want, wz := bruteForce(m)
		if got != want || m.Score(z) != got {
			t.Fatalf("model %+v: got %v at %v, want %v at %v", m, got, z, want, wz)
		}
		// Ties go to the lowest state: brute force scans states in
		// increasing order with a strict comparison, variable 0 fastest, so
		// for a separable objective its first maximizer is the
		// lowest-state one.
		for i := range z {
			if z[i] != wz[i] {
				t.Fatalf("model %+v: tie broken to %v, want lowest %v", m, z, wz)
			}
		}
	}
}

func TestCategoricalTiesLowestIndex(t *testing.T) {
	z := []int{-1}
	v, err := Categorical{}.Solve(NewCategorical([]float64{-1, 3, 2, 3, 3}), z)
	if err != nil || z[0] != 1 || v != 3 {
		t.Errorf("got z=%v v=%v err=%v, want z=1 v=3", z, v, err)
	}
}

func TestCategoricalErrors(t *testing.T) {
	z := make([]int, 2)
	if _, err := (Categorical{}).Solve(NewCategorical(nil), z); !errors.Is(err, ErrShape) {
		t.Errorf("k=0: err = %v", err)
	}
	m := NewBinary([]float64{1, 2}, []Edge{{0, 1, 1}})
	if _, err := (Categorical{}).Solve(m, z); !errors.Is(err, ErrUnsupported) {
		t.Errorf("edges: err = %v", err)
	}
	if _, err := (Categorical{}).Solve(NewBinary([]float64{1, 2}, nil), z[:1]); !errors.Is(err, ErrShape) {
		t.Errorf("short z: err = %v", err)
	}
}

func TestCategoricalNoAllocs(t *testing.T) {
	m := &Model{N: 20, K: 10, Unary: make([]float64, 200)}
	z := make([]int, 20)
	var s PairwiseSolver = Categorical{}
	if a := testing.AllocsPerRun(100, func() { s.Solve(m, z) }); a != 0 {
		t.Errorf("allocs per solve = %v, want 0", a)
	}
}
