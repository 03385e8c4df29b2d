package dataset

import (
	"errors"
	"fmt"
	"io"
	"slices"
)

// readChunk bounds each allocation step of readN, so a header that claims a
// huge payload costs memory only as the bytes actually arrive.
const readChunk = 1 << 26

// readN reads exactly n bytes from r. A short input is reported as
// "truncated: want n bytes, got m". O(n).
func readN(r io.Reader, n int64) ([]byte, error) {
	if n < 0 {
		return nil, fmt.Errorf("negative length %d", n)
	}
	buf := make([]byte, 0, min(n, readChunk))
	for int64(len(buf)) < n {
		want := int(min(n-int64(len(buf)), readChunk))
		buf = slices.Grow(buf, want)
		k, err := io.ReadFull(r, buf[len(buf):len(buf)+want])
		buf = buf[:len(buf)+k]
		if err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return nil, fmt.Errorf("truncated: want %d bytes, got %d", n, len(buf))
			}
			return nil, err
		}
	}
	return buf, nil
}

// expectEOF checks that r holds nothing after offset bytes. Reading to the
// end also makes gzip, zlib and zip readers verify their checksums.
func expectEOF(r io.Reader, offset int64) error {
	var b [1]byte
	n, err := io.ReadFull(r, b[:])
	if n > 0 {
		return fmt.Errorf("trailing data after %d bytes", offset)
	}
	switch {
	case err == io.EOF:
		return nil
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("truncated: compressed stream ends early after %d bytes: %w", offset, err)
	}
	return err
}

// readErr describes a failure to read part of a file; an early end of input
// is reported as truncation.
func readErr(what string, err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("truncated while reading %s: %w", what, err)
	}
	return fmt.Errorf("reading %s: %w", what, err)
}
