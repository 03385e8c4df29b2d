package dataset

import (
	"archive/zip"
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"sync"
)

// Omniglot layout and split.
const (
	omniglotSide          = 105
	omniglotDrawers       = 20
	omniglotTrainDrawers  = 15          // drawers 0–14 train, 15–19 test
	omniglotValid         = 1345        // training images held out: 24,345 − 1,345 = 23,000 remain
	omniglotSplitSeed     = 0x0a11_6107 // fixed PCG words of the validation split
	omniglotSplitStream   = 0x5b17
	omniglotBackgroundNPZ = "images_background.npz"
	omniglotEvaluationNPZ = "images_evaluation.npz"
)

// omniPart is one .npz file reduced to 28×28.
type omniPart struct {
	chars  int
	cover  []uint8 // chars × drawers × 784 ink coverage counts, 0…full
	labels []int   // per character, from labels.npy
	full   int     // coverage count of a fully inked pixel
}

func loadOmniglot(dir string) (*Splits, error) {
	if dir == "" {
		return nil, fmt.Errorf("dataset: omniglot has no default location; set Options.Dir or $ARGMAXVAE_OMNIGLOT to the folder holding %s and %s",
			omniglotBackgroundNPZ, omniglotEvaluationNPZ)
	}
	return loadOmniglotDir(dir, omniglotValid)
}

