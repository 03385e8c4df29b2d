package dataset

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
)

// Options control [Load].
type Options struct {
	// Dynamic draws every pixel as Bernoulli(gray) instead of thresholding
	// gray > 0.5. Not available for "binarized-mnist" (already binary).
	Dynamic bool
	// Seed seeds the dynamic binarization (PCG with a fixed second word);
	// the train, valid and test sets are drawn in that order.
	Seed uint64
	// Dir is the directory holding the data set's files; empty means the
	// environment variable, then the default for that data set (see Load).
	Dir string
}

// dynamicStream is the second PCG seed word of the dynamic binarization.
const dynamicStream = 0x5eed_da7a_b1a5_0001

type loader struct {
	env string // environment variable naming the directory
	// load reads the splits from dir (dir may be empty when the data set
	// has a default location; the loader resolves it).
	load func(dir string) (*Splits, error)
}

var loaders = map[string]loader{
	"mnist":           {env: "ARGMAXVAE_MNIST", load: loadMNIST},
	"fashion":         {env: "ARGMAXVAE_FASHION", load: loadFashion},
	"omniglot":        {env: "ARGMAXVAE_OMNIGLOT", load: loadOmniglot},
	"binarized-mnist": {env: "ARGMAXVAE_BINARIZED_MNIST", load: loadBinarizedMNIST},
}

// Names lists the data sets [Load] accepts.
func Names() []string {
	return []string{"mnist", "fashion", "omniglot", "binarized-mnist"}
}

// Load reads data set name ("mnist", "fashion", "omniglot" or
// "binarized-mnist") and returns its train, validation and test sets.
//
// The directory is opt.Dir if set, else the data set's environment variable
// (ARGMAXVAE_MNIST, ARGMAXVAE_FASHION, ARGMAXVAE_OMNIGLOT,
// ARGMAXVAE_BINARIZED_MNIST), else a default: the GoMNIST module's data/
// folder for "mnist", /usr/share/datasets/fashion-mnist for "fashion"; the
// other two have no default and fail with an error saying so.
//
// Cost: reading and decompressing the files, O(total pixels); MNIST takes
// well under a second on one core (see the package tests).
func Load(name string, opt Options) (*Splits, error) {
	l, ok := loaders[name]
	if !ok {
		return nil, fmt.Errorf("dataset: unknown data set %q; valid names: %s", name, strings.Join(Names(), ", "))
	}
	if opt.Dynamic && name == "binarized-mnist" {
		return nil, fmt.Errorf("dataset: %s is already binary; dynamic binarization is not available", name)
	}
	dir := opt.Dir
	if dir == "" {
		dir = os.Getenv(l.env)
	}
	sp, err := l.load(dir)
	if err != nil {
		return nil, err
	}
	if opt.Dynamic {
		if err := resampleSplits(sp, opt.Seed); err != nil {
			return nil, err
		}
	}
	return sp, nil
}

// resampleSplits draws the dynamic binarization of train, valid and test,
// in that order, from one PCG stream seeded with (seed, dynamicStream).
func resampleSplits(sp *Splits, seed uint64) error {
	r := rand.New(rand.NewPCG(seed, dynamicStream))
	for _, s := range []*Set{sp.Train, sp.Valid, sp.Test} {
		if err := s.Resample(r); err != nil {
			return err
		}
	}
	return nil
}
