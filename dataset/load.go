package dataset

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
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

// Source is one registered data set: its name, the environment variable
// naming its folder, its loader, and what it supports.
type Source struct {
	Name string
	Env  string // environment variable naming the directory
	// Load reads the splits from dir (dir may be empty when the data set
	// has a default location; the loader resolves it).
	Load func(dir string) (*Splits, error)
	// Binary: the pixels are already 0/1, so dynamic binarization does not
	// apply.
	Binary bool
	// Classes is the number of classes when every image is labelled with
	// one of 0…Classes−1 (the semi-supervised model needs 10), else 0.
	Classes int
}

var (
	sourcesMu sync.RWMutex
	sources   []Source
)

// Register adds a data set to the list [Load] and [Names] use; a second
// registration of a name replaces the first. An empty name or a nil Load
// is refused with an error, as train.RegisterEstimator does. Safe for
// concurrent use. Adding a data set is its file plus a line in the list
// below.
func Register(s Source) error {
	if s.Name == "" {
		return fmt.Errorf("dataset: Register: empty name")
	}
	if s.Load == nil {
		return fmt.Errorf("dataset: Register(%q): nil Load", s.Name)
	}
	sourcesMu.Lock()
	defer sourcesMu.Unlock()
	for i, o := range sources {
		if o.Name == s.Name {
			sources[i] = s
			return nil
		}
	}
	sources = append(sources, s)
	return nil
}

func init() {
	for _, s := range []Source{
		{Name: "mnist", Env: "ARGMAXVAE_MNIST", Load: loadMNIST, Classes: 10},
		{Name: "fashion", Env: "ARGMAXVAE_FASHION", Load: loadFashion, Classes: 10},
		{Name: "omniglot", Env: "ARGMAXVAE_OMNIGLOT", Load: loadOmniglot},
		{Name: "binarized-mnist", Env: "ARGMAXVAE_BINARIZED_MNIST", Load: loadBinarizedMNIST, Binary: true},
	} {
		if err := Register(s); err != nil {
			panic(err) // the list above is wrong
		}
	}
}

// Names lists the data sets [Load] accepts, in registration order.
func Names() []string {
	sourcesMu.RLock()
	defer sourcesMu.RUnlock()
	var n []string
	for _, s := range sources {
		n = append(n, s.Name)
	}
	return n
}

// Lookup returns the registered data set of that name.
func Lookup(name string) (Source, bool) {
	sourcesMu.RLock()
	defer sourcesMu.RUnlock()
	for _, s := range sources {
		if s.Name == name {
			return s, true
		}
	}
	return Source{}, false
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
	l, ok := Lookup(name)
	if !ok {
		return nil, fmt.Errorf("dataset: unknown data set %q; valid names: %s", name, strings.Join(Names(), ", "))
	}
	if opt.Dynamic && l.Binary {
		return nil, fmt.Errorf("dataset: %s is already binary; dynamic binarization is not available", name)
	}
	dir := opt.Dir
	if dir == "" {
		dir = os.Getenv(l.Env)
	}
	sp, err := l.Load(dir)
	if err != nil {
		return nil, err
	}
	if sp == nil || sp.Train == nil || sp.Valid == nil || sp.Test == nil {
		return nil, fmt.Errorf("dataset: the loader of %s returned no train, validation or test set", name)
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
