package dataset

import (
	"bytes"
	"encoding/binary"
	"math"
	"slices"
	"strings"
	"testing"
)

func TestReadNPYValues(t *testing.T) {
	i8 := make([]byte, 8*4)
	for i, v := range []int64{-3, 0, 7, 1 << 40} {
		binary.LittleEndian.PutUint64(i8[8*i:], uint64(v))
	}
	a, err := ReadNPY(bytes.NewReader(encodeNPY("<i8", []int{2, 2}, i8)))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Shape, []int{2, 2}) || a.Len() != 4 || a.Int(0) != -3 || a.Int(3) != 1<<40 || a.Float(2) != 7 {
		t.Errorf("<i8: shape %v len %d values %d %d %v", a.Shape, a.Len(), a.Int(0), a.Int(3), a.Float(2))
	}
	f4 := make([]byte, 8)
	binary.LittleEndian.PutUint32(f4, math.Float32bits(-1.5))
	binary.LittleEndian.PutUint32(f4[4:], math.Float32bits(2.25))
	a, err = ReadNPY(bytes.NewReader(encodeNPY("<f4", []int{2}, f4)))
	if err != nil || a.Float(0) != -1.5 || a.Float(1) != 2.25 || a.Int(1) != 2 {
		t.Errorf("<f4: %v %v", a, err)
	}
	a, err = ReadNPY(bytes.NewReader(encodeNPY("|b1", []int{3}, []byte{0, 1, 255})))
	if err != nil || a.Int(0) != 0 || a.Int(2) != 255 {
		t.Errorf("|b1: %v %v", a, err)
	}
	a, err = ReadNPY(bytes.NewReader(encodeNPY("|u1", []int{}, []byte{42})))
	if err != nil || len(a.Shape) != 0 || a.Len() != 1 || a.Int(0) != 42 {
		t.Errorf("scalar |u1: %v %v", a, err)
	}
}

func TestParseNPYHeaderVariants(t *testing.T) {
	for _, tc := range []struct {
		dict  string
		major byte
		shape []int
	}{
		{`{'descr': '|u1', 'fortran_order': False, 'shape': (3, 4), }`, 1, []int{3, 4}},
		{`{"shape":(3L,4L),"descr":"|u1","fortran_order":False}`, 1, []int{3, 4}},
		{`{'descr': '|u1', 'fortran_order': False, 'shape': (12,), }`, 2, []int{12}},
		{`{'descr':'|u1','fortran_order':False,'shape':(2,2,3)}`, 3, []int{2, 2, 3}},
	} {
		in := append(encodeNPYHeader(tc.major, tc.dict), make([]byte, 12)...)
		a, err := ReadNPY(bytes.NewReader(in))
		if err != nil || !slices.Equal(a.Shape, tc.shape) || len(a.Data) != 12 {
			t.Errorf("%s (v%d): %v, %v", tc.dict, tc.major, a, err)
		}
	}
}

func TestReadNPYErrors(t *testing.T) {
	hdr := func(dict string) []byte { return encodeNPYHeader(1, dict) }
	good := encodeNPY("<i8", []int{2, 3}, make([]byte, 48))
	for _, tc := range []struct {
		name, want string
		in         []byte
	}{
		{"empty", "reading magic", nil},
		{"bad magic", "bad magic", append([]byte("\x93NUMPX"), good[6:]...)},
		{"version", "unsupported format version 4.0", append([]byte("\x93NUMPY\x04\x00"), good[8:]...)},
		{"pickle", `unsupported dtype "|O"`, hdr(`{'descr': '|O', 'fortran_order': False, 'shape': (2,), }`)},
		{"big endian", `unsupported dtype ">i8"`, hdr(`{'descr': '>i8', 'fortran_order': False, 'shape': (2,), }`)},
		{"structured", "structured dtypes", hdr(`{'descr': [('a', '<i4')], 'fortran_order': False, 'shape': (2,), }`)},
		{"fortran", "fortran_order True", hdr(`{'descr': '<i8', 'fortran_order': True, 'shape': (2, 3), }`)},
		{"missing shape", `missing key "shape"`, hdr(`{'descr': '<i8', 'fortran_order': False}`)},
		{"extra key", `unexpected key "x"`, hdr(`{'descr': '<i8', 'fortran_order': False, 'shape': (), 'x': 1}`)},
		{"duplicate", `duplicate key "descr"`, hdr(`{'descr': '<i8', 'descr': '<i8'}`)},
		{"bad shape", "want a dimension", hdr(`{'descr': '<i8', 'fortran_order': False, 'shape': (-2,), }`)},
		{"huge shape", "exceeds", hdr(`{'descr': '<f8', 'fortran_order': False, 'shape': (2147483647, 2147483647, 2147483647), }`)},
		{"header truncated", "header: truncated", good[:40]},
		{"data truncated", "truncated: want 48 bytes, got 40", good[:len(good)-8]},
		{"trailing", "trailing data", append(slices.Clone(good), 0)},
	} {
		_, err := ReadNPY(bytes.NewReader(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want it to contain %q", tc.name, err, tc.want)
		}
	}
}
