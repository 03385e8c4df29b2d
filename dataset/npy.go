package dataset

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strconv"
)

// NPY is an array read from a NumPy .npy file, C (row-major) order.
type NPY struct {
	// Descr is the NumPy type string: "|b1", "|u1", "|i1", "<u2", "<i2",
	// "<u4", "<i4", "<u8", "<i8", "<f4" or "<f8".
	Descr string
	// Shape is the array shape, outermost first (empty for a scalar).
	Shape []int
	// Data holds the raw little-endian elements, len = prod(Shape)·size.
	Data []byte
}

// npyHeader is the parsed header dictionary of a .npy file.
type npyHeader struct {
	descr string
	shape []int
	size  int   // bytes per element
	count int64 // number of elements
	hlen  int64 // bytes before the data (magic, version, length, dict)
}

// maxNPYBytes bounds the payload a header may announce (16 GiB) and
// maxNPYHeader the header dictionary length.
const (
	maxNPYBytes  = 1 << 34
	maxNPYHeader = 1 << 20
)

// npyElemSize returns the element size for a supported descr, 0 otherwise.
func npyElemSize(d string) int {
	switch d {
	case "|b1", "|u1", "|i1", "<b1", "<u1", "<i1":
		return 1
	case "<u2", "<i2":
		return 2
	case "<u4", "<i4", "<f4":
		return 4
	case "<u8", "<i8", "<f8":
		return 8
	}
	return 0
}

// ReadNPY decodes a .npy array (format versions 1–3) from r: magic
// "\x93NUMPY", version, header length, then a Python dict literal with
// 'descr', 'fortran_order' and 'shape'. Only little-endian numeric and bool
// dtypes are accepted; object arrays (pickles), structured dtypes and
// fortran_order True are rejected. Trailing bytes are an error. O(size).
func ReadNPY(r io.Reader) (*NPY, error) {
	h, err := readNPYHeader(r)
	if err != nil {
		return nil, err
	}
	data, err := readN(r, h.count*int64(h.size))
	if err != nil {
		return nil, fmt.Errorf("npy: data of shape %v %s: %w", h.shape, h.descr, err)
	}
	if err := expectEOF(r, h.hlen+int64(len(data))); err != nil {
		return nil, fmt.Errorf("npy: %w", err)
	}
	return &NPY{Descr: h.descr, Shape: h.shape, Data: data}, nil
}

// Len returns the number of elements.
func (a *NPY) Len() int {
	if s := npyElemSize(a.Descr); s > 0 {
		return len(a.Data) / s
	}
	return 0
}

// Int returns element i as an integer (floats are truncated toward zero).
func (a *NPY) Int(i int) int64 {
	switch a.Descr[1:] {
	case "b1", "u1":
		return int64(a.Data[i])
	case "i1":
		return int64(int8(a.Data[i]))
	case "u2":
		return int64(binary.LittleEndian.Uint16(a.Data[2*i:]))
	case "i2":
		return int64(int16(binary.LittleEndian.Uint16(a.Data[2*i:])))
	case "u4":
		return int64(binary.LittleEndian.Uint32(a.Data[4*i:]))
	case "i4":
		return int64(int32(binary.LittleEndian.Uint32(a.Data[4*i:])))
	case "u8", "i8":
		return int64(binary.LittleEndian.Uint64(a.Data[8*i:]))
	}
	return int64(a.Float(i))
}

// Float returns element i as a float64.
func (a *NPY) Float(i int) float64 {
	switch a.Descr[1:] {
	case "f4":
		return float64(math.Float32frombits(binary.LittleEndian.Uint32(a.Data[4*i:])))
	case "f8":
		return math.Float64frombits(binary.LittleEndian.Uint64(a.Data[8*i:]))
	case "u8":
		return float64(binary.LittleEndian.Uint64(a.Data[8*i:]))
	}
	return float64(a.Int(i))
}

// readNPYHeader reads and validates everything before the data.
func readNPYHeader(r io.Reader) (npyHeader, error) {
	var h npyHeader
	var pre [10]byte
	if _, err := io.ReadFull(r, pre[:8]); err != nil {
		return h, fmt.Errorf("npy: %w", readErr("magic", err))
	}
	if string(pre[:6]) != "\x93NUMPY" {
		return h, fmt.Errorf("npy: bad magic %q (want \"\\x93NUMPY\")", pre[:6])
	}
	var hl int64
	switch major := pre[6]; major {
	case 1:
		if _, err := io.ReadFull(r, pre[8:10]); err != nil {
			return h, fmt.Errorf("npy: %w", readErr("header length", err))
		}
		hl = int64(binary.LittleEndian.Uint16(pre[8:10]))
		h.hlen = 10 + hl
	case 2, 3:
		var b [4]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return h, fmt.Errorf("npy: %w", readErr("header length", err))
		}
		hl = int64(binary.LittleEndian.Uint32(b[:]))
		h.hlen = 12 + hl
	default:
		return h, fmt.Errorf("npy: unsupported format version %d.%d", major, pre[7])
	}
	if hl > maxNPYHeader {
		return h, fmt.Errorf("npy: header length %d exceeds %d", hl, maxNPYHeader)
	}
	text, err := readN(r, hl)
	if err != nil {
		return h, fmt.Errorf("npy: header: %w", err)
	}
	descr, fortran, shape, err := parseNPYDict(text)
	if err != nil {
		return h, fmt.Errorf("npy: header %q: %w", bytes.TrimSpace(text), err)
	}
	if fortran {
		return h, fmt.Errorf("npy: fortran_order True is not supported")
	}
	h.size = npyElemSize(descr)
	if h.size == 0 {
		return h, fmt.Errorf("npy: unsupported dtype %q (want a little-endian bool, integer or float; no objects/pickles)", descr)
	}
	h.descr, h.shape, h.count = descr, shape, 1
	for _, d := range shape {
		if d > 0 && h.count > maxNPYBytes/int64(h.size)/int64(d) {
			return h, fmt.Errorf("npy: shape %v exceeds %d bytes", shape, int64(maxNPYBytes))
		}
		h.count *= int64(d)
	}
	return h, nil
}

