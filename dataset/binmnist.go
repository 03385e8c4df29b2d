package dataset

import (
	"bufio"
	"bytes"
	"fmt"
	"path/filepath"
	"strconv"
	"sync"
)

// binarizedMNISTSplits names the files and sizes of Larochelle's fixed
// binarization of MNIST.
var binarizedMNISTSplits = []struct {
	split string
	n     int
}{{"train", 50000}, {"valid", 10000}, {"test", 10000}}

func loadBinarizedMNIST(dir string) (*Splits, error) {
	if dir == "" {
		return nil, fmt.Errorf("dataset: binarized-mnist has no default location; set Options.Dir or $ARGMAXVAE_BINARIZED_MNIST to the folder holding binarized_mnist_{train,valid,test}.amat")
	}
	sets := make([]*Set, len(binarizedMNISTSplits))
	errs := make([]error, len(binarizedMNISTSplits))
	var wg sync.WaitGroup
	for i, sp := range binarizedMNISTSplits {
		wg.Go(func() {
			path := filepath.Join(dir, "binarized_mnist_"+sp.split+".amat")
			sets[i], errs[i] = readBinarizedMNIST(path, "binarized-mnist/"+sp.split, sp.n)
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return &Splits{Train: sets[0], Valid: sets[1], Test: sets[2]}, nil
}

// binarizedMNISTVar is the name of the one variable in each of
// Larochelle's binarized MNIST MAT files.
const binarizedMNISTVar = "X"

// readBinarizedMNIST reads one split of Larochelle's binarized MNIST, n
// images of 784 pixels, into a set without gray levels or labels. The
// file is told apart by content: a MATLAB v5 file (its header begins
// "MATLAB") holds one n×784 matrix named X; anything else is read as the
// published plain text, one image a line of 784 space-separated 0s and
// 1s. O(n·784).
func readBinarizedMNIST(path, name string, n int) (*Set, error) {
	f, err := openRegular(path)
	if err != nil {
		return nil, fmt.Errorf("dataset: %w", err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<16)
	head, err := br.Peek(len(matMagic))
	if err != nil && len(head) == 0 {
		return nil, fmt.Errorf("dataset: %s: empty file", path)
	}
	if string(head) != matMagic {
		return readAMATText(br, path, name, n)
	}
	vars, err := ReadMAT(br)
	if err != nil {
		return nil, fmt.Errorf("dataset: %s: %w", path, err)
	}
	if len(vars) != 1 {
		return nil, fmt.Errorf("dataset: %s: %d matrices, want exactly 1", path, len(vars))
	}
	v := vars[0]
	if v.Name != binarizedMNISTVar {
		return nil, fmt.Errorf("dataset: %s: the matrix is named %q, want %q as in Larochelle's binarized_mnist_*.amat files", path, v.Name, binarizedMNISTVar)
	}
	if len(v.Dims) != 2 || v.Dims[0] != n || v.Dims[1] != Pixels {
		return nil, fmt.Errorf("dataset: %s: matrix %q has dimensions %v, want [%d %d]", path, v.Name, v.Dims, n, Pixels)
	}
	s := &Set{Name: name, N: n, D: Pixels, X: make([]float32, n*Pixels), Labels: make([]int, n)}
	for i := range s.Labels {
		s.Labels[i] = -1
	}
	for j := 0; j < Pixels; j++ { // column j of the stored matrix is pixel j
		for i := 0; i < n; i++ {
			var x float64
			if v.typ == miUINT8 {
				x = float64(v.data[j*n+i])
			} else {
				x = v.Value(j*n + i)
			}
			if x != 0 && x != 1 {
				return nil, fmt.Errorf("dataset: %s: value %v at image %d, pixel %d is not 0 or 1", path, x, i, j)
			}
			s.X[i*Pixels+j] = float32(x)
		}
	}
	return s, nil
}

// matMagic begins the text header of every MATLAB v5 file.
const matMagic = "MATLAB"

// maxAMATLine bounds a line of the text format: 784 values of "0" or "1"
// with one separator each need 1568 bytes; generous room for "0.0" or
// CRLF, but a file without line breaks fails fast.
const maxAMATLine = 16 * Pixels

// readAMATText reads the plain-text form: n lines of 784 whitespace-
// separated values, each 0 or 1 (written "0", "1", or as any number equal
// to them, e.g. "1.0"); blank lines at the end are ignored. Errors name
// the line. O(n·784).
func readAMATText(r *bufio.Reader, path, name string, n int) (*Set, error) {
	s := &Set{Name: name, N: n, D: Pixels, X: make([]float32, n*Pixels), Labels: make([]int, n)}
	for i := range s.Labels {
		s.Labels[i] = -1
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxAMATLine)
	img, line := 0, 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		if img == n {
			return nil, fmt.Errorf("dataset: %s: line %d: more than the %d images of this split", path, line, n)
		}
		x := s.X[img*Pixels : (img+1)*Pixels]
		j := 0
		for f := range bytes.FieldsSeq(b) {
			if j == Pixels {
				return nil, fmt.Errorf("dataset: %s: line %d has more than %d values", path, line, Pixels)
			}
			switch {
			case len(f) == 1 && f[0] == '0':
			case len(f) == 1 && f[0] == '1':
				x[j] = 1
			default:
				v, err := strconv.ParseFloat(string(f), 64)
				if err != nil || (v != 0 && v != 1) {
					return nil, fmt.Errorf("dataset: %s: line %d, value %d is %.20q, not 0 or 1 (neither a MATLAB v5 file nor Larochelle's text format)", path, line, j+1, f)
				}
				x[j] = float32(v)
			}
			j++
		}
		if j != Pixels {
			return nil, fmt.Errorf("dataset: %s: line %d has %d values, want %d", path, line, j, Pixels)
		}
		img++
	}
	if err := sc.Err(); err != nil {
		if err == bufio.ErrTooLong {
			return nil, fmt.Errorf("dataset: %s: line %d is longer than %d bytes (neither a MATLAB v5 file nor Larochelle's text format)", path, line+1, maxAMATLine)
		}
		return nil, fmt.Errorf("dataset: %s: %w", path, err)
	}
	if img != n {
		return nil, fmt.Errorf("dataset: %s: %d images, want %d", path, img, n)
	}
	return s, nil
}
