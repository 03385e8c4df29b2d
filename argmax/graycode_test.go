package argmax

import (
	"errors"
	"math/rand/v2"
	"testing"
)

// GrayCode is the reference for every other solver, so it is checked
// against an independent brute force that scores each assignment afresh.
func TestExhaustiveMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var x GrayCode
	for n := 1; n <= 10; n++ {
		trials := 300
		if n > 8 {
			trials = 60
		}
		for trial := 0; trial < trials; trial++ {
			kind := weightKind(trial % int(numWeightKinds))
			density := []float64{0, 0.3, 1}[trial%3]
			m := randomBinary(r, n, density, kind, trial%2 == 0)
			z := make([]int, n)
			got, err := x.Solve(m, z)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := bruteForce(m)
			if !closeRel(got, want, 1e-9) || m.Score(z) != got {
				t.Fatalf("n=%d kind=%d: got %v (score %v) at %v, want %v", n, kind, got, m.Score(z), z, want)
			}
		}
	}
}

func TestExhaustiveTieIsFirstInGrayOrder(t *testing.T) {
	// All-zero model: every assignment ties; the first is z = 0.
	z := []int{7, 7, 7}
	v, err := (&GrayCode{}).Solve(NewBinary(make([]float64, 3), nil), z)
	if err != nil || v != 0 || z[0]|z[1]|z[2] != 0 {
		t.Errorf("got %v %v %v, want z=000", z, v, err)
	}
}

func TestExhaustiveErrors(t *testing.T) {
	var x GrayCode
	big := NewBinary(make([]float64, MaxGrayCodeVars+1), nil)
	if _, err := x.Solve(big, make([]int, big.N)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("n over cap: err = %v", err)
	}
	cat := NewCategorical([]float64{1, 2, 3})
	if _, err := x.Solve(cat, make([]int, 1)); !errors.Is(err, ErrUnsupported) {
		t.Errorf("K=3: err = %v", err)
	}
}

func TestExhaustiveNoAllocs(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	m := randomBinary(r, 10, 1, realWeights, false)
	z := make([]int, 10)
	x := &GrayCode{}
	x.Solve(m, z)
	if a := testing.AllocsPerRun(20, func() { x.Solve(m, z) }); a != 0 {
		t.Errorf("allocs per solve = %v, want 0", a)
	}
}
