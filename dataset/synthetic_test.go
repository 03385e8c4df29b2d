package dataset

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Loaders run on small files built in a temporary directory, intact and
// broken in one way each.

var tinyLayout = idxLayout{name: "tiny", nTrainFile: 6, nVal: 2, nTest: 3, classes: 10}

// writeTinyIDX writes the four idx files of tinyLayout; image k of a file
// has every pixel equal to 40·k (so images 4 and 5 threshold to ones) and
// label k.
func writeTinyIDX(t *testing.T, dir string) {
	t.Helper()
	files := map[string][]byte{}
	for _, f := range []struct {
		img, lab string
		n        int
	}{{trainImagesFile, trainLabelsFile, 6}, {testImagesFile, testLabelsFile, 3}} {
		px := make([]byte, f.n*Pixels)
		lab := make([]byte, f.n)
		for k := 0; k < f.n; k++ {
			for i := 0; i < Pixels; i++ {
				px[k*Pixels+i] = byte(40 * k)
			}
			lab[k] = byte(k)
		}
		files[f.img] = encodeIDX(0x08, []int{f.n, Side, Side}, px, true)
		files[f.lab] = encodeIDX(0x08, []int{f.n}, lab, true)
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestIDXDirSynthetic(t *testing.T) {
	dir := t.TempDir()
	writeTinyIDX(t, dir)
	sp, err := loadIDXDir(dir, tinyLayout)
	if err != nil {
		t.Fatal(err)
	}
	if sp.Train.N != 4 || sp.Valid.N != 2 || sp.Test.N != 3 || sp.Valid.Labels[0] != 4 || sp.Test.Labels[2] != 2 {
		t.Fatalf("sizes %d %d %d, labels %v %v", sp.Train.N, sp.Valid.N, sp.Test.N, sp.Valid.Labels, sp.Test.Labels)
	}
	for _, s := range []*Set{sp.Train, sp.Valid, sp.Test} {
		if err := s.Check(); err != nil {
			t.Error(err)
		}
		for k := 0; k < s.N; k++ {
			b := 40 * s.Labels[k]
			wantX := float32(0)
			if b >= 128 {
				wantX = 1
			}
			if s.X[k*Pixels+5] != wantX || s.Gray[k*Pixels+5] != float32(b)/255 {
				t.Errorf("%s image %d: X %v Gray %v", s.Name, k, s.X[k*Pixels+5], s.Gray[k*Pixels+5])
			}
		}
	}
	// Uncompressed files are found when the .gz is missing.
	raw, _ := os.ReadFile(filepath.Join(dir, testLabelsFile))
	a, _ := ReadIDX(bytes.NewReader(raw))
	os.Remove(filepath.Join(dir, testLabelsFile))
	os.WriteFile(filepath.Join(dir, strings.TrimSuffix(testLabelsFile, ".gz")), encodeIDX(0x08, a.Dims, a.Data, false), 0o644)
	if _, err := loadIDXDir(dir, tinyLayout); err != nil {
		t.Errorf("uncompressed labels: %v", err)
	}
}

func TestIDXDirCorrupt(t *testing.T) {
	for _, tc := range []struct {
		name, file, want string
		edit             func([]byte) []byte
	}{
		{"missing", testLabelsFile, "no such file", nil},
		{"truncated gzip", trainImagesFile, "truncated", func(b []byte) []byte { return b[:len(b)/2] }},
		{"wrong magic", testImagesFile, "bad magic", func([]byte) []byte { return encodeIDX(0x08, []int{3, 28, 28}, make([]byte, 3*784), false)[1:] }},
		{"wrong count", testLabelsFile, "shape [4], want [3]", func([]byte) []byte { return encodeIDX(0x08, []int{4}, make([]byte, 4), true) }},
		{"wrong size", trainImagesFile, "shape [6 27 29], want [6 28 28]", func([]byte) []byte { return encodeIDX(0x08, []int{6, 27, 29}, make([]byte, 6*27*29), true) }},
		{"bad label", trainLabelsFile, "label 10 at index 2", func([]byte) []byte { return encodeIDX(0x08, []int{6}, []byte{0, 1, 10, 3, 4, 5}, true) }},
		{"int labels", trainLabelsFile, "element type 0x0c", func([]byte) []byte { return encodeIDX(0x0C, []int{6}, make([]byte, 24), true) }},
	} {
		dir := t.TempDir()
		writeTinyIDX(t, dir)
		path := filepath.Join(dir, tc.file)
		if tc.edit == nil {
			os.Remove(path)
		} else {
			b, _ := os.ReadFile(path)
			os.WriteFile(path, tc.edit(b), 0o644)
		}
		_, err := loadIDXDir(dir, tinyLayout)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), strings.TrimSuffix(path, ".gz")) {
			t.Errorf("%s: err = %v, want %q and the path", tc.name, err, tc.want)
		}
	}
	// The real loaders insist on the real sizes.
	dir := t.TempDir()
	writeTinyIDX(t, dir)
	if _, err := Load("fashion", Options{Dir: dir}); err == nil || !strings.Contains(err.Error(), "want [60000 28 28]") {
		t.Errorf("fashion on tiny files: %v", err)
	}
}

