package argmax

import (
	"encoding/binary"
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
		got, err := (&Exhaustive{}).Solve(m, z)
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
