package argmax

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestBatchEqualsSequential(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	const count = 257
	models := make([]*Model, count)
	for i := range models {
		models[i] = randomBinary(r, 1+r.IntN(10), 0.5, weightKind(i%int(numWeightKinds)), false)
	}
	seqZ, seqV := make([][]int, count), make([]float64, count)
	x := &Exhaustive{}
	for i, m := range models {
		seqZ[i] = make([]int, m.N)
		v, err := x.Solve(m, seqZ[i])
		if err != nil {
			t.Fatal(err)
		}
		seqV[i] = v
	}
	for _, workers := range []int{1, 2, 3, 8, 0} {
		b := NewBatch(func() Solver { return &Exhaustive{} }, workers)
		zs, vals := make([][]int, count), make([]float64, count)
		for i, m := range models {
			zs[i] = make([]int, m.N)
		}
		if err := b.Solve(models, zs, vals); err != nil {
			t.Fatal(err)
		}
		for i := range models {
			if vals[i] != seqV[i] {
				t.Fatalf("workers=%d model %d: value %v, sequential %v", workers, i, vals[i], seqV[i])
			}
			for j := range zs[i] {
				if zs[i][j] != seqZ[i][j] {
					t.Fatalf("workers=%d model %d: z %v, sequential %v", workers, i, zs[i], seqZ[i])
				}
			}
		}
	}
}

func TestBatchErrorNamesModel(t *testing.T) {
	models := []*Model{NewBinary([]float64{1}, nil), NewBinary([]float64{math.NaN()}, nil), NewBinary([]float64{2}, nil)}
	zs := [][]int{{0}, {0}, {0}}
	b := NewBatch(func() Solver { return Categorical{} }, 2)
	err := b.Solve(models, zs, make([]float64, 3))
	if !errors.Is(err, ErrNotFinite) || !strings.Contains(err.Error(), "batch model 1") {
		t.Errorf("err = %v, want NaN error naming model 1", err)
	}
	if err := b.Solve(models, zs[:2], make([]float64, 3)); !errors.Is(err, ErrShape) {
		t.Errorf("mismatched lengths: err = %v", err)
	}
}