// omniFile describes a synthetic .npz: chars characters; image (c, d) has
// d+1 ink pixels at the start of its first row.
type omniFile struct {
	chars   int
	drawers int
	descr   string // images dtype
	cut     int    // bytes cut from the end of images.npy
	skip    string // member to leave out
	badLab  bool   // give drawer 3 of character 0 another label
}

func writeOmniNPZ(t *testing.T, path string, f omniFile) {
	t.Helper()
	img := make([]byte, f.chars*f.drawers*105*105)
	for k := 0; k < f.chars*f.drawers; k++ {
		im := img[k*105*105 : (k+1)*105*105]
		for i := range im {
			im[i] = 1 // background (True)
		}
		for i := 0; i <= k%f.drawers; i++ {
			im[i] = 0 // stroke
		}
	}
	lab := make([]byte, 8*f.chars*f.drawers)
	for k := 0; k < f.chars*f.drawers; k++ {
		binary.LittleEndian.PutUint64(lab[8*k:], uint64(k/f.drawers))
	}
	if f.badLab {
		binary.LittleEndian.PutUint64(lab[8*3:], 1)
	}
	descr := f.descr
	if descr == "" {
		descr = "|b1"
	}
	members := map[string][]byte{
		"images.npy": encodeNPY(descr, []int{f.chars, f.drawers, 105, 105}, img),
		"labels.npy": encodeNPY("<i8", []int{f.chars, f.drawers}, lab),
	}
	members["images.npy"] = members["images.npy"][:len(members["images.npy"])-f.cut]
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"images.npy", "labels.npy"} {
		if name == f.skip {
			continue
		}
		w, _ := zw.Create(name)
		w.Write(members[name])
	}
	zw.Close()
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestOmniglotSynthetic(t *testing.T) {
	dir := t.TempDir()
	writeOmniNPZ(t, filepath.Join(dir, omniglotBackgroundNPZ), omniFile{chars: 2, drawers: 20})
	writeOmniNPZ(t, filepath.Join(dir, omniglotEvaluationNPZ), omniFile{chars: 1, drawers: 20})
	sp, err := loadOmniglotDir(dir, 5)
	if err != nil {
		t.Fatal(err)
	}
	if sp.Train.N != 40 || sp.Valid.N != 5 || sp.Test.N != 15 {
		t.Fatalf("sizes %d %d %d, want 40 5 15", sp.Train.N, sp.Valid.N, sp.Test.N)
	}
	// Recover each image's drawer from its ink: d+1 pixels of 16 units.
	drawers := map[[2]int]int{} // (label, drawer) → count, split 0 = train+valid, 1 = test
	for si, s := range []*Set{sp.Train, sp.Valid, sp.Test} {
		if err := s.Check(); err != nil {
			t.Fatal(err)
		}
		for k := 0; k < s.N; k++ {
			var units float64
			for _, g := range s.Gray[k*Pixels : (k+1)*Pixels] {
				units += float64(g) * 225
			}
			d := int(units/16+0.5) - 1
			if (si < 2) != (d < 15) {
				t.Errorf("%s image %d has drawer %d", s.Name, k, d)
			}
			drawers[[2]int{s.Labels[k], d}]++
		}
	}
	for c := 0; c < 3; c++ {
		for d := 0; d < 20; d++ {
			if drawers[[2]int{c, d}] != 1 {
				t.Errorf("character %d drawer %d appears %d times", c, d, drawers[[2]int{c, d}])
			}
		}
	}
	// At most 20 pixels of input row 0 are inked: an output pixel gets at
	// most 4·15 = 60 of 225 units of coverage, below 0.5, so X stays 0.
	for k := 0; k < sp.Test.N; k++ {
		for _, x := range sp.Test.Image(k) {
			if x != 0 {
				t.Fatalf("test image %d has a one", k)
			}
		}
	}
}

