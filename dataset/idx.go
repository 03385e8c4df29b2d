package dataset

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"os"
)

// IDX is an array in the idx format of the MNIST files: a 4-byte magic
// (0, 0, element type, number of dimensions), the dimensions as big-endian
// uint32, then the elements in row-major order.
type IDX struct {
	// Type is the element type code: 0x08 uint8, 0x09 int8, 0x0B int16,
	// 0x0C int32, 0x0D float32, 0x0E float64.
	Type byte
	// Dims are the dimensions, outermost first.
	Dims []int
	// Data holds the raw elements, big-endian, len = prod(Dims)·size.
	Data []byte
}

// maxIDXBytes bounds the payload a header may announce (2 GiB).
const maxIDXBytes = 1 << 31

// idxElemSize returns the byte size of an idx element type, 0 if unknown.
func idxElemSize(t byte) int {
	switch t {
	case 0x08, 0x09:
		return 1
	case 0x0B:
		return 2
	case 0x0C, 0x0D:
		return 4
	case 0x0E:
		return 8
	}
	return 0
}

// ReadIDX decodes one idx array from r, which may be gzip-compressed (it is
// detected by the gzip magic 1f 8b). It checks the magic, the element type,
// that the payload is complete and that nothing follows it (which also makes
// gzip verify its checksum). O(size of the data).
func ReadIDX(r io.Reader) (*IDX, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	if p, _ := br.Peek(2); len(p) == 2 && p[0] == 0x1f && p[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		defer zr.Close()
		return readIDX(zr)
	}
	return readIDX(br)
}

func readIDX(r io.Reader) (*IDX, error) {
	var magic [4]byte
	if _, err := io.ReadFull(r, magic[:]); err != nil {
		return nil, fmt.Errorf("idx: %w", readErr("magic", err))
	}
	if magic[0] != 0 || magic[1] != 0 {
		return nil, fmt.Errorf("idx: bad magic % x (want 00 00 <type> <ndims>)", magic)
	}
	size := idxElemSize(magic[2])
	if size == 0 {
		return nil, fmt.Errorf("idx: unknown element type 0x%02x", magic[2])
	}
	nd := int(magic[3])
	if nd == 0 {
		return nil, fmt.Errorf("idx: zero dimensions")
	}
	raw := make([]byte, 4*nd)
	if _, err := io.ReadFull(r, raw); err != nil {
		return nil, fmt.Errorf("idx: %w", readErr(fmt.Sprintf("%d dimensions", nd), err))
	}
	dims := make([]int, nd)
	total := int64(size)
	for i := range dims {
		d := int64(binary.BigEndian.Uint32(raw[4*i:]))
		dims[i] = int(d)
		if d > 0 && total > maxIDXBytes/d {
			return nil, fmt.Errorf("idx: dimensions %v exceed %d bytes", dims[:i+1], int64(maxIDXBytes))
		}
		total *= d
	}
	data, err := readN(r, total)
	if err != nil {
		return nil, fmt.Errorf("idx: data of shape %v: %w", dims, err)
	}
	if err := expectEOF(r, int64(4+4*nd)+total); err != nil {
		return nil, fmt.Errorf("idx: %w", err)
	}
	return &IDX{Type: magic[2], Dims: dims, Data: data}, nil
}

// readIDXFile reads an idx file, trying path and then path without ".gz"
// when path does not exist. Errors name the file.
func readIDXFile(path string) (*IDX, string, error) {
	f, err := openRegular(path)
	if os.IsNotExist(err) && len(path) > 3 && path[len(path)-3:] == ".gz" {
		if g, err2 := openRegular(path[:len(path)-3]); err2 == nil {
			f, err, path = g, nil, path[:len(path)-3]
		}
	}
	if err != nil {
		return nil, path, fmt.Errorf("dataset: %w", err)
	}
	defer f.Close()
	a, err := ReadIDX(f)
	if err != nil {
		return nil, path, fmt.Errorf("dataset: %s: %w", path, err)
	}
	return a, path, nil
}
