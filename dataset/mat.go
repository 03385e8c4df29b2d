package dataset

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"io"
	"math"
)

// MATLAB v5 data types (storage) and array classes used by the reader.
const (
	miINT8       = 1
	miUINT8      = 2
	miINT16      = 3
	miUINT16     = 4
	miINT32      = 5
	miUINT32     = 6
	miSINGLE     = 7
	miDOUBLE     = 9
	miINT64      = 12
	miUINT64     = 13
	miMATRIX     = 14
	miCOMPRESSED = 15

	mxDOUBLE = 6
	mxUINT64 = 15
)

// maxMATBytes bounds a decompressed element (2 GiB).
const maxMATBytes = 1 << 31

// MATVar is a numeric matrix read from a MATLAB v5 MAT file.
type MATVar struct {
	// Name is the variable name.
	Name string
	// Class is the MATLAB array class: 6 double, 7 single, 8 int8, 9 uint8,
	// 10 int16, 11 uint16, 12 int32, 13 uint32, 14 int64, 15 uint64.
	Class int
	// Dims are the dimensions (at least two), e.g. [rows cols].
	Dims []int
	// typ is the storage data type of data (may be narrower than Class,
	// as MATLAB allows), data the raw little-endian values in column-major
	// order.
	typ  uint32
	data []byte
}

// matTypeSize returns the byte size of a numeric storage type, 0 if none.
func matTypeSize(t uint32) int {
	switch t {
	case miINT8, miUINT8:
		return 1
	case miINT16, miUINT16:
		return 2
	case miINT32, miUINT32, miSINGLE:
		return 4
	case miDOUBLE, miINT64, miUINT64:
		return 8
	}
	return 0
}

// Len returns the number of elements, the product of Dims.
func (v *MATVar) Len() int { return len(v.data) / matTypeSize(v.typ) }

// Value returns element i (column-major: element (r, c) of a 2-D matrix is
// i = c·Dims[0] + r) as a float64. It panics if i is out of range.
func (v *MATVar) Value(i int) float64 {
	d := v.data
	switch v.typ {
	case miINT8:
		return float64(int8(d[i]))
	case miUINT8:
		return float64(d[i])
	case miINT16:
		return float64(int16(binary.LittleEndian.Uint16(d[2*i:])))
	case miUINT16:
		return float64(binary.LittleEndian.Uint16(d[2*i:]))
	case miINT32:
		return float64(int32(binary.LittleEndian.Uint32(d[4*i:])))
	case miUINT32:
		return float64(binary.LittleEndian.Uint32(d[4*i:]))
	case miSINGLE:
		return float64(math.Float32frombits(binary.LittleEndian.Uint32(d[4*i:])))
	case miDOUBLE:
		return math.Float64frombits(binary.LittleEndian.Uint64(d[8*i:]))
	case miINT64:
		return float64(int64(binary.LittleEndian.Uint64(d[8*i:])))
	default: // miUINT64
		return float64(binary.LittleEndian.Uint64(d[8*i:]))
	}
}

// ReadMAT decodes the numeric matrices of a little-endian MATLAB v5 MAT
// file: a 128-byte header (text starting "MATLAB", version 0x0100, endian
// indicator "IM"), then data elements, each either a miMATRIX or a
// miCOMPRESSED (zlib) wrapper around one. Tags in the small-element format
// are understood. Complex, sparse, cell, struct, object and char arrays are
// rejected, as are big-endian files. Empty matrices are skipped. O(size).
func ReadMAT(r io.Reader) ([]*MATVar, error) {
	var hdr [128]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, fmt.Errorf("mat: %w", readErr("128-byte header", err))
	}
	if !bytes.HasPrefix(hdr[:], []byte("MATLAB")) {
		return nil, fmt.Errorf("mat: header text %q does not start with \"MATLAB\"", bytes.TrimRight(hdr[:20], "\x00 "))
	}
	switch string(hdr[126:128]) {
	case "IM":
	case "MI":
		return nil, fmt.Errorf("mat: big-endian file (indicator \"MI\") is not supported")
	default:
		return nil, fmt.Errorf("mat: bad endian indicator %q (want \"IM\")", hdr[126:128])
	}
	if v := binary.LittleEndian.Uint16(hdr[124:]); v != 0x0100 {
		return nil, fmt.Errorf("mat: version 0x%04x, want 0x0100", v)
	}
	body, err := io.ReadAll(io.LimitReader(r, maxMATBytes+1))
	if err != nil {
		return nil, fmt.Errorf("mat: %w", err)
	}
	if len(body) > maxMATBytes {
		return nil, fmt.Errorf("mat: file larger than %d bytes", maxMATBytes)
	}
	return parseMATElements(body, 128, true)
}

// matTag splits the next element off b: its type, its data and the rest.
// off is b's offset in the file (for messages). Elements are padded to 8
// bytes except compressed ones; missing padding at the very end is allowed.
func matTag(b []byte, off int64) (typ uint32, data, rest []byte, err error) {
	if len(b) < 8 {
		return 0, nil, nil, fmt.Errorf("truncated tag at offset %d: %d bytes left", off, len(b))
	}
	w := binary.LittleEndian.Uint32(b)
	if n := w >> 16; n != 0 { // small element: type and length in 4 bytes, data in the next 4
		if n > 4 {
			return 0, nil, nil, fmt.Errorf("small element at offset %d claims %d bytes (max 4)", off, n)
		}
		return w & 0xffff, b[4 : 4+n], b[8:], nil
	}
	n := int64(binary.LittleEndian.Uint32(b[4:]))
	if n > int64(len(b)-8) {
		return 0, nil, nil, fmt.Errorf("element of type %d at offset %d claims %d bytes, only %d left", w, off, n, len(b)-8)
	}
	end := 8 + n
	if w != miCOMPRESSED {
		end = min(8+(n+7)/8*8, int64(len(b)))
	}
	return w, b[8 : 8+n], b[end:], nil
}