func TestOmniglotCorrupt(t *testing.T) {
	for _, tc := range []struct {
		name, want string
		bg         omniFile
		noEval     bool
	}{
		{"missing file", "no such file", omniFile{chars: 1, drawers: 20}, true},
		{"no labels", "no member labels.npy", omniFile{chars: 1, drawers: 20, skip: "labels.npy"}, false},
		{"19 drawers", "want [characters 20]", omniFile{chars: 1, drawers: 19}, false},
		{"truncated", "image 19 (character 0, drawer 19): truncated", omniFile{chars: 1, drawers: 20, cut: 100}, false},
		{"int images", "dtype |i1, want |b1 or |u1", omniFile{chars: 1, drawers: 20, descr: "|i1"}, false},
		{"mixed labels", "character 0 has labels 0 (drawer 0) and 1 (drawer 3)", omniFile{chars: 1, drawers: 20, badLab: true}, false},
	} {
		dir := t.TempDir()
		writeOmniNPZ(t, filepath.Join(dir, omniglotBackgroundNPZ), tc.bg)
		if !tc.noEval {
			writeOmniNPZ(t, filepath.Join(dir, omniglotEvaluationNPZ), omniFile{chars: 1, drawers: 20})
		}
		_, err := loadOmniglotDir(dir, 1)
		path := filepath.Join(dir, omniglotBackgroundNPZ)
		if tc.noEval {
			path = filepath.Join(dir, omniglotEvaluationNPZ)
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: err = %v, want %q and %s", tc.name, err, tc.want, path)
		}
	}
	// Not a zip archive at all.
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, omniglotBackgroundNPZ), []byte("not a zip"), 0o644)
	writeOmniNPZ(t, filepath.Join(dir, omniglotEvaluationNPZ), omniFile{chars: 1, drawers: 20})
	if _, err := Load("omniglot", Options{Dir: dir}); err == nil || !strings.Contains(err.Error(), "zip") {
		t.Errorf("not a zip: %v", err)
	}
}

func TestBinarizedMNISTSynthetic(t *testing.T) {
	dir := t.TempDir()
	// 3 images × 784, column-major: element (i, j) at j·3 + i; image i has
	// ones at pixels j with j%(i+2) == 0.
	data := make([]byte, 3*Pixels)
	for i := 0; i < 3; i++ {
		for j := 0; j < Pixels; j++ {
			if j%(i+2) == 0 {
				data[j*3+i] = 1
			}
		}
	}
	write := func(name string, vars ...*MATVar) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, encodeMAT(vars, true), 0o644)
		return p
	}
	p := write("ok.amat", &MATVar{Name: "X", Class: 9, Dims: []int{3, Pixels}, typ: miUINT8, data: data})
	s, err := readBinarizedMNIST(p, "t", 3)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Check(); err != nil || s.Gray != nil || s.Labels[2] != -1 {
		t.Fatalf("check %v, gray %v, labels %v", err, s.Gray != nil, s.Labels)
	}
	for i := 0; i < 3; i++ {
		for j := 0; j < Pixels; j++ {
			if want := float32(map[bool]int{true: 1}[j%(i+2) == 0]); s.X[i*Pixels+j] != want {
				t.Fatalf("image %d pixel %d: %v, want %v", i, j, s.X[i*Pixels+j], want)
			}
		}
	}
	bad2 := append([]byte(nil), data...)
	bad2[5*3+1] = 2
	f8 := make([]byte, 8*3*Pixels)
	for _, tc := range []struct {
		path, want string
	}{
		{write("dims.amat", &MATVar{Name: "X", Class: 9, Dims: []int{Pixels, 3}, typ: miUINT8, data: data}), "dimensions [784 3], want [3 784]"},
		{write("two.amat", &MATVar{Name: "X", Class: 9, Dims: []int{3, Pixels}, typ: miUINT8, data: data}, &MATVar{Name: "Y", Class: 9, Dims: []int{1, 1}, typ: miUINT8, data: []byte{0}}), "2 matrices"},
		{write("value.amat", &MATVar{Name: "X", Class: 9, Dims: []int{3, Pixels}, typ: miUINT8, data: bad2}), "value 2 at image 1, pixel 5"},
		// Right shape and values, wrong variable: not Larochelle's file.
		{write("name.amat", &MATVar{Name: "Y", Class: 9, Dims: []int{3, Pixels}, typ: miUINT8, data: data}), `the matrix is named "Y", want "X"`},
		{write("lower.amat", &MATVar{Name: "x", Class: 9, Dims: []int{3, Pixels}, typ: miUINT8, data: data}), `named "x", want "X"`},
		{filepath.Join(dir, "missing.amat"), "no such file"},
	} {
		if _, err := readBinarizedMNIST(tc.path, "t", 3); err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.path) {
			t.Errorf("%s: err = %v, want %q", tc.path, err, tc.want)
		}
	}
	// Doubles are accepted.
	p = write("double.amat", &MATVar{Name: "X", Class: 6, Dims: []int{3, Pixels}, typ: miDOUBLE, data: f8})
	if s, err := readBinarizedMNIST(p, "t", 3); err != nil || s.N != 3 {
		t.Errorf("double matrix: %v", err)
	}
}
