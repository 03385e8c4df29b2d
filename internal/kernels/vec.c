//go:build cgo && !noopenblas

// Vector kernels of package kernels (the pure-Go equivalents are in
// vec_go.go), written with GCC vector extensions so that each is compiled
// twice: for AVX2+FMA, chosen at run time on CPUs that have it, and for
// the baseline ISA. Moved from package nn's kernels.c with their callers'
// API (decoder.Variants, train.ExactLikelihood), unchanged bit for bit.

#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#define K_FAST __attribute__((target("avx2,fma")))
#endif

typedef float v8sf __attribute__((vector_size(32)));
typedef int32_t v8si __attribute__((vector_size(32)));
typedef double v4df __attribute__((vector_size(32)));
typedef float v4sf __attribute__((vector_size(16)));

#define SPLAT(c) ((v8sf){c, c, c, c, c, c, c, c})
#define NN_LOAD(p) ({ v8sf v_; memcpy(&v_, (p), sizeof v_); v_; })
#define NN_STORE(p, v) do { v8sf s_ = (v); memcpy((p), &s_, sizeof s_); } while (0)

// kern_level is the widest version the CPU runs: 1 = AVX2+FMA (also on
// AVX-512 CPUs), 0 = baseline; −1 until detected. kern_cap caps it so
// that tests reach both, and ARGMAXVAE_KERNELS=avx2 changes nothing here.
static int kern_level = -1, kern_cap = 1;

static int kern_use_fast(void) {
#ifdef K_FAST
	if (kern_level < 0) {
		__builtin_cpu_init();
		kern_level = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? 1 : 0;
	}
	return kern_level < kern_cap ? kern_level : kern_cap;
#else
	return 0;
#endif
}

// kern_fast reports the level in use (0 or 1).
int kern_fast(void) { return kern_use_fast(); }

// kern_set_level caps the level (0: baseline, 1: AVX2+FMA) and returns the
// previous cap.
int kern_set_level(int cap) {
	int prev = kern_cap;
	kern_cap = cap;
	return prev;
}

// ---------------------------------------------------------------------------
// Streaming sums over enumerated codes (train.ExactLikelihood): see
// enum.h. Four double lanes, compiled for AVX2+FMA (also used on
// AVX-512 CPUs: eight lanes measured 2.4× slower with AVX-512F alone,
// whose compares give mask registers) and for the baseline.
#include <math.h>
static inline double exp_scalar(double x) { return exp(x); }
typedef int64_t v4di __attribute__((vector_size(32)));
#define WD 4
#define VD v4df
#define VL v4di
#define VD_SUM(a) (((a)[0] + (a)[1]) + ((a)[2] + (a)[3]))
#define NN_LOADD(p) ({ v4df v_; memcpy(&v_, (p), sizeof v_); v_; })
#define NN_LOADF4(p) ({ v4sf v_; memcpy(&v_, (p), sizeof v_); __builtin_convertvector(v_, v4df); })
#define ENUM_IMPL nn_enum_impl
#include "enum.h"
#undef WD
#undef VD
#undef VL
#undef VD_SUM
#undef NN_LOADD
#undef NN_LOADF4
#undef ENUM_IMPL
#ifdef K_FAST
K_FAST static void nn_enum_fast(const float *xl, const float *h, const double *sp, double xb, long n, double cut,
                                 double *st) {
	nn_enum_impl(xl, h, sp, xb, n, cut, st);
}
#endif
static void nn_enum_base(const float *xl, const float *h, const double *sp, double xb, long n, double cut,
                         double *st) {
	nn_enum_impl(xl, h, sp, xb, n, cut, st);
}

// kern_enum_add adds n codes to one example's streaming sums (see
// enum.h and EnumSums).
void kern_enum_add(const float *xl, const float *h, const double *sp, double xb, long n, double cut, double *st) {
#ifdef K_FAST
	switch (kern_use_fast()) {
	case 2:
	case 1: nn_enum_fast(xl, h, sp, xb, n, cut, st); return;
	}
#endif
	nn_enum_base(xl, h, sp, xb, n, cut, st);
}

// ---------------------------------------------------------------------------
// Shifted ReLU: dst = max(base − sub + add, 0) elementwise, NaN kept (the
// hidden layer of a decoder input that differs from a base code in one
// latent, decoder/variants.go).

static inline __attribute__((always_inline)) void nn_shift_relu_impl(float *dst, const float *base, const float *sub,
                                                                     const float *add, long n) {
	long j = 0;
	for (; j + 8 <= n; j += 8) {
		v8sf x = NN_LOAD(base + j) - NN_LOAD(sub + j) + NN_LOAD(add + j);
		v8si neg = x < SPLAT(0.0f);
		NN_STORE(dst + j, (v8sf)((v8si)x & ~neg));
	}
	for (; j < n; j++) {
		float x = base[j] - sub[j] + add[j];
		dst[j] = x < 0 ? 0 : x;
	}
}

#ifdef K_FAST
K_FAST static void nn_shift_relu_fast(float *dst, const float *base, const float *sub, const float *add, long n) {
	nn_shift_relu_impl(dst, base, sub, add, n);
}
#endif
static void nn_shift_relu_base(float *dst, const float *base, const float *sub, const float *add, long n) {
	nn_shift_relu_impl(dst, base, sub, add, n);
}

void kern_shift_relu(float *dst, const float *base, const float *sub, const float *add, long n) {
#ifdef K_FAST
	if (kern_use_fast()) {
		nn_shift_relu_fast(dst, base, sub, add, n);
		return;
	}
#endif
	nn_shift_relu_base(dst, base, sub, add, n);
}
