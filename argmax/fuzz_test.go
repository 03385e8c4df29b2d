package argmax

import (
	"encoding/binary"
	"errors"
	"math"
	"testing"
)

// floats decodes data into float64s, 8 bytes each.
func floats(data []byte) []float64 {
	v := make([]float64, len(data)/8)
	for i := range v {
		v[i] = math.Float64frombits(binary.LittleEndian.Uint64(data[8*i:]))
	}
	return v
}

// FuzzNewDense builds dense models from arbitrary bytes: the constructor
// must return an error or a valid model, never panic, and a valid model must
// be solvable with a value its assignment attains.
func FuzzNewDense(f *testing.F) {
	f.Add(uint8(2), make([]byte, 48))
	f.Add(uint8(3), []byte("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789"))
	f.Fuzz(func(t *testing.T, n uint8, data []byte) {
		size := int(n % 8)
		v := floats(data)
		if len(v) < size+size*size {
			return
		}
		theta := v[:size]
		w := make([][]float64, size)
		for i := range w {
			w[i] = v[size+i*size : size+(i+1)*size]
		}
		m, err := NewDense(theta, w)
		if err != nil {
			return
		}
		if err := m.Validate(); err != nil {
			t.Fatalf("NewDense returned an invalid model: %v", err)
		}
		if size == 0 {
			return
		}
		z := make([]int, size)
		got, err := (&GrayCode{}).Solve(m, z)
		if err != nil {
			t.Fatal(err)
		}
		if got != m.Score(z) {
			t.Fatalf("value %v but z scores %v", got, m.Score(z))
		}
	})
}

// FuzzValidate decodes an arbitrary Model (shape, scores, edges):
// Validate must never panic, and when it accepts, Score and Categorical (for
// edge-free models) must not panic either.
func FuzzValidate(f *testing.F) {
	f.Add(uint8(1), uint8(3), []byte{}, []byte{})
	f.Add(uint8(2), uint8(2), make([]byte, 32), []byte{0, 1, 1, 0})
	f.Fuzz(func(t *testing.T, n, k uint8, scores, edges []byte) {
		m := &Model{N: int(n % 16), K: int(k % 8), Unary: floats(scores)}
		for i := 0; i+2 < len(edges); i += 3 {
			m.Edges = append(m.Edges, Edge{I: int(int8(edges[i])), J: int(int8(edges[i+1])), W: float64(int8(edges[i+2]))})
		}
		if m.Validate() != nil {
			return
		}
		z := make([]int, m.N)
		m.Score(z)
		if len(m.Edges) == 0 {
			if _, err := (Categorical{}).Solve(m, z); err != nil {
				t.Fatalf("valid edge-free model refused: %v", err)
			}
		}
	})
}

// FuzzShape gives Validate, every solver and the pairwise rule arbitrary N and K over
// the whole int range (including N·K that overflows) with a short Unary and
// a few edges: none may panic, a refused shape must be ErrShape, and an
// accepted model must be solved or refused with an error.
func FuzzShape(f *testing.F) {
	f.Add(int64(4), int64(1)<<62, []byte{}, []byte{})
	f.Add(int64(1)<<62, int64(4), make([]byte, 32), []byte{})
	f.Add(int64(math.MaxInt64), int64(2), make([]byte, 16), []byte{0, 1, 1})
	f.Add(int64(1)<<32, int64(1)<<31, []byte{}, []byte{})
	f.Add(int64(-3), int64(-1)<<62, []byte{}, []byte{})
	f.Add(int64(2), int64(2), make([]byte, 32), []byte{0, 1, 255})
	f.Add(int64(3), int64(1), make([]byte, 24), []byte{})
	f.Fuzz(func(t *testing.T, n, k int64, scores, edges []byte) {
		m := &Model{N: int(n), K: int(k), Unary: floats(scores)}
		for i := 0; i+2 < len(edges); i += 3 {
			m.Edges = append(m.Edges, Edge{I: int(int8(edges[i])), J: int(int8(edges[i+1])), W: float64(int8(edges[i+2]))})
		}
		err := m.Validate()
		if err != nil && n >= 1 && k >= 1 && (k > math.MaxInt/n || int64(len(m.Unary)) != n*k) && !errors.Is(err, ErrShape) {
			t.Fatalf("N=%d K=%d len(Unary)=%d: %v, want ErrShape", n, k, len(m.Unary), err)
		}
		out := make([]int, max(0, min(m.N, 64)))
		// A node limit keeps each input fast: this target is about shapes.
		for _, s := range []PairwiseSolver{Categorical{}, &GrayCode{}, &GraphCut{}, &BranchAndBound{NodeLimit: 10000}, &MaxProduct{}} {
			if _, ok := s.(*GrayCode); ok && err == nil && m.N > 20 {
				continue // valid but slow to enumerate
			}
			_, serr := s.Solve(m, out)
			if err != nil && serr == nil {
				t.Fatalf("%T solved a model Validate refuses (%v)", s, err)
			}
		}
		if p := (&Pairwise{N: m.N, K: m.K, Edges: m.Edges}); p.Validate() != nil && len(p.Solvers()) > 0 {
			t.Fatalf("the pairwise rule listed solvers for a shape Validate refuses (%v)", p.Validate())
		}
	})
}
