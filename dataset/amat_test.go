package dataset

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// amatText writes n images in Larochelle's plain-text format: image i has
// ones at the pixels j with j%(i+2) == 0 (the images of
// TestBinarizedMNISTSynthetic).
func amatText(n int, sep, eol string) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		for j := 0; j < Pixels; j++ {
			if j > 0 {
				b.WriteString(sep)
			}
			if j%(i+2) == 0 {
				b.WriteString("1")
			} else {
				b.WriteString("0")
			}
		}
		b.WriteString(eol)
	}
	return b.String()
}

// TestBinarizedMNISTText (issue 18 item 12): the published plain-text
// .amat is read as well as the MATLAB v5 copy, told apart by content, to
// the same images; malformed text is refused naming the line.
func TestBinarizedMNISTText(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, form := range []struct{ name, text string }{
		{"plain.amat", amatText(3, " ", "\n")},
		{"trailing.amat", amatText(3, " ", " \n") + "\n\n"},
		{"crlf-tabs.amat", amatText(3, "\t", "\r\n")},
		{"floats.amat", strings.ReplaceAll(amatText(3, " ", "\n"), "1", "1.0")},
	} {
		s, err := readBinarizedMNIST(write(form.name, form.text), "t", 3)
		if err != nil {
			t.Fatalf("%s: %v", form.name, err)
		}
		if err := s.Check(); err != nil || s.Gray != nil || s.Labels[2] != -1 {
			t.Fatalf("%s: check %v, gray %v, labels %v", form.name, err, s.Gray != nil, s.Labels)
		}
		for i := 0; i < 3; i++ {
			for j := 0; j < Pixels; j++ {
				want := float32(0)
				if j%(i+2) == 0 {
					want = 1
				}
				if s.X[i*Pixels+j] != want {
					t.Fatalf("%s: image %d pixel %d: %v, want %v", form.name, i, j, s.X[i*Pixels+j], want)
				}
			}
		}
	}
	short := strings.Replace(amatText(3, " ", "\n"), " 0\n", "\n", 1)
	for _, tc := range []struct{ name, text, want string }{
		{"short-line.amat", short, "line 1 has 783 values, want 784"},
		{"long-line.amat", strings.Replace(amatText(3, " ", "\n"), "\n", " 0\n", 2), "line 1 has more than 784 values"},
		{"two-images.amat", amatText(2, " ", "\n"), "2 images, want 3"},
		{"four-images.amat", amatText(4, " ", "\n"), "line 4: more than the 3 images"},
		{"value.amat", strings.Replace(amatText(3, " ", "\n"), "0", "2", 1), "line 1, value 2 is \"2\", not 0 or 1"},
		{"csv.amat", strings.ReplaceAll(amatText(3, " ", "\n"), " ", ","), "not 0 or 1"},
		{"one-line.amat", strings.Repeat("0 ", 3*Pixels*4), "line 1 is longer than"},
		{"html.amat", "<html><body>Not found</body></html>\n", "not 0 or 1"},
		{"empty.amat", "", "empty file"},
	} {
		p := write(tc.name, tc.text)
		if _, err := readBinarizedMNIST(p, "t", 3); err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: err = %v, want %q and the path", tc.name, err, tc.want)
		}
	}
}