// loadOmniglotDir reads both .npz files of dir (concurrently) and builds the
// splits. Characters are numbered background first, then evaluation
// (offset by the background count). Training images (drawers 0–14) are put
// in a fixed pseudo-random order (Fisher–Yates driven by PCG with fixed
// seeds, independent of Options.Seed) and the last nValid of them form the
// validation set, so validation covers all alphabets; the test set (drawers
// 15–19) stays in character-major order. O(input pixels).
func loadOmniglotDir(dir string, nValid int) (*Splits, error) {
	names := []string{omniglotBackgroundNPZ, omniglotEvaluationNPZ}
	parts := make([]*omniPart, len(names))
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	for i, n := range names {
		wg.Go(func() { parts[i], errs[i] = readOmniglotNPZ(filepath.Join(dir, n)) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	type ref struct {
		part, img, label int
	}
	var train, test []ref
	offset := 0
	for p, part := range parts {
		for c := 0; c < part.chars; c++ {
			for d := 0; d < omniglotDrawers; d++ {
				r := ref{p, c*omniglotDrawers + d, offset + part.labels[c]}
				if d < omniglotTrainDrawers {
					train = append(train, r)
				} else {
					test = append(test, r)
				}
			}
		}
		offset += part.chars
	}
	if nValid < 0 || nValid >= len(train) {
		return nil, fmt.Errorf("dataset: omniglot in %s: %d training images cannot spare %d for validation", dir, len(train), nValid)
	}
	rng := rand.NewPCG(omniglotSplitSeed, omniglotSplitStream)
	for i := len(train) - 1; i > 0; i-- {
		j := int(rng.Uint64() % uint64(i+1))
		train[i], train[j] = train[j], train[i]
	}
	build := func(name string, refs []ref) *Set {
		s := &Set{Name: "omniglot/" + name, N: len(refs), D: Pixels,
			X: make([]float32, len(refs)*Pixels), Gray: make([]float32, len(refs)*Pixels),
			Labels: make([]int, len(refs))}
		for k, r := range refs {
			part := parts[r.part]
			src := part.cover[r.img*Pixels : (r.img+1)*Pixels]
			g, x := s.Gray[k*Pixels:(k+1)*Pixels], s.X[k*Pixels:(k+1)*Pixels]
			for i, u := range src {
				g[i] = float32(u) / float32(part.full)
				if 2*int(u) > part.full { // gray > 0.5
					x[i] = 1
				}
			}
			s.Labels[k] = r.label
		}
		return s
	}
	nTr := len(train) - nValid
	return &Splits{
		Train: build("train", train[:nTr]),
		Valid: build("valid", train[nTr:]),
		Test:  build("test", test),
	}, nil
}

// readOmniglotNPZ reads images.npy (bool or uint8 [chars, 20, 105, 105],
// nonzero = background) and labels.npy (integer [chars, 20], constant per
// character, in [0, chars)) from one .npz archive and reduces every image to
// 28×28 ink coverage. Images are streamed, never held at full size.
func readOmniglotNPZ(path string) (*omniPart, error) {
	if err := checkRegular(path); err != nil {
		return nil, fmt.Errorf("dataset: omniglot: %w", err)
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, fmt.Errorf("dataset: omniglot: %w", err)
	}
	defer zr.Close()
	member := func(name string) (io.ReadCloser, error) {
		for _, f := range zr.File {
			if f.Name == name {
				return f.Open()
			}
		}
		return nil, fmt.Errorf("no member %s", name)
	}
	fail := func(format string, a ...any) error {
		return fmt.Errorf("dataset: %s: %s", path, fmt.Sprintf(format, a...))
	}

	lr, err := member("labels.npy")
	if err != nil {
		return nil, fail("%v", err)
	}
	lab, err := ReadNPY(lr)
	lr.Close()
	if err != nil {
		return nil, fail("labels.npy: %v", err)
	}
	if k := lab.Descr[1]; k != 'i' && k != 'u' {
		return nil, fail("labels.npy: dtype %s, want an integer type", lab.Descr)
	}
	if len(lab.Shape) != 2 || lab.Shape[1] != omniglotDrawers {
		return nil, fail("labels.npy: shape %v, want [characters %d]", lab.Shape, omniglotDrawers)
	}
	chars := lab.Shape[0]
	part := &omniPart{chars: chars, labels: make([]int, chars)}
	for c := 0; c < chars; c++ {
		l := lab.Int(c * omniglotDrawers)
		if l < 0 || l >= int64(chars) {
			return nil, fail("labels.npy: label %d of character %d outside [0, %d)", l, c, chars)
		}
		for d := 1; d < omniglotDrawers; d++ {
			if m := lab.Int(c*omniglotDrawers + d); m != l {
				return nil, fail("labels.npy: character %d has labels %d (drawer 0) and %d (drawer %d)", c, l, m, d)
			}
		}
		part.labels[c] = int(l)
	}

	ir, err := member("images.npy")
	if err != nil {
		return nil, fail("%v", err)
	}
	defer ir.Close()
	br := bufio.NewReaderSize(ir, 1<<16)
	h, err := readNPYHeader(br)
	if err != nil {
		return nil, fail("images.npy: %v", err)
	}
	if h.size != 1 || (h.descr[1] != 'b' && h.descr[1] != 'u') {
		return nil, fail("images.npy: dtype %s, want |b1 or |u1", h.descr)
	}
	if want := []int{chars, omniglotDrawers, omniglotSide, omniglotSide}; !slices.Equal(h.shape, want) {
		return nil, fail("images.npy: shape %v, want %v (characters from labels.npy)", h.shape, want)
	}
	ds := newAreaDownscaler(omniglotSide, Side, func(b byte) bool { return b == 0 }) // False = stroke
	part.full = ds.full()
	part.cover = make([]uint8, chars*omniglotDrawers*Pixels)
	img := make([]byte, omniglotSide*omniglotSide)
	for k := 0; k < chars*omniglotDrawers; k++ {
		if _, err := io.ReadFull(br, img); err != nil {
			return nil, fail("images.npy: image %d (character %d, drawer %d): %v", k, k/omniglotDrawers, k%omniglotDrawers, readErr("pixels", err))
		}
		ds.run(part.cover[k*Pixels:(k+1)*Pixels], img)
	}
	if err := expectEOF(br, h.hlen+int64(len(part.cover)/Pixels*len(img))); err != nil {
		return nil, fail("images.npy: %v", err)
	}
	return part, nil
}
