package dataset

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

func TestReadIDXRoundTrip(t *testing.T) {
	for _, gz := range []bool{false, true} {
		for _, tc := range []struct {
			typ  byte
			dims []int
		}{{0x08, []int{3, 2, 2}}, {0x08, []int{5}}, {0x0B, []int{2, 3}}, {0x0E, []int{1, 0, 4}}, {0x0D, []int{7}}} {
			n := idxElemSize(tc.typ)
			for _, d := range tc.dims {
				n *= d
			}
			data := make([]byte, n)
			for i := range data {
				data[i] = byte(i*7 + 3)
			}
			a, err := ReadIDX(bytes.NewReader(encodeIDX(tc.typ, tc.dims, data, gz)))
			if err != nil {
				t.Fatalf("gz=%v type %x dims %v: %v", gz, tc.typ, tc.dims, err)
			}
			if a.Type != tc.typ || !slices.Equal(a.Dims, tc.dims) || !bytes.Equal(a.Data, data) {
				t.Errorf("gz=%v: got type %x dims %v %d bytes, want %x %v %d", gz, a.Type, a.Dims, len(a.Data), tc.typ, tc.dims, len(data))
			}
		}
	}
}

func TestReadIDXErrors(t *testing.T) {
	good := encodeIDX(0x08, []int{4, 3}, make([]byte, 12), false)
	goodGz := encodeIDX(0x08, []int{4, 3}, make([]byte, 12), true)
	badCRC := slices.Clone(goodGz)
	badCRC[len(badCRC)-6] ^= 0xff // inside the CRC-32 trailer
	for _, tc := range []struct {
		name, want string
		in         []byte
	}{
		{"empty", "reading magic", nil},
		{"bad magic", "bad magic", append([]byte{1, 0}, good[2:]...)},
		{"unknown type", "unknown element type 0x07", append([]byte{0, 0, 7}, good[3:]...)},
		{"zero dims", "zero dimensions", []byte{0, 0, 8, 0}},
		{"short dims", "reading 2 dimensions", good[:9]},
		{"truncated data", "truncated: want 12 bytes, got 5", good[:len(good)-7]},
		{"trailing", "trailing data after 24 bytes", append(slices.Clone(good), 9)},
		{"huge dims", "exceed", encodeIDX(0x0E, []int{1 << 20, 1 << 20, 1 << 20}, nil, false)},
		{"truncated gzip", "truncated", goodGz[:len(goodGz)-12]},
		{"gzip checksum", "checksum", badCRC},
		{"bad gzip header", "gzip", []byte{0x1f, 0x8b, 0, 0}},
	} {
		_, err := ReadIDX(bytes.NewReader(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want it to contain %q", tc.name, err, tc.want)
		}
	}
}
