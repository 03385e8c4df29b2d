package dataset_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/argmaxvae/argmaxvae/dataset"
)

// Load MNIST from the GoMNIST module in the Go module cache, thresholded at
// 0.5, and redraw the training set's binarization for a new epoch.
func ExampleLoad() {
	sp, err := dataset.Load("mnist", dataset.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sp.Train.N, sp.Valid.N, sp.Test.N, "images of", sp.Train.D, "pixels")
	fmt.Println("first training label:", sp.Train.Labels[0])
	if err := sp.Train.Resample(rand.New(rand.NewPCG(1, 2))); err != nil {
		fmt.Println(err)
	}
	fmt.Println("still binary:", sp.Train.Check() == nil)
	// Output:
	// 50000 10000 10000 images of 784 pixels
	// first training label: 5
	// still binary: true
}
