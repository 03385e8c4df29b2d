package nn

import (
	"fmt"
	"math"
)

// RowGroups partitions the rows of a matrix into groups of bitwise
// identical rows, numbered in order of first appearance: Of[r] is row r's
// group and Rep[g] the first row of group g. A network computes the same
// output for identical rows, so [MLP.ForwardGrouped] evaluates one row per
// group: decoder inputs that are one-hot codes of a single categorical
// latent have at most K distinct rows in a batch. [RowGroups.Set] rebuilds
// it in place and allocates only when the batch grows.
type RowGroups struct {
	Of  []int32 // group of each row
	Rep []int32 // first row of each group

	table []int32 // open addressing: group+1, 0 = empty
}

// Set groups the rows of x. Expected O(Rows·Cols): each row is hashed and
// compared with the rows already seen that have the same hash slot.
func (g *RowGroups) Set(x Mat) {
	if x.Rows < 0 || x.Cols < 0 || len(x.Data) < x.Rows*x.Cols {
		panic(fmt.Sprintf("nn: RowGroups.Set: %d×%d matrix with %d elements", x.Rows, x.Cols, len(x.Data)))
	}
	g.Of = grow32(g.Of, x.Rows)
	if cap(g.Rep) < x.Rows {
		g.Rep = make([]int32, 0, x.Rows)
	}
	g.Rep = g.Rep[:0]
	size := 16
	for size < 2*x.Rows {
		size *= 2
	}
	g.table = grow32(g.table, size)
	clear(g.table)
	mask := uint64(size - 1)
	for r := 0; r < x.Rows; r++ {
		row := x.Row(r)
		slot := hashRow(row) & mask
		for {
			e := g.table[slot]
			if e == 0 {
				g.table[slot] = int32(len(g.Rep)) + 1
				g.Of[r] = int32(len(g.Rep))
				g.Rep = append(g.Rep, int32(r))
				break
			}
			if sameBits(row, x.Row(int(g.Rep[e-1]))) {
				g.Of[r] = e - 1
				break
			}
			slot = (slot + 1) & mask
		}
	}
}

// Len returns the number of groups.
func (g *RowGroups) Len() int { return len(g.Rep) }

// hashRow mixes the bits of a row (a multiply-xorshift per element).
func hashRow(row []float32) uint64 {
	h := uint64(len(row)) * 0x9e3779b97f4a7c15
	for _, v := range row {
		h ^= uint64(math.Float32bits(v))
		h *= 0xbf58476d1ce4e5b9
		h ^= h >> 31
	}
	return h
}

// sameBits reports whether two rows are bitwise equal.
func sameBits(a, b []float32) bool {
	b = b[:len(a)]
	for i, v := range a {
		if math.Float32bits(v) != math.Float32bits(b[i]) {
			return false
		}
	}
	return true
}
