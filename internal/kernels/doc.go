// Package kernels holds what package nn and the packages built on it
// (decoder, train) share but a user of nn should not touch:
//
//   - the worker count that nn.SetThreads sets (the one threads setting of
//     a VAE, see train.NewVAE) and ParallelRows, the row splitter every
//     parallel kernel of the module uses (results independent of the
//     count when each range writes its own rows);
//   - ShiftReLU, the hidden rows of decoder.Variants' one-variable changes;
//   - EnumSums, the streaming log-sum-exp and Gibbs moments of
//     train.ExactLikelihood's enumeration over codes.
//
// The last two are C with GCC vector extensions in the default build
// (vec.c, compiled for AVX2+FMA and for the baseline ISA, the widest the
// CPU has chosen at run time), pure Go with -tags noopenblas or without
// cgo. The worker count is process-wide, like OpenBLAS's thread count,
// which nn.SetThreads sets with it.
package kernels
