package nn

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"slices"
)

// Checkpoint format (all integers little-endian):
//
//	"ARGMAXNN" | version u32 = 1 | #params u32 | #extras u32
//	per entry: name length u32 | name | rows u32 | cols u32 | rows·cols float32
//	CRC-32 (IEEE) of every preceding byte, u32
//
// Parameters come first, then the extras in sorted name order.

const (
	ckptMagic   = "ARGMAXNN"
	ckptVersion = 1
	maxNameLen  = 1 << 12
)

// ErrCorrupt is wrapped by every error [Load] returns for a file that is not
// a well-formed checkpoint (bad magic, truncation, checksum mismatch).
var ErrCorrupt = errors.New("corrupt checkpoint")

// Save writes the values of ps (names, shapes, data; not gradients) and of
// the optional extra vectors (for example training counters or a schedule
// state) to w in the checkpoint format above. To make a resume exact, save
// the model's parameters together with [Adam.State]. Names must be unique.
func Save(w io.Writer, ps []Param, extra ...map[string][]float32) error {
	if err := uniqueNames(ps); err != nil {
		return fmt.Errorf("nn: Save: %w", err)
	}
	type entry struct {
		name       string
		rows, cols int
		data       []float32
	}
	entries := make([]entry, 0, len(ps))
	for _, p := range ps {
		r, c := p.shape()
		if r*c != len(p.W) {
			return fmt.Errorf("nn: Save: param %q has shape %d×%d but %d values", p.Name, r, c, len(p.W))
		}
		entries = append(entries, entry{p.Name, r, c, p.W})
	}
	nParams := len(entries)
	seen := map[string]bool{}
	for _, p := range ps {
		seen[p.Name] = true
	}
	for _, m := range extra {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if seen[k] {
				return fmt.Errorf("nn: Save: extra %q duplicates a name", k)
			}
			seen[k] = true
			entries = append(entries, entry{k, len(m[k]), 1, m[k]})
		}
	}
	for _, e := range entries {
		if len(e.name) > maxNameLen || e.rows > math.MaxUint32 || e.cols > math.MaxUint32 {
			return fmt.Errorf("nn: Save: entry %q: name or shape too large", e.name)
		}
	}

	crc := crc32.NewIEEE()
	bw := bufio.NewWriterSize(io.MultiWriter(w, crc), 1<<16)
	var b [8]byte
	u32 := func(v int) {
		binary.LittleEndian.PutUint32(b[:4], uint32(v))
		bw.Write(b[:4])
	}
	bw.WriteString(ckptMagic)
	u32(ckptVersion)
	u32(nParams)
	u32(len(entries) - nParams)
	for _, e := range entries {
		u32(len(e.name))
		bw.WriteString(e.name)
		u32(e.rows)
		u32(e.cols)
		for _, v := range e.data {
			binary.LittleEndian.PutUint32(b[:4], math.Float32bits(v))
			bw.Write(b[:4])
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("nn: Save: %w", err)
	}
	binary.LittleEndian.PutUint32(b[:4], crc.Sum32())
	if _, err := w.Write(b[:4]); err != nil {
		return fmt.Errorf("nn: Save: %w", err)
	}
	return nil
}

