package dataset

import (
	"fmt"
	"path/filepath"
	"slices"
	"sync"
)

// Standard file names of MNIST and Fashion-MNIST (a missing .gz file is
// also looked for without the suffix).
const (
	trainImagesFile = "train-images-idx3-ubyte.gz"
	trainLabelsFile = "train-labels-idx1-ubyte.gz"
	testImagesFile  = "t10k-images-idx3-ubyte.gz"
	testLabelsFile  = "t10k-labels-idx1-ubyte.gz"
)

// idxLayout fixes the expected sizes of an MNIST-like data set.
type idxLayout struct {
	name             string
	nTrainFile, nVal int // images in the training file; the last nVal validate
	nTest            int
	classes          int
}

var mnistLayout = idxLayout{name: "mnist", nTrainFile: 60000, nVal: 10000, nTest: 10000, classes: 10}

// loadIDXDir reads the four idx files of an MNIST-like data set from dir,
// checks shapes and counts against lay, splits the training file into
// train and validation and thresholds gray = byte/255 at > 0.5 (byte ≥ 128).
// The four files are decoded concurrently. O(pixels).
func loadIDXDir(dir string, lay idxLayout) (*Splits, error) {
	type result struct {
		a    *IDX
		path string
		err  error
	}
	files := []string{trainImagesFile, trainLabelsFile, testImagesFile, testLabelsFile}
	res := make([]result, len(files))
	var wg sync.WaitGroup
	for i, f := range files {
		wg.Go(func() {
			a, p, err := readIDXFile(filepath.Join(dir, f))
			res[i] = result{a, p, err}
		})
	}
	wg.Wait()
	for _, r := range res {
		if r.err != nil {
			return nil, r.err
		}
	}
	trX, err := checkImages(res[0].a, res[0].path, lay.nTrainFile)
	if err != nil {
		return nil, err
	}
	trY, err := checkLabels(res[1].a, res[1].path, lay.nTrainFile, lay.classes)
	if err != nil {
		return nil, err
	}
	teX, err := checkImages(res[2].a, res[2].path, lay.nTest)
	if err != nil {
		return nil, err
	}
	teY, err := checkLabels(res[3].a, res[3].path, lay.nTest, lay.classes)
	if err != nil {
		return nil, err
	}
	nTr := lay.nTrainFile - lay.nVal
	sp := &Splits{
		Train: bytesSet(lay.name+"/train", trX[:nTr*Pixels], trY[:nTr:nTr]),
		Valid: bytesSet(lay.name+"/valid", trX[nTr*Pixels:], trY[nTr:]),
		Test:  bytesSet(lay.name+"/test", teX, teY),
	}
	return sp, nil
}

// checkImages verifies an idx image array: uint8, shape [want, 28, 28].
func checkImages(a *IDX, path string, want int) ([]byte, error) {
	if a.Type != 0x08 {
		return nil, fmt.Errorf("dataset: %s: element type 0x%02x, want 0x08 (uint8)", path, a.Type)
	}
	if !slices.Equal(a.Dims, []int{want, Side, Side}) {
		return nil, fmt.Errorf("dataset: %s: shape %v, want [%d %d %d]", path, a.Dims, want, Side, Side)
	}
	return a.Data, nil
}

// checkLabels verifies an idx label array: uint8, shape [want], values in
// [0, classes).
func checkLabels(a *IDX, path string, want, classes int) ([]int, error) {
	if a.Type != 0x08 {
		return nil, fmt.Errorf("dataset: %s: element type 0x%02x, want 0x08 (uint8)", path, a.Type)
	}
	if !slices.Equal(a.Dims, []int{want}) {
		return nil, fmt.Errorf("dataset: %s: shape %v, want [%d]", path, a.Dims, want)
	}
	y := make([]int, want)
	for i, b := range a.Data {
		if int(b) >= classes {
			return nil, fmt.Errorf("dataset: %s: label %d at index %d, want < %d", path, b, i, classes)
		}
		y[i] = int(b)
	}
	return y, nil
}

// bytesSet builds a set from 8-bit pixels: Gray = b/255, X = [b/255 > 0.5].
func bytesSet(name string, px []byte, labels []int) *Set {
	var lut [256]float32
	for b := range lut {
		lut[b] = float32(b) / 255
	}
	s := &Set{Name: name, N: len(labels), D: Pixels, Labels: labels,
		X: make([]float32, len(px)), Gray: make([]float32, len(px))}
	for i, b := range px {
		s.Gray[i] = lut[b]
		if b >= 128 { // 128/255 > 0.5 > 127/255
			s.X[i] = 1
		}
	}
	return s
}

// fashionDefaultDir is where Debian's dataset-fashion-mnist installs the
// files.
const fashionDefaultDir = "/usr/share/datasets/fashion-mnist"

func loadFashion(dir string) (*Splits, error) {
	if dir == "" {
		dir = fashionDefaultDir
	}
	lay := mnistLayout
	lay.name = "fashion"
	return loadIDXDir(dir, lay)
}

func loadMNIST(dir string) (*Splits, error) {
	if dir == "" {
		d, err := findGoMNISTData()
		if err != nil {
			return nil, err
		}
		dir = d
	}
	return loadIDXDir(dir, mnistLayout)
}
