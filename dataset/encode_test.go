package dataset

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"strings"
)

// Test-only encoders for the three file formats, written from the format
// descriptions, used to build valid and deliberately broken inputs.

func encodeIDX(typ byte, dims []int, data []byte, gz bool) []byte {
	var b bytes.Buffer
	b.Write([]byte{0, 0, typ, byte(len(dims))})
	for _, d := range dims {
		binary.Write(&b, binary.BigEndian, uint32(d))
	}
	b.Write(data)
	if !gz {
		return b.Bytes()
	}
	var z bytes.Buffer
	w := gzip.NewWriter(&z)
	w.Write(b.Bytes())
	w.Close()
	return z.Bytes()
}

func npyShapeString(shape []int) string {
	s := make([]string, len(shape))
	for i, d := range shape {
		s[i] = fmt.Sprint(d)
	}
	if len(shape) == 1 {
		return "(" + s[0] + ",)"
	}
	return "(" + strings.Join(s, ", ") + ")"
}

// encodeNPYHeader writes a version-major header around dict, padded with
// spaces and a newline to a multiple of 64 bytes like NumPy does.
func encodeNPYHeader(major byte, dict string) []byte {
	pre := 10
	if major >= 2 {
		pre = 12
	}
	hl := len(dict) + 1
	hl += (64 - (pre+hl)%64) % 64
	var b bytes.Buffer
	b.WriteString("\x93NUMPY")
	b.Write([]byte{major, 0})
	if major >= 2 {
		binary.Write(&b, binary.LittleEndian, uint32(hl))
	} else {
		binary.Write(&b, binary.LittleEndian, uint16(hl))
	}
	b.WriteString(dict)
	b.WriteString(strings.Repeat(" ", hl-len(dict)-1))
	b.WriteByte('\n')
	return b.Bytes()
}

func encodeNPY(descr string, shape []int, data []byte) []byte {
	dict := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': %s, }", descr, npyShapeString(shape))
	return append(encodeNPYHeader(1, dict), data...)
}

func matPad(b *bytes.Buffer) {
	for b.Len()%8 != 0 {
		b.WriteByte(0)
	}
}

func matElem(b *bytes.Buffer, typ uint32, data []byte) {
	binary.Write(b, binary.LittleEndian, typ)
	binary.Write(b, binary.LittleEndian, uint32(len(data)))
	b.Write(data)
	matPad(b)
}

// encodeMATMatrix builds one miMATRIX element (tag included); names of at
// most 4 bytes use the small-element format.
func encodeMATMatrix(v *MATVar) []byte {
	var c bytes.Buffer
	matElem(&c, miUINT32, []byte{byte(v.Class), 0, 0, 0, 0, 0, 0, 0})
	dims := new(bytes.Buffer)
	for _, d := range v.Dims {
		binary.Write(dims, binary.LittleEndian, int32(d))
	}
	matElem(&c, miINT32, dims.Bytes())
	if n := len(v.Name); n > 0 && n <= 4 {
		binary.Write(&c, binary.LittleEndian, uint32(n)<<16|miINT8)
		var w [4]byte
		copy(w[:], v.Name)
		c.Write(w[:])
	} else {
		matElem(&c, miINT8, []byte(v.Name))
	}
	matElem(&c, v.typ, v.data)
	var m bytes.Buffer
	matElem(&m, miMATRIX, c.Bytes())
	return m.Bytes()
}

func encodeMAT(vars []*MATVar, compress bool) []byte {
	var b bytes.Buffer
	text := fmt.Sprintf("%-116s", "MATLAB 5.0 MAT-file, written by the dataset tests")
	b.WriteString(text)
	b.Write(make([]byte, 8))
	b.Write([]byte{0x00, 0x01, 'I', 'M'})
	for _, v := range vars {
		m := encodeMATMatrix(v)
		if !compress {
			b.Write(m)
			continue
		}
		var z bytes.Buffer
		w := zlib.NewWriter(&z)
		w.Write(m)
		w.Close()
		binary.Write(&b, binary.LittleEndian, uint32(miCOMPRESSED))
		binary.Write(&b, binary.LittleEndian, uint32(z.Len()))
		b.Write(z.Bytes())
	}
	return b.Bytes()
}
