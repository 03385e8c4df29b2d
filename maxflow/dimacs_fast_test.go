package maxflow

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// sameRead fails unless ReadDIMACS and the old reader give the same
// instance, or errors with the same text, on input s.
func sameRead(t *testing.T, s string) {
	t.Helper()
	got, err1 := ReadDIMACS(strings.NewReader(s))
	want, err2 := readDIMACSOld(strings.NewReader(s))
	if (err1 == nil) != (err2 == nil) || (err1 != nil && err1.Error() != err2.Error()) {
		t.Fatalf("input %.80q: error %v, old reader %v", s, err1, err2)
	}
	if err1 == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("input %.80q: instance %+v, old reader %+v", s, got, want)
	}
}

// TestReadDIMACSSameAsOld compares the reader with the old one on
// hand-made lines that take the fast path or just miss it (signs,
// exponents, long digit strings, decimals, Unicode spaces, CRLF, missing
// final newline, comments) and on random mutations of a valid file.
func TestReadDIMACSSameAsOld(t *testing.T) {
	head := "p max 5 3\nn 1 s\nn 5 t\n"
	arcs := []string{
		"a 1 2 3", "a 1 2 3.5", "a 1 2 .5", "a 1 2 5.", "a 1 2 .", "a 1 2 0", "a 1 2 000012",
		"a 1 2 123456789012345", "a 1 2 1234567890123456", "a 1 2 0.000000000000001",
		"a 1 2 1e3", "a 1 2 +3", "a 1 2 -0", "a 1 2 -3", "a 1 2 1_0", "a 1 2 0x10", "a 1 2 Inf",
		"a 01 002 3", "a +1 2 3", "a 1 6 3", "a 0 2 3", "a 1 2", "a 1 2 3 4", "a  1\t2 \v3 \f",
		"\ta 1 2 3", "a\u00a01 2 3", "a 1\u00a02 3", "a 1 2 3\u0085", "ab 1 2 3", "a1 2 3",
		"a 99999999999999999999 2 3", "a 1 2 3.4.5", "c a 1 2 3", "ca", " \t", "", "\u00a0",
		"x", "a 1 2 3\r", "a 1 2 3\r\r",
	}
	for _, a := range arcs {
		for _, tail := range []string{"\na 2 3 1\na 3 5 2\n", "\na 2 3 1\na 3 5 2", "\r\na 2 3 1\r\na 3 5 2\r\n"} {
			sameRead(t, head+a+tail)
			sameRead(t, "c first\n"+a+"\n"+head+"a 1 2 1\na 2 5 1\na 3 5 1\n")
		}
	}
	r := rand.New(rand.NewPCG(41, 42))
	in := SegmentationGrid(3, 6, 5)
	var buf bytes.Buffer
	if err := in.WriteDIMACS(&buf); err != nil {
		t.Fatal(err)
	}
	base := buf.Bytes()
	alphabet := []byte("0123456789 \t\r\n.-+eacpnst\xc2\xa0")
	for k := 0; k < 3000; k++ {
		b := bytes.Clone(base)
		for range 1 + r.IntN(4) {
			b[r.IntN(len(b))] = alphabet[r.IntN(len(alphabet))]
		}
		sameRead(t, string(b))
	}
	sameRead(t, string(base))
	// Lines at and around the length limit, terminated or not, of every
	// kind of line.
	for _, fill := range []string{"c", " ", "x", "1"} {
		for _, extra := range []int{-2, -1, 0, 1} {
			long := strings.Repeat(fill, maxLine+extra)
			sameRead(t, head+"a 1 2 3\n"+long)
			sameRead(t, head+"a 1 2 3\n"+long+"\n")
			sameRead(t, head+"a 1 2 3\n"+long+"\na 2 3 1\na 3 5 2\n")
			sameRead(t, head+"a 1 2 "+long+"\na 2 3 1\na 3 5 2\n")
		}
	}
}

