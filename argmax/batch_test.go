package argmax

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
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

// MaxBatch over a structure's solvers gives what one solver gives in
// sequence, for any number of workers, and names a failing item.
func TestMaxBatchEqualsSequential(t *testing.T) {
	s, err := NewChain(5, 3)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(15, 16))
	const n = 37
	ws, want := make([][]float64, n), make([][]int, n)
	one, _ := s.NewSolver("viterbi")
	for i := range ws {
		ws[i] = make([]float64, s.Dim())
		for j := range ws[i] {
			ws[i][j] = r.NormFloat64()
		}
		want[i] = make([]int, 5)
		if _, err := one.Maximize(ws[i], want[i]); err != nil {
			t.Fatal(err)
		}
	}
	for _, workers := range []int{1, 2, 5, 64} {
		b, err := NewMaxBatch(s, "viterbi", workers)
		if err != nil {
			t.Fatal(err)
		}
		zs, vals := make([][]int, n), make([]float64, n)
		for i := range zs {
			zs[i] = make([]int, 5)
		}
		if err := b.Solve(ws, zs, vals); err != nil {
			t.Fatal(err)
		}
		for i := range zs {
			if !slices.Equal(zs[i], want[i]) || vals[i] != Score(s, ws[i], zs[i]) {
				t.Fatalf("%d workers, item %d: %v (%v), sequential %v", workers, i, zs[i], vals[i], want[i])
			}
		}
		ws[20][3] = math.NaN()
		if err := b.Solve(ws, zs, vals); err == nil || !strings.Contains(err.Error(), "batch model 20") {
			t.Errorf("%d workers: NaN in item 20 gave %v", workers, err)
		}
		ws[20][3] = 0
	}
	if _, err := NewMaxBatch(s, "maxflow", 2); err == nil {
		t.Error("NewMaxBatch accepted a solver the chain does not have")
	}
}
