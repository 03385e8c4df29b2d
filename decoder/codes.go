package decoder

// codeSet numbers the distinct codes among the rows of a Variants chunk,
// so that each distinct code is decoded once however many examples need
// it (an example's own code is often another's one-flip variant, and
// examples share codes). A code of N latents with K states is packed into
// a uint64 key, ⌈log₂K⌉ bits per latent; when N·⌈log₂K⌉ > 64 the set is
// not used and every row is its own code. Open addressing with linear
// probing in a table of at least twice the rows; a generation stamp
// clears it in O(1). Insert is O(1) expected, and nothing is allocated
// once the table has grown. ([nn.RowGroups] groups the rows of a matrix the
// same way, but here the rows are never built as one-hot rows: hashing
// them would cost O(N·K) per row, N·K times more than a packed key.)
type codeSet struct {
	keys  []uint64
	vals  []int32
	stamp []uint32
	gen   uint32
	mask  uint64
}

// packBits returns the bits per latent of a packed key, or 0 when n
// latents of k states do not fit in 64 bits.
func packBits(n, k int) uint {
	w := uint(1)
	for (1 << w) < k {
		w++
	}
	if uint(n)*w > 64 {
		return 0
	}
	return w
}

// reset empties the set and makes room for up to rows codes.
func (c *codeSet) reset(rows int) {
	size := 16
	for size < 2*rows {
		size *= 2
	}
	if len(c.keys) < size {
		c.keys = make([]uint64, size)
		c.vals = make([]int32, size)
		c.stamp = make([]uint32, size)
		c.gen = 0
	}
	c.mask = uint64(len(c.keys) - 1)
	c.gen++
	if c.gen == 0 { // wrapped: old stamps could match again
		clear(c.stamp)
		c.gen = 1
	}
}

// insert returns the number of key, giving it next when it is new; added
// reports whether it was.
func (c *codeSet) insert(key uint64, next int32) (v int32, added bool) {
	h := key * 0x9e3779b97f4a7c15
	h ^= h >> 29
	for i := h & c.mask; ; i = (i + 1) & c.mask {
		if c.stamp[i] != c.gen {
			c.stamp[i], c.keys[i], c.vals[i] = c.gen, key, next
			return next, true
		}
		if c.keys[i] == key {
			return c.vals[i], false
		}
	}
}
