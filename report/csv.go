package report

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"sync"

	"github.com/argmaxvae/argmaxvae/internal/runfolder"
)

// CSV writes a table to a file: the header once, then one row per
// [CSV.Write], flushed to the operating system immediately so that a crashed
// or interrupted run keeps every completed row. It is safe for concurrent use.
type CSV struct {
	mu     sync.Mutex
	path   string
	header []string
	f      *os.File
	w      *csv.Writer
	closed bool
}

// CreateCSV creates (or truncates) the file at path, creating missing parent
// directories, and writes header as its first record. The header must be
// non-empty.
func CreateCSV(path string, header []string) (*CSV, error) {
	if len(header) == 0 {
		return nil, fmt.Errorf("report: CSV %s: empty header", path)
	}
	if err := ensureDir(path); err != nil {
		return nil, err
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("report: create CSV: %w", err)
	}
	c := &CSV{path: path, header: slices.Clone(header), f: f, w: csv.NewWriter(f)}
	if err := c.writeRecord(c.header); err != nil {
		f.Close()
		return nil, err
	}
	return c, nil
}

// AppendCSV opens the CSV file at path for appending rows, for resuming an
// interrupted run. If the file is missing or empty it behaves like
// [CreateCSV]. Otherwise the file's first record must equal header, else an
// error naming both headers is returned. A trailing partial line (a row cut
// off by a crash, without its final newline) is removed before appending.
func AppendCSV(path string, header []string) (*CSV, error) {
	if len(header) == 0 {
		return nil, fmt.Errorf("report: CSV %s: empty header", path)
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) || (err == nil && len(data) == 0) {
		return CreateCSV(path, header)
	}
	if err != nil {
		return nil, fmt.Errorf("report: append CSV: %w", err)
	}
	got, err := csv.NewReader(bytes.NewReader(data)).Read()
	if err != nil {
		return nil, fmt.Errorf("report: CSV %s: read header: %w", path, err)
	}
	if !slices.Equal(got, header) {
		return nil, fmt.Errorf("report: CSV %s: header %q does not match expected %q", path, got, header)
	}
	keep := int64(bytes.LastIndexByte(data, '\n') + 1)
	if keep == 0 {
		// The header itself has no newline: rewrite the whole file.
		return CreateCSV(path, header)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return nil, fmt.Errorf("report: append CSV: %w", err)
	}
	if keep < int64(len(data)) {
		if err := f.Truncate(keep); err != nil {
			f.Close()
			return nil, fmt.Errorf("report: CSV %s: drop partial last line: %w", path, err)
		}
	}
	if _, err := f.Seek(keep, io.SeekStart); err != nil {
		f.Close()
		return nil, fmt.Errorf("report: CSV %s: seek: %w", path, err)
	}
	return &CSV{path: path, header: slices.Clone(header), f: f, w: csv.NewWriter(f)}, nil
}

// Path returns the file the table is written to.
func (c *CSV) Path() string { return c.path }

// Header returns a copy of the table's header.
func (c *CSV) Header() []string { return slices.Clone(c.header) }

// Write formats fields and appends them as one row, then flushes. The number
// of fields must equal the header length. Accepted types: string, bool, all
// integer types, float64 and float32 (strconv 'g' with the shortest exact
// precision; NaN becomes an empty field, infinities "+Inf"/"-Inf"), and
// [fmt.Stringer] (for example time.Duration). Anything else is an error.
func (c *CSV) Write(fields ...any) error {
	if len(fields) != len(c.header) {
		return fmt.Errorf("report: CSV %s: got %d fields, header has %d", c.path, len(fields), len(c.header))
	}
	rec := make([]string, len(fields))
	for i, v := range fields {
		s, err := formatField(v)
		if err != nil {
			return fmt.Errorf("report: CSV %s: field %d (%s): %w", c.path, i, c.header[i], err)
		}
		rec[i] = s
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return fmt.Errorf("report: CSV %s: write after Close", c.path)
	}
	return c.writeRecord(rec)
}

func (c *CSV) writeRecord(rec []string) error {
	if err := c.w.Write(rec); err != nil {
		return fmt.Errorf("report: CSV %s: %w", c.path, err)
	}
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return fmt.Errorf("report: CSV %s: %w", c.path, err)
	}
	return nil
}

// Close flushes and closes the file. Closing twice is not an error.
func (c *CSV) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	c.w.Flush()
	werr := c.w.Error()
	cerr := c.f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		return fmt.Errorf("report: close CSV %s: %w", c.path, err)
	}
	return nil
}

// formatField renders one value as a CSV field.
func formatField(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case float64:
		return formatFloat(x, 64), nil
	case float32:
		return formatFloat(float64(x), 32), nil
	case int:
		return strconv.FormatInt(int64(x), 10), nil
	case int8:
		return strconv.FormatInt(int64(x), 10), nil
	case int16:
		return strconv.FormatInt(int64(x), 10), nil
	case int32:
		return strconv.FormatInt(int64(x), 10), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case uint:
		return strconv.FormatUint(uint64(x), 10), nil
	case uint8:
		return strconv.FormatUint(uint64(x), 10), nil
	case uint16:
		return strconv.FormatUint(uint64(x), 10), nil
	case uint32:
		return strconv.FormatUint(uint64(x), 10), nil
	case uint64:
		return strconv.FormatUint(x, 10), nil
	case bool:
		return strconv.FormatBool(x), nil
	case fmt.Stringer:
		return x.String(), nil
	}
	return "", fmt.Errorf("unsupported type %T (value %v)", v, v)
}

func formatFloat(x float64, bits int) string {
	if math.IsNaN(x) {
		return ""
	}
	return strconv.FormatFloat(x, 'g', -1, bits)
}

// ReadCSV reads a whole CSV file: its first record as header and the rest
// as rows. Every row must have as many fields as the header. An empty file
// is an error.
func ReadCSV(path string) (header []string, rows [][]string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("report: read CSV: %w", err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, nil, fmt.Errorf("report: read CSV %s: %w", path, err)
	}
	if len(recs) == 0 {
		return nil, nil, fmt.Errorf("report: read CSV %s: empty file, no header", path)
	}
	return recs[0], recs[1:], nil
}

// ParseFloat parses a field written by [CSV.Write]: the empty field is NaN.
func ParseFloat(field string) (float64, error) {
	if field == "" {
		return math.NaN(), nil
	}
	return strconv.ParseFloat(field, 64)
}

// WriteCSV writes a whole table to path atomically (a temporary file,
// fsync, rename; the temporary file is removed on failure), formatting
// fields as [CSV.Write] does. Every row must have as many fields as the
// header.
func WriteCSV(path string, header []string, rows [][]any) error {
	if len(header) == 0 {
		return fmt.Errorf("report: CSV %s: empty header", path)
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(header)
	rec := make([]string, len(header))
	for r, fields := range rows {
		if len(fields) != len(header) {
			return fmt.Errorf("report: CSV %s: row %d has %d fields, header has %d", path, r, len(fields), len(header))
		}
		for i, v := range fields {
			s, err := formatField(v)
			if err != nil {
				return fmt.Errorf("report: CSV %s: row %d field %d (%s): %w", path, r, i, header[i], err)
			}
			rec[i] = s
		}
		w.Write(rec)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return fmt.Errorf("report: CSV %s: %w", path, err)
	}
	return runfolder.WriteFile(path, b.Bytes())
}