// Load reads a checkpoint written by [Save] and copies the stored values
// into ps, matching by name. Every parameter of ps must be present with the
// same shape; entries of the file that ps does not name are ignored (so a
// model can be loaded without its optimiser state). Extra vectors in the
// file are stored into each given map. Nothing is modified unless the whole
// file is valid. Errors name the offending entry; format errors wrap
// [ErrCorrupt].
func Load(r io.Reader, ps []Param, extra ...map[string][]float32) error {
	if err := uniqueNames(ps); err != nil {
		return fmt.Errorf("nn: Load: %w", err)
	}
	buf, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("nn: Load: %w", err)
	}
	entries, nParams, err := parseCheckpoint(buf)
	if err != nil {
		return fmt.Errorf("nn: Load: %w", err)
	}
	byName := make(map[string]int, len(entries))
	for i, e := range entries {
		if _, dup := byName[e.name]; dup {
			return fmt.Errorf("nn: Load: entry %q appears twice: %w", e.name, ErrCorrupt)
		}
		byName[e.name] = i
	}
	for _, p := range ps {
		i, ok := byName[p.Name]
		if !ok || i >= nParams {
			return fmt.Errorf("nn: Load: param %q missing from checkpoint", p.Name)
		}
		e := entries[i]
		r, c := p.shape()
		if e.rows != r || e.cols != c {
			return fmt.Errorf("nn: Load: param %q: shape %d×%d in checkpoint, %d×%d in model", p.Name, e.rows, e.cols, r, c)
		}
		if r*c != len(p.W) {
			return fmt.Errorf("nn: Load: param %q has shape %d×%d but %d values", p.Name, r, c, len(p.W))
		}
	}
	for _, p := range ps {
		decodeFloats(p.W, entries[byName[p.Name]].data)
	}
	for _, m := range extra {
		if m == nil {
			continue
		}
		for _, e := range entries[nParams:] {
			v := make([]float32, e.rows*e.cols)
			decodeFloats(v, e.data)
			m[e.name] = v
		}
	}
	return nil
}

type rawEntry struct {
	name       string
	rows, cols int
	data       []byte
}

// parseCheckpoint validates the checksum and splits buf into entries.
func parseCheckpoint(buf []byte) ([]rawEntry, int, error) {
	corrupt := func(format string, a ...any) error {
		return fmt.Errorf("%s: %w", fmt.Sprintf(format, a...), ErrCorrupt)
	}
	if len(buf) < len(ckptMagic)+16 || string(buf[:len(ckptMagic)]) != ckptMagic {
		return nil, 0, corrupt("not a checkpoint (bad magic or %d bytes only)", len(buf))
	}
	body, sum := buf[:len(buf)-4], binary.LittleEndian.Uint32(buf[len(buf)-4:])
	if got := crc32.ChecksumIEEE(body); got != sum {
		return nil, 0, corrupt("checksum %08x, file says %08x (truncated or modified)", got, sum)
	}
	p := body[len(ckptMagic):]
	u32 := func() (int, bool) {
		if len(p) < 4 {
			return 0, false
		}
		v := binary.LittleEndian.Uint32(p)
		p = p[4:]
		return int(v), true
	}
	ver, _ := u32()
	if ver != ckptVersion {
		return nil, 0, fmt.Errorf("unsupported checkpoint version %d (want %d)", ver, ckptVersion)
	}
	nParams, _ := u32()
	nExtra, _ := u32()
	if nParams+nExtra > len(p)/12 {
		return nil, 0, corrupt("header claims %d entries in %d bytes", nParams+nExtra, len(p))
	}
	entries := make([]rawEntry, 0, nParams+nExtra)
	for i := 0; i < nParams+nExtra; i++ {
		nl, ok := u32()
		if !ok || nl > maxNameLen || nl > len(p) {
			return nil, 0, corrupt("entry %d: bad name length", i)
		}
		name := string(p[:nl])
		p = p[nl:]
		rows, ok1 := u32()
		cols, ok2 := u32()
		if !ok1 || !ok2 {
			return nil, 0, corrupt("entry %d (%q): truncated shape", i, name)
		}
		n := uint64(rows) * uint64(cols) * 4
		if n > uint64(len(p)) {
			return nil, 0, corrupt("entry %d (%q): %d×%d values but %d bytes left", i, name, rows, cols, len(p))
		}
		entries = append(entries, rawEntry{name, rows, cols, p[:n]})
		p = p[n:]
	}
	if len(p) != 0 {
		return nil, 0, corrupt("%d trailing bytes after the last entry", len(p))
	}
	return entries, nParams, nil
}

func decodeFloats(dst []float32, src []byte) {
	for i := range dst {
		dst[i] = math.Float32frombits(binary.LittleEndian.Uint32(src[4*i:]))
	}
}

func uniqueNames(ps []Param) error {
	seen := make(map[string]bool, len(ps))
	for _, p := range ps {
		if seen[p.Name] {
			return fmt.Errorf("param name %q used twice", p.Name)
		}
		seen[p.Name] = true
	}
	return nil
}