// parseMATElements parses a sequence of top-level elements; compressed ones
// are inflated and parsed in turn (top says nesting is still allowed).
func parseMATElements(b []byte, off int64, top bool) ([]*MATVar, error) {
	var vars []*MATVar
	for len(b) > 0 {
		typ, data, rest, err := matTag(b, off)
		if err != nil {
			return nil, fmt.Errorf("mat: %w", err)
		}
		switch {
		case typ == miCOMPRESSED && top:
			zr, err := zlib.NewReader(bytes.NewReader(data))
			if err != nil {
				return nil, fmt.Errorf("mat: compressed element at offset %d: %w", off, err)
			}
			inner, err := io.ReadAll(io.LimitReader(zr, maxMATBytes+1))
			if err == nil && len(inner) > maxMATBytes {
				err = fmt.Errorf("inflates beyond %d bytes", maxMATBytes)
			}
			if err != nil {
				return nil, fmt.Errorf("mat: compressed element at offset %d: %w", off, err)
			}
			vs, err := parseMATElements(inner, 0, false)
			if err != nil {
				return nil, fmt.Errorf("mat: in compressed element at offset %d: %w", off, err)
			}
			vars = append(vars, vs...)
		case typ == miMATRIX:
			v, err := parseMATMatrix(data)
			if err != nil {
				return nil, fmt.Errorf("mat: matrix at offset %d: %w", off, err)
			}
			if v != nil {
				vars = append(vars, v)
			}
		default:
			return nil, fmt.Errorf("mat: unexpected element type %d at offset %d (want miMATRIX or miCOMPRESSED)", typ, off)
		}
		off += int64(len(b) - len(rest))
		b = rest
	}
	return vars, nil
}

// parseMATMatrix parses the sub-elements of a numeric miMATRIX: array flags,
// dimensions, name, real part. It returns nil for an empty element.
func parseMATMatrix(b []byte) (*MATVar, error) {
	if len(b) == 0 {
		return nil, nil
	}
	var off int64
	next := func(what string, want ...uint32) (uint32, []byte, error) {
		typ, data, rest, err := matTag(b, off)
		if err != nil {
			return 0, nil, fmt.Errorf("%s: %w", what, err)
		}
		ok := len(want) == 0
		for _, w := range want {
			ok = ok || typ == w
		}
		if !ok {
			return 0, nil, fmt.Errorf("%s: element type %d, want %v", what, typ, want)
		}
		off += int64(len(b) - len(rest))
		b = rest
		return typ, data, nil
	}
	_, flags, err := next("array flags", miUINT32)
	if err != nil {
		return nil, err
	}
	if len(flags) != 8 {
		return nil, fmt.Errorf("array flags: %d bytes, want 8", len(flags))
	}
	f := binary.LittleEndian.Uint32(flags)
	v := &MATVar{Class: int(f & 0xff)}
	if v.Class < mxDOUBLE || v.Class > mxUINT64 {
		return nil, fmt.Errorf("array class %d is not numeric (only double, single and integer matrices are supported)", v.Class)
	}
	if f&0x800 != 0 {
		return nil, fmt.Errorf("complex matrices are not supported")
	}
	_, dimb, err := next("dimensions", miINT32)
	if err != nil {
		return nil, err
	}
	if len(dimb) < 8 || len(dimb)%4 != 0 || len(dimb) > 4*32 {
		return nil, fmt.Errorf("dimensions: %d bytes, want 2 to 32 int32 values", len(dimb))
	}
	count := int64(1)
	for i := 0; i < len(dimb); i += 4 {
		d := int64(int32(binary.LittleEndian.Uint32(dimb[i:])))
		if d < 0 {
			return nil, fmt.Errorf("dimension %d is negative (%d)", i/4, d)
		}
		if d > 0 && count > maxMATBytes/d {
			return nil, fmt.Errorf("dimensions too large")
		}
		count *= d
		v.Dims = append(v.Dims, int(d))
	}
	_, name, err := next("array name", miINT8)
	if err != nil {
		return nil, err
	}
	v.Name = string(name)
	typ, data, err := next("real part")
	if err != nil {
		return nil, err
	}
	size := matTypeSize(typ)
	if size == 0 {
		return nil, fmt.Errorf("real part of %q: storage type %d is not numeric", v.Name, typ)
	}
	if int64(len(data)) != count*int64(size) {
		return nil, fmt.Errorf("real part of %q: %d bytes for dimensions %v of %d-byte values, want %d",
			v.Name, len(data), v.Dims, size, count*int64(size))
	}
	if len(b) != 0 {
		return nil, fmt.Errorf("%q: %d unexpected bytes after the real part", v.Name, len(b))
	}
	v.typ, v.data = typ, data
	return v, nil
}
