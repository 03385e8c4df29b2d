package dataset

import (
	"fmt"
	"os"
	"path/filepath"
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

// readBinarizedMNIST reads one MAT file holding a single n×784 matrix of
// 0/1 values (column-major) named X and transposes it into a set without
// gray levels or labels. O(n·784).
func readBinarizedMNIST(path, name string, n int) (*Set, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("dataset: %w", err)
	}
	defer f.Close()
	vars, err := ReadMAT(f)
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
