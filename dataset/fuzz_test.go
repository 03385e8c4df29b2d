package dataset

import (
	"bytes"
	"slices"
	"testing"
)

// The fuzz targets check that the readers never panic and that whatever
// they accept is self-consistent: the payload length matches the shape, and
// re-encoding and decoding again gives the same array.

func FuzzIDX(f *testing.F) {
	f.Add(encodeIDX(0x08, []int{2, 3}, []byte{1, 2, 3, 4, 5, 6}, false))
	f.Add(encodeIDX(0x0C, []int{1}, []byte{0, 0, 0, 7}, true))
	f.Add(encodeIDX(0x08, []int{0, 5}, nil, false))
	f.Add([]byte{0, 0, 8, 1, 0xff, 0xff, 0xff, 0xff})
	f.Add([]byte{0x1f, 0x8b, 8, 0})
	f.Fuzz(func(t *testing.T, in []byte) {
		a, err := ReadIDX(bytes.NewReader(in))
		if err != nil {
			return
		}
		n := idxElemSize(a.Type)
		for _, d := range a.Dims {
			n *= d
		}
		if n != len(a.Data) || len(a.Dims) == 0 {
			t.Fatalf("type %x dims %v: %d data bytes, want %d", a.Type, a.Dims, len(a.Data), n)
		}
		b, err := ReadIDX(bytes.NewReader(encodeIDX(a.Type, a.Dims, a.Data, false)))
		if err != nil || b.Type != a.Type || !slices.Equal(b.Dims, a.Dims) || !bytes.Equal(b.Data, a.Data) {
			t.Fatalf("round trip: %v", err)
		}
	})
}

func FuzzNPY(f *testing.F) {
	f.Add(encodeNPY("<i8", []int{2, 1}, make([]byte, 16)))
	f.Add(encodeNPY("|b1", []int{3}, []byte{0, 1, 255}))
	f.Add(encodeNPY("<f4", []int{}, make([]byte, 4)))
	f.Add(encodeNPYHeader(2, `{"descr":"|u1","fortran_order":False,"shape":(0L,)}`))
	f.Add(encodeNPYHeader(1, `{'descr': '|O', 'fortran_order': False, 'shape': (1,), }`))
	f.Fuzz(func(t *testing.T, in []byte) {
		a, err := ReadNPY(bytes.NewReader(in))
		if err != nil {
			return
		}
		n := npyElemSize(a.Descr)
		for _, d := range a.Shape {
			n *= d
		}
		if n == 0 && npyElemSize(a.Descr) == 0 || n != len(a.Data) {
			t.Fatalf("descr %q shape %v: %d data bytes, want %d", a.Descr, a.Shape, len(a.Data), n)
		}
		for i := 0; i < a.Len() && i < 4; i++ {
			a.Int(i)
			a.Float(i)
		}
		b, err := ReadNPY(bytes.NewReader(encodeNPY(a.Descr, a.Shape, a.Data)))
		if err != nil || b.Descr != a.Descr || !slices.Equal(b.Shape, a.Shape) || !bytes.Equal(b.Data, a.Data) {
			t.Fatalf("round trip: %v", err)
		}
	})
}

func FuzzMAT(f *testing.F) {
	u8 := &MATVar{Name: "X", Class: 9, Dims: []int{2, 2}, typ: miUINT8, data: []byte{0, 1, 1, 0}}
	dbl := &MATVar{Name: "weights", Class: 6, Dims: []int{1, 1}, typ: miDOUBLE, data: make([]byte, 8)}
	f.Add(encodeMAT([]*MATVar{u8}, true))
	f.Add(encodeMAT([]*MATVar{u8, dbl}, false))
	f.Add(encodeMAT(nil, false))
	f.Fuzz(func(t *testing.T, in []byte) {
		vars, err := ReadMAT(bytes.NewReader(in))
		if err != nil {
			return
		}
		for _, v := range vars {
			n := 1
			for _, d := range v.Dims {
				n *= d
			}
			if len(v.Dims) < 2 || v.Len() != n || len(v.data) != n*matTypeSize(v.typ) {
				t.Fatalf("%q dims %v: %d values, %d bytes", v.Name, v.Dims, v.Len(), len(v.data))
			}
			for i := 0; i < n && i < 4; i++ {
				v.Value(i)
			}
		}
		back, err := ReadMAT(bytes.NewReader(encodeMAT(vars, true)))
		if err != nil || len(back) != len(vars) {
			t.Fatalf("round trip: %v", err)
		}
		for k, v := range vars {
			w := back[k]
			if w.Name != v.Name || w.Class != v.Class || !slices.Equal(w.Dims, v.Dims) || w.typ != v.typ || !bytes.Equal(w.data, v.data) {
				t.Fatalf("round trip of %q changed it", v.Name)
			}
		}
	})
}
