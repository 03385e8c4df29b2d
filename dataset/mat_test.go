package dataset

import (
	"bytes"
	"encoding/binary"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestReadMATRoundTrip(t *testing.T) {
	u8 := &MATVar{Name: "X", Class: 9, Dims: []int{2, 3}, typ: miUINT8, data: []byte{1, 2, 3, 4, 5, 6}}
	f8 := make([]byte, 8*4)
	for i, v := range []float64{0.5, -2, 1e300, 3} {
		binary.LittleEndian.PutUint64(f8[8*i:], math.Float64bits(v))
	}
	dbl := &MATVar{Name: "a_longer_name", Class: 6, Dims: []int{1, 4}, typ: miDOUBLE, data: f8}
	// A double matrix stored as uint8, as MATLAB does for small integers.
	narrow := &MATVar{Name: "ab", Class: 6, Dims: []int{3, 1}, typ: miUINT8, data: []byte{0, 1, 200}}
	for _, compress := range []bool{false, true} {
		vars, err := ReadMAT(bytes.NewReader(encodeMAT([]*MATVar{u8, dbl, narrow}, compress)))
		if err != nil {
			t.Fatalf("compress=%v: %v", compress, err)
		}
		if len(vars) != 3 {
			t.Fatalf("compress=%v: %d vars", compress, len(vars))
		}
		for k, want := range []*MATVar{u8, dbl, narrow} {
			got := vars[k]
			if got.Name != want.Name || got.Class != want.Class || !slices.Equal(got.Dims, want.Dims) || got.Len() != want.Len() {
				t.Errorf("compress=%v var %d: got %q class %d dims %v len %d", compress, k, got.Name, got.Class, got.Dims, got.Len())
				continue
			}
			for i := 0; i < want.Len(); i++ {
				if got.Value(i) != want.Value(i) {
					t.Errorf("var %q value %d: %v != %v", want.Name, i, got.Value(i), want.Value(i))
				}
			}
		}
	}
	if vars, _ := ReadMAT(bytes.NewReader(encodeMAT([]*MATVar{dbl}, false))); vars[0].Value(2) != 1e300 {
		t.Errorf("double value: %v", vars[0].Value(2))
	}
}

func TestReadMATErrors(t *testing.T) {
	u8 := &MATVar{Name: "X", Class: 9, Dims: []int{2, 3}, typ: miUINT8, data: []byte{1, 2, 3, 4, 5, 6}}
	good := encodeMAT([]*MATVar{u8}, true)
	plain := encodeMAT([]*MATVar{u8}, false)
	set := func(b []byte, off int, v []byte) []byte { b = slices.Clone(b); copy(b[off:], v); return b }
	cell := set(plain, 128+8+8, []byte{1}) // class byte of the array flags
	complexFlag := set(plain, 128+8+8+1, []byte{0x08})
	shortData := &MATVar{Name: "X", Class: 9, Dims: []int{2, 3}, typ: miUINT8, data: []byte{1, 2, 3}}
	for _, tc := range []struct {
		name, want string
		in         []byte
	}{
		{"empty", "128-byte header", nil},
		{"not matlab", "does not start with", set(good, 0, []byte("OCTAVE"))},
		{"big endian", "big-endian", set(good, 126, []byte("MI"))},
		{"bad indicator", "bad endian indicator", set(good, 126, []byte("XX"))},
		{"version", "version 0x0200", set(good, 124, []byte{0, 2})},
		{"truncated file", "only " + strconv.Itoa(len(good)-136-5) + " left", good[:len(good)-5]},
		{"truncated zlib", "compressed element at offset 128: unexpected EOF", set(good[:len(good)-5], 132, []byte{byte(len(good) - 136 - 5)})},
		{"corrupt zlib", "compressed element at offset 128: zlib: invalid checksum", set(good, len(good)-1, []byte{good[len(good)-1] ^ 1})},
		{"element overrun", "claims", plain[:len(plain)-16]},
		{"cell array", "not numeric", cell},
		{"complex", "complex", complexFlag},
		{"length mismatch", "want 6", encodeMAT([]*MATVar{shortData}, false)},
		{"stray element", "unexpected element type 2", append(slices.Clone(plain), 2, 0, 0, 0, 0, 0, 0, 0)},
		{"short tag", "truncated tag", append(slices.Clone(plain), 1, 2, 3)},
	} {
		_, err := ReadMAT(bytes.NewReader(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want it to contain %q", tc.name, err, tc.want)
		}
	}
}
