package report

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"sync"

	"github.com/argmaxvae/argmaxvae/internal/runfolder"
)

// CSV collects a table — the header, then one row per [CSV.Write] — and
// writes it to its file at [CSV.Close], atomically (runfolder.WriteFile:
// a temporary file, fsync, rename), so that the file holds the whole
// previous table or the whole new one, never a part, even when the
// process is killed. It is safe for concurrent use.
type CSV struct {
	mu     sync.Mutex
	path   string
	header []string
	rows   [][]string
	closed bool
}

// CreateCSV returns a table that Close writes to path (missing parent
// directories are created then). The header must be non-empty.
func CreateCSV(path string, header []string) (*CSV, error) {
	if len(header) == 0 {
		return nil, fmt.Errorf("report: CSV %s: empty header", path)
	}
	return &CSV{path: path, header: slices.Clone(header)}, nil
}

// Path returns the file the table is written to.
func (c *CSV) Path() string { return c.path }

// Header returns a copy of the table's header.
func (c *CSV) Header() []string { return slices.Clone(c.header) }

// Write formats fields and adds them as one row. The number of fields
// must equal the header length. Accepted types: string, bool, all integer
// types, float64 and float32 (strconv 'g' with the shortest exact
// precision; NaN becomes an empty field, infinities "+Inf"/"-Inf"), and
// [fmt.Stringer] (for example time.Duration). Anything else is an error.
func (c *CSV) Write(fields ...any) error {
	rec, err := c.record(-1, fields)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return fmt.Errorf("report: CSV %s: write after Close", c.path)
	}
	c.rows = append(c.rows, rec)
	return nil
}

// record formats row r's fields (r < 0: the row being written).
func (c *CSV) record(r int, fields []any) ([]string, error) {
	row := ""
	if r >= 0 {
		row = fmt.Sprintf("row %d ", r)
	}
	if len(fields) != len(c.header) {
		return nil, fmt.Errorf("report: CSV %s: %sgot %d fields, header has %d", c.path, row, len(fields), len(c.header))
	}
	rec := make([]string, len(fields))
	for i, v := range fields {
		s, err := formatField(v)
		if err != nil {
			return nil, fmt.Errorf("report: CSV %s: %sfield %d (%s): %w", c.path, row, i, c.header[i], err)
		}
		rec[i] = s
	}
	return rec, nil
}

// Close writes the table to its file. Closing twice is not an error.
func (c *CSV) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(c.header)
	w.WriteAll(c.rows)
	if err := w.Error(); err != nil {
		return fmt.Errorf("report: CSV %s: %w", c.path, err)
	}
	if err := runfolder.WriteFile(c.path, b.Bytes()); err != nil {
		return fmt.Errorf("report: CSV %s: %w", c.path, err)
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

// WriteCSV writes a whole table to path atomically, formatting fields as
// [CSV.Write] does. Every row must have as many fields as the header.
func WriteCSV(path string, header []string, rows [][]any) error {
	c, err := CreateCSV(path, header)
	if err != nil {
		return err
	}
	for r, fields := range rows {
		rec, err := c.record(r, fields)
		if err != nil {
			return err
		}
		c.rows = append(c.rows, rec)
	}
	return c.Close()
}