// parseNPYDict parses the header dict literal, e.g.
// {'descr': '<i8', 'fortran_order': False, 'shape': (964, 20), }.
// All three keys are required, each once; nothing else is accepted.
func parseNPYDict(b []byte) (descr string, fortran bool, shape []int, err error) {
	p := &pyLex{b: b}
	if !p.eat('{') {
		return "", false, nil, fmt.Errorf("want '{' at offset %d", p.i)
	}
	seen := map[string]bool{}
	for !p.eat('}') {
		key, err := p.str()
		if err != nil {
			return "", false, nil, err
		}
		if seen[key] {
			return "", false, nil, fmt.Errorf("duplicate key %q", key)
		}
		seen[key] = true
		if !p.eat(':') {
			return "", false, nil, fmt.Errorf("want ':' after key %q at offset %d", key, p.i)
		}
		switch key {
		case "descr":
			if descr, err = p.str(); err != nil {
				return "", false, nil, fmt.Errorf("descr: %w (structured dtypes are not supported)", err)
			}
		case "fortran_order":
			if fortran, err = p.boolean(); err != nil {
				return "", false, nil, err
			}
		case "shape":
			if shape, err = p.tuple(); err != nil {
				return "", false, nil, err
			}
		default:
			return "", false, nil, fmt.Errorf("unexpected key %q", key)
		}
		if !p.eat(',') {
			if !p.eat('}') {
				return "", false, nil, fmt.Errorf("want ',' or '}' at offset %d", p.i)
			}
			break
		}
	}
	p.space()
	if p.i != len(p.b) {
		return "", false, nil, fmt.Errorf("unexpected text after dict at offset %d", p.i)
	}
	for _, k := range []string{"descr", "fortran_order", "shape"} {
		if !seen[k] {
			return "", false, nil, fmt.Errorf("missing key %q", k)
		}
	}
	return descr, fortran, shape, nil
}

// pyLex scans the tiny subset of Python literals used by .npy headers.
type pyLex struct {
	b []byte
	i int
}

func (p *pyLex) space() {
	for p.i < len(p.b) && (p.b[p.i] == ' ' || p.b[p.i] == '\n' || p.b[p.i] == '\t' || p.b[p.i] == '\r') {
		p.i++
	}
}

// eat skips spaces and consumes c if it comes next.
func (p *pyLex) eat(c byte) bool {
	p.space()
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

// str reads a quoted string without escapes.
func (p *pyLex) str() (string, error) {
	p.space()
	if p.i >= len(p.b) || (p.b[p.i] != '\'' && p.b[p.i] != '"') {
		return "", fmt.Errorf("want a quoted string at offset %d", p.i)
	}
	q := p.b[p.i]
	end := bytes.IndexByte(p.b[p.i+1:], q)
	if end < 0 {
		return "", fmt.Errorf("unterminated string at offset %d", p.i)
	}
	s := string(p.b[p.i+1 : p.i+1+end])
	if bytes.IndexByte([]byte(s), '\\') >= 0 {
		return "", fmt.Errorf("escapes in string at offset %d are not supported", p.i)
	}
	p.i += end + 2
	return s, nil
}

func (p *pyLex) boolean() (bool, error) {
	p.space()
	for _, w := range []string{"True", "False"} {
		if bytes.HasPrefix(p.b[p.i:], []byte(w)) {
			p.i += len(w)
			return w == "True", nil
		}
	}
	return false, fmt.Errorf("want True or False at offset %d", p.i)
}

// tuple reads a tuple of non-negative integers, e.g. (), (5,), (3, 4L).
func (p *pyLex) tuple() ([]int, error) {
	if !p.eat('(') {
		return nil, fmt.Errorf("want '(' at offset %d", p.i)
	}
	shape := []int{}
	for !p.eat(')') {
		p.space()
		j := p.i
		for j < len(p.b) && '0' <= p.b[j] && p.b[j] <= '9' {
			j++
		}
		n, err := strconv.ParseInt(string(p.b[p.i:j]), 10, 64)
		if err != nil || n > math.MaxInt32 {
			return nil, fmt.Errorf("want a dimension at offset %d", p.i)
		}
		p.i = j
		if p.i < len(p.b) && p.b[p.i] == 'L' { // Python 2 long suffix
			p.i++
		}
		shape = append(shape, int(n))
		if len(shape) > 32 {
			return nil, fmt.Errorf("more than 32 dimensions")
		}
		if !p.eat(',') {
			if !p.eat(')') {
				return nil, fmt.Errorf("want ',' or ')' at offset %d", p.i)
			}
			break
		}
	}
	return shape, nil
}
