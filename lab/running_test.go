package lab

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// Running's means and variances are the two-pass ones, on data whose mean
// is large against its spread (where the naive Σx² − n·mean² loses every
// digit).
func TestRunningMatchesTwoPass(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const n, d = 500, 3
	xs := make([][]float64, n)
	var acc Running
	for i := range xs {
		xs[i] = []float64{1e9 + r.NormFloat64(), r.Float64(), -3}
		if err := acc.Add(xs[i]); err != nil {
			t.Fatal(err)
		}
	}
	for j := 0; j < d; j++ {
		mean, ss := 0.0, 0.0
		for _, x := range xs {
			mean += x[j] / n
		}
		for _, x := range xs {
			ss += (x[j] - mean) * (x[j] - mean)
		}
		if v := ss / (n - 1); math.Abs(acc.Mean()[j]-mean) > 1e-6 || math.Abs(acc.Var(j)-v) > 1e-6*math.Max(v, 1e-12) {
			t.Errorf("coordinate %d: mean %v var %v, two-pass %v %v", j, acc.Mean()[j], acc.Var(j), mean, v)
		}
	}
	if acc.N() != n || acc.Var(2) != 0 || math.Abs(acc.SE2()-(acc.Var(0)+acc.Var(1))/n) > 1e-15 {
		t.Errorf("N %d, constant coordinate's variance %v, SE2 %v", acc.N(), acc.Var(2), acc.SE2())
	}
	if !math.IsNaN(NewRunning(2).Var(0)) {
		t.Error("the variance of no data is not NaN")
	}
}

func ExampleRunning() {
	var r Running
	for _, x := range [][]float64{{1, 10}, {2, 10}, {3, 10}} {
		if err := r.Add(x); err != nil {
			panic(err) // a vector of another length
		}
	}
	fmt.Println(r.Mean(), r.Var(0), r.Var(1))
	// Output: [2 10] 1 0
}

// A vector of another length is refused with an error, not folded in
// partly (a shorter one used to leave the last coordinates untouched) and
// without a panic; the accumulator is left as it was.
func TestRunningRefusesAnotherLength(t *testing.T) {
	for _, x := range [][]float64{{1}, {1, 2, 3}} {
		r := NewRunning(2)
		if err := r.Add([]float64{4, 5}); err != nil {
			t.Fatal(err)
		}
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Errorf("Add of %d coordinates to 2: panic %v", len(x), p)
				}
			}()
			if err := r.Add(x); err == nil || !strings.Contains(err.Error(), "accumulator of 2") {
				t.Errorf("Add of %d coordinates to 2: error %v", len(x), err)
			}
		}()
		if r.N() != 1 || r.Mean()[0] != 4 || r.Mean()[1] != 5 {
			t.Errorf("after a refused Add: n %d, mean %v", r.N(), r.Mean())
		}
	}
}
