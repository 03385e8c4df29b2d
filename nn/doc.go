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
//   - -tags noopenblas: gonum's pure-Go float32 BLAS (blas32), no cgo.
//
// [Backend] reports which one was compiled in, and [SetThreads] sets the
// number of OpenBLAS threads (a no-op for gonum).
//
// The per-pixel and per-parameter loops (Bernoulli log-likelihood and its
// gradient, Adam) have two implementations as well: in the default build,
// C kernels in kernels.c written with vector extensions, compiled for
// AVX2+FMA (picked at run time when the CPU has it) and for the baseline
// ISA; with -tags noopenblas, pure Go using a table of cubic pieces for
// softplus and σ. [Kernels] names the one in use. Both are accurate to
// float32 precision; [BernoulliLogLikRow] and [SoftplusSum] always use the
// float64 Go path and serve as references (and for finite differences).
//
// Nothing here is safe for concurrent use: layers own their buffers.
package nn
