// Package nn is the small neural-network layer of the discrete-VAE trainer:
// row-major float32 matrices multiplied through BLAS, fully connected layers,
// a two-layer ReLU perceptron, Adam, numerically stable Bernoulli
// log-likelihoods, checkpoints and a finite-difference gradient checker.
//
// Everything is sized for the paper's networks (784→300→K and back, batches
// of 100) and is written so that a training step allocates nothing once its
// buffers have grown to the batch size: layers own their output buffers and
// [Resize] reuses backing arrays.
//
// Matrix products go through [Gemm], backed by one of two files selected by
// a build tag:
//
//   - default: OpenBLAS through cgo (cblas_sgemm). The cgo directive
//     "#cgo LDFLAGS: -lopenblas" lives in this package, so no environment
//     variables are needed; Debian's libopenblas-dev must be installed.
//     On CPUs with AVX-512F, Gemm instead runs the register tiles of
//     gemm512.c (no packing, 16-lane FMAs), which beat the AVX2 kernels
//     OpenBLAS 0.3.21 uses on AMD Zen 5 by about 2× at this package's
//     shapes (10 to 1600 rows against 300 or 784); OpenBLAS remains for
//     Aᵀ·Bᵀ and other CPUs.
//   - -tags noopenblas: gonum's pure-Go float32 BLAS (blas32), no cgo.
//
// [Backend] reports which one was compiled in, and [SetThreads] sets the
// number of goroutines that share a large product, log-likelihood pass or
// Adam update (default 1), by bands of independent rows or columns; from
// then on OpenBLAS runs one thread per call. With the AVX-512 tiles the
// results do not depend on that number; with OpenBLAS they are
// reproducible for each number. Setting the
// environment variable ARGMAXVAE_KERNELS=avx2 runs an AVX2
// machine's code paths on an AVX-512 one, for measurements (with
// OPENBLAS_CORETYPE=Haswell for OpenBLAS's own kernels; [BLASCore] names
// them).
//
// [BernoulliLogLikPairs] scores rows chosen by index, so that a code
// shared by several examples is decoded once (decoder.Variants runs one
// band of codes per worker: rows, product and log-likelihood without a
// barrier).
//
// [ForwardWeights] multiplies by a weight matrix whose products are only
// read, never differentiated (the f̃ pass of decoder.Variants): in
// bfloat16 with float32 accumulation on CPUs with AVX512-BF16, the
// weights rounded once per Set (once per training step), when [BF16] says
// so ([SetBF16], or the environment variable ARGMAXVAE_BF16=on|off read at
// start-up); otherwise it is a float32 product on the calling goroutine.
// [GemmKernels] then ends in "+forward-avx512-bf16". The
// kernel matches a reference bfloat16 product bit for bit; see
// docs/results/bf16.md for its precision and speed.
//
// Two layer variants skip work that dense products would do:
//
//   - [Linear.ForwardBinary] and [Linear.BackwardBinary] take a 0/1 input
//     as the positions of its ones ([BinaryRows]) and add weight columns
//     instead of multiplying, O(ones·Out + In·Out) per pass;
//     [Linear.PreferBinary] says when that is cheaper (binarized MNIST, 13%
//     ones: about half the time of the AVX-512 products; Fashion-MNIST,
//     45%: no). [MLP.ForwardBinary] and [MLP.BackwardBinary] use them for
//     the first layer.
//   - [MLP.ForwardGrouped] and [MLP.BackwardGrouped] evaluate identical
//     input rows ([RowGroups]) once: a decoder fed one-hot codes of one
//     categorical latent has at most K distinct rows in a batch.
//
// The per-pixel and per-parameter loops (Bernoulli log-likelihood and its
// gradient, Adam, ReLU) have two implementations as well: in the default
// build, C kernels in kernels.c written with vector extensions, compiled
// for AVX-512F (16 lanes: log-likelihood and Adam), for AVX2+FMA and for
// the baseline ISA, the widest the CPU has picked at run time; with -tags
// noopenblas, pure Go using a table of cubic pieces for softplus and σ.
// [Kernels] names the one in use. Both are accurate to float32 precision;
// [BernoulliLogLikRow] and [SoftplusSum] always use the float64 Go path and
// serve as references (and for finite differences).
//
// Errors and panics follow gonum/mat. Constructors that take sizes or
// settings from a user ([NewLinear], [NewMLP], [NewAdam]) check them and
// return an error, as [Load] does for a checkpoint. The kernels ([Gemm],
// [Linear.Forward] and the other layer passes, [Mat.Row], [Mat.Slice],
// [Resize], the Bernoulli, softmax and Gaussian kernels) take matrices whose
// shapes the calling code computes, and panic on a mismatch, most with a
// message naming the shapes, as gonum/mat panics with mat.ErrShape: a
// mismatch there is a bug in the caller, not bad data. [NewMat], like make
// and gonum's mat.NewDense, panics on a negative size. Packages encoder,
// decoder and train check what a user gives them before it reaches nn, so
// no input to their exported functions reaches one of these panics.
//
// Nothing here is safe for concurrent use unless it says so
// (ForwardWeights.Product and BernoulliLogLikPairs on disjoint outputs
// are): layers own their
// buffers.
package nn
