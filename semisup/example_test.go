package semisup_test

import (
	"fmt"

	"github.com/argmaxvae/argmaxvae/semisup"
)

// A class-balanced labelled subset, and the majority mapping that scores an
// unsupervised clustering as a classifier.
func Example() {
	labels := []int{0, 1, 2, 0, 1, 2, 0, 1, 2}
	lab, err := semisup.Labelled(labels, 3, 3, 1)
	if err != nil {
		panic(err)
	}
	classes := make([]int, len(lab))
	for j, i := range lab {
		classes[j] = labels[i]
	}
	fmt.Println(classes)

	assign := []int{2, 2, 0, 1, 1, 1} // clusters of six examples
	truth := []int{0, 0, 1, 2, 2, 0}  // their classes
	mp := semisup.MajorityMap(assign, truth, 3)
	fmt.Println(mp, semisup.Accuracy(assign, truth, mp))
	// Output:
	// [0 1 2]
	// [1 2 0] 0.8333333333333334
}
