package argmax

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// A Batch gives what one solver gives in sequence, for any number of
// workers, on structures of several kinds (general-sign pairwise models of
// random weights with ties, chains), and names a failing item.
func TestBatchEqualsSequential(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	general, _ := Complete(8, false)
	chain, _ := NewChain(5, 3)
	for _, c := range []struct {
		s      Structure
		solver string
	}{{general, "graycode"}, {general, "bnb"}, {chain, "viterbi"}} {
		const count = 257
		one, err := c.s.NewSolver(c.solver)
		if err != nil {
			t.Fatal(err)
		}
		ws, seqZ, seqV := make([][]float64, count), make([][]int, count), make([]float64, count)
		for i := range ws {
			ws[i] = make([]float64, c.s.Dim())
			for j := range ws[i] {
				ws[i][j] = draw(r, weightKind(i%int(numWeightKinds)), false)
			}
			seqZ[i] = make([]int, c.s.Vars())
			if seqV[i], err = one.Maximize(ws[i], seqZ[i]); err != nil {
				t.Fatal(err)
			}
		}
		for _, workers := range []int{1, 2, 3, 8, 0, 300} {
			b, err := NewBatch(c.s, c.solver, workers)
			if err != nil {
				t.Fatal(err)
			}
			zs, vals := make([][]int, count), make([]float64, count)
			for i := range zs {
				zs[i] = make([]int, c.s.Vars())
			}
			if err := b.Maximize(ws, zs, vals); err != nil {
				t.Fatal(err)
			}
			for i := range zs {
				if vals[i] != seqV[i] || !slices.Equal(zs[i], seqZ[i]) {
					t.Fatalf("%s, %d workers, item %d: %v (%v), sequential %v (%v)", c.solver, workers, i, zs[i], vals[i], seqZ[i], seqV[i])
				}
			}
			old := ws[200][3]
			ws[200][3] = math.NaN()
			if err := b.Maximize(ws, zs, vals); !errors.Is(err, ErrNotFinite) || !strings.Contains(err.Error(), "batch item 200") {
				t.Errorf("%s, %d workers: NaN in item 200 gave %v", c.solver, workers, err)
			}
			ws[200][3] = old
			if err := b.Maximize(ws, zs[:2], vals); !errors.Is(err, ErrShape) {
				t.Errorf("mismatched lengths: err = %v", err)
			}
		}
	}
	if _, err := NewBatch(chain, "maxflow", 2); err == nil {
		t.Error("NewBatch accepted a solver the chain does not have")
	}
}