// TestWriteDIMACS round-trips a segmentation grid and real capacities.
func TestWriteDIMACS(t *testing.T) {
	in := SegmentationGrid(4, 9, 7)
	in.Arcs = append(in.Arcs, Arc{0, 1, 0.1}, Arc{2, 3, 1e300}, Arc{4, 5, 1.0 / 3})
	var b strings.Builder
	if err := in.WriteDIMACS(&b); err != nil {
		t.Fatal(err)
	}
	back, err := ReadDIMACS(strings.NewReader(b.String()))
	if err != nil || !reflect.DeepEqual(back, in) {
		t.Fatalf("round trip: %v", err)
	}
	if err := in.WriteDIMACS(failWriter{}); err == nil {
		t.Fatal("write error not returned")
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// errReader returns its data, then a read error.
type errReader struct{ data []byte }

func (e *errReader) Read(p []byte) (int, error) {
	if len(e.data) == 0 {
		return 0, errors.New("broken pipe")
	}
	n := copy(p, e.data)
	e.data = e.data[n:]
	return n, nil
}

// TestReadDIMACSReadError: a read error is reported after the partial
// line before it, with the line number the old reader gave.
func TestReadDIMACSReadError(t *testing.T) {
	for _, s := range []string{"p max 3 1\nn 1 s\n", "p max 3 1\nn 1 s\nn 3", "p max 3 1\nn 1 s\nn 3 q"} {
		_, err1 := ReadDIMACS(&errReader{[]byte(s)})
		_, err2 := readDIMACSOld(&errReader{[]byte(s)})
		if err1 == nil || err2 == nil || err1.Error() != err2.Error() {
			t.Fatalf("%q: error %v, old reader %v", s, err1, err2)
		}
	}
}

// dimacsFile is the DIMACS text of a 512² segmentation grid, about
// 28 MB (built once).
var dimacsFile = func() func() []byte {
	var b []byte
	return func() []byte {
		if b == nil {
			var buf bytes.Buffer
			SegmentationGrid(5, 512, 512).WriteDIMACS(&buf)
			b = buf.Bytes()
		}
		return b
	}
}()

// BenchmarkReadDIMACS reads a 28 MB segmentation-grid file with the new
// and the old reader. The ratio is old/new ns/op, measured in one run.
func BenchmarkReadDIMACS(b *testing.B) {
	data := dimacsFile()
	for _, rd := range []struct {
		name string
		read func(io.Reader) (*Instance, error)
	}{{"new", ReadDIMACS}, {"old", readDIMACSOld}} {
		b.Run(fmt.Sprintf("%s/%dMB", rd.name, len(data)>>20), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := rd.read(bytes.NewReader(data)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRatioReadDIMACS reports old/new, the median ratio of the old
// reader's time to the new one's on the 28 MB file, read in turn in one
// process (a = new, b = old).
func BenchmarkRatioReadDIMACS(b *testing.B) {
	data := dimacsFile()
	read := func(f func(io.Reader) (*Instance, error)) func() {
		return func() {
			if _, err := f(bytes.NewReader(data)); err != nil {
				b.Fatal(err)
			}
		}
	}
	pairRatio(b, "old/new", read(ReadDIMACS), read(readDIMACSOld))
}

// TestReadDIMACSSources reads one file from a regular file (whole, and
// after a seek), a pipe and a strings.Reader (sizes known or not, see
// inputSize) and gets the same instance each time.
func TestReadDIMACSSources(t *testing.T) {
	var buf bytes.Buffer
	SegmentationGrid(6, 40, 30).WriteDIMACS(&buf)
	data := buf.Bytes()
	want, err := ReadDIMACS(strings.NewReader(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "g.max")
	if err := os.WriteFile(path, append([]byte("c skipped by the seek\n"), data...), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if n := inputSize(f); n != len(data)+22 {
		t.Fatalf("inputSize of the file: %d, want %d", n, len(data)+22)
	}
	if got, err := ReadDIMACS(f); err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("from a file: %v", err)
	}
	if _, err := f.Seek(22, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	if n := inputSize(f); n != len(data) {
		t.Fatalf("inputSize after the seek: %d, want %d", n, len(data))
	}
	if got, err := ReadDIMACS(f); err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("from a file after a seek: %v", err)
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		pw.Write(data)
		pw.Close()
	}()
	if n := inputSize(pr); n != 0 {
		t.Fatalf("inputSize of a pipe: %d", n)
	}
	if got, err := ReadDIMACS(pr); err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("from a pipe: %v", err)
	}
	pr.Close()
}
