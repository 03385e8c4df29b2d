//go:build cgo && !noopenblas

// Element-wise kernels of package nn for the default (cgo) build, written
// with GCC vector extensions so that each is compiled more than once: for
// AVX2+FMA, chosen at run time on CPUs that have them, for the baseline
// ISA, and (the log-likelihood, 16 lanes wide, and Adam) for AVX-512F.
// The pure-Go equivalents are in kernels_go.go and bernoulli_go.go.

#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define NN_X86 1
#endif

typedef float v8sf __attribute__((vector_size(32)));
typedef int32_t v8si __attribute__((vector_size(32)));
typedef double v4df __attribute__((vector_size(32)));
typedef float v4sf __attribute__((vector_size(16)));

#define SPLAT(c) ((v8sf){c, c, c, c, c, c, c, c})
#define ISPLAT(c) ((v8si){c, c, c, c, c, c, c, c})

// ---------------------------------------------------------------------------
// Bernoulli log-likelihood: term = x·l − softplus(l), softplus(l) =
// max(l,0) + log1p(t), t = e^{−|l|}; σ(l) = 1/(1+t) for l ≥ 0, t/(1+t)
// otherwise. e^y for y ∈ [−80, 0]: Cody–Waite reduction and the Cephes
// degree-7 polynomial (1 ulp); log1p(t) for t ∈ (0, 1] as 2·atanh(s),
// s = t/(2+t) ≤ 1/3, seven odd terms (relative error < 2e-8). Sums of terms
// are accumulated in double.

// Unaligned loads and stores, and the two halves of a float vector widened
// to double (macros rather than functions: vector arguments would change
// the calling convention between the compilations).
#define NN_LOAD(p) ({ VF v_; memcpy(&v_, (p), sizeof v_); v_; })
#define NN_STORE(p, v) do { VF s_ = (v); memcpy((p), &s_, sizeof s_); } while (0)

// 8 lanes: the AVX2+FMA and baseline compilations.
#define W 8
#define VF v8sf
#define VI v8si
#define VD v4df
#define NN_LO(v) __builtin_convertvector(__builtin_shufflevector((v), (v), 0, 1, 2, 3), v4df)
#define NN_HI(v) __builtin_convertvector(__builtin_shufflevector((v), (v), 4, 5, 6, 7), v4df)
#define VD_SUM(a) (((a)[0] + (a)[1]) + ((a)[2] + (a)[3]))
#define LL_ROWS_IMPL nn_ll_rows_impl
#define LL_GRAD_IMPL nn_ll_grad_rows_impl
#define LL_SIGADD_IMPL nn_sigadd_impl
#include "kernels_ll.h"
#undef W
#undef VF
#undef VI
#undef VD
#undef NN_LO
#undef NN_HI
#undef VD_SUM
#undef LL_ROWS_IMPL
#undef LL_GRAD_IMPL
#undef LL_SIGADD_IMPL

// 16 lanes: the AVX-512F compilation.
typedef float v16sf __attribute__((vector_size(64)));
typedef int32_t v16si __attribute__((vector_size(64)));
typedef double v8df __attribute__((vector_size(64)));
#define W 16
#define VF v16sf
#define VI v16si
#define VD v8df
#define NN_LO(v) __builtin_convertvector(__builtin_shufflevector((v), (v), 0, 1, 2, 3, 4, 5, 6, 7), v8df)
#define NN_HI(v) __builtin_convertvector(__builtin_shufflevector((v), (v), 8, 9, 10, 11, 12, 13, 14, 15), v8df)
#define VD_SUM(a) ((((a)[0] + (a)[1]) + ((a)[2] + (a)[3])) + (((a)[4] + (a)[5]) + ((a)[6] + (a)[7])))
#define LL_ROWS_IMPL nn_ll_rows_impl16
#define LL_GRAD_IMPL nn_ll_grad_rows_impl16
#define LL_SIGADD_IMPL nn_sigadd_impl16
#include "kernels_ll.h"
#undef W
#undef VF
#undef VI
#undef VD
#undef NN_LO
#undef NN_HI
#undef VD_SUM
#undef LL_ROWS_IMPL
#undef LL_GRAD_IMPL
#undef LL_SIGADD_IMPL
#undef NN_LOAD
#undef NN_STORE
#define NN_LOAD(p) ({ v8sf v_; memcpy(&v_, (p), sizeof v_); v_; })
#define NN_STORE(p, v) do { v8sf s_ = (v); memcpy((p), &s_, sizeof s_); } while (0)

#ifdef NN_X86
#define NN_FAST __attribute__((target("avx2,fma")))
#define NN_FAST512 __attribute__((target("avx512f")))
#endif


#ifdef NN_FAST
NN_FAST static void nn_ll_rows_fast(const float *x, long per, const float *l, const float *bias, long rows, long n,
                                    float *out) {
	nn_ll_rows_impl(x, per, l, bias, rows, n, out);
}
NN_FAST static void nn_ll_pairs_fast(const float *x, const int32_t *xi, const float *l, const int32_t *li,
                                     const float *bias, long pairs, long n, float *out) {
	for (long p = 0; p < pairs; p++) nn_ll_rows_impl(x + (long)xi[p] * n, 1, l + (long)li[p] * n, bias, 1, n, out + p);
}
NN_FAST512 static void nn_ll_pairs_512(const float *x, const int32_t *xi, const float *l, const int32_t *li,
                                       const float *bias, long pairs, long n, float *out) {
	for (long p = 0; p < pairs; p++)
		nn_ll_rows_impl16(x + (long)xi[p] * n, 1, l + (long)li[p] * n, bias, 1, n, out + p);
}
NN_FAST static void nn_ll_grad_rows_fast(const float *x, const float *l, const float *scale, long rows, long n,
                                         float *out, float *dl) {
	nn_ll_grad_rows_impl(x, l, scale, rows, n, out, dl);
}
NN_FAST512 static void nn_ll_rows_512(const float *x, long per, const float *l, const float *bias, long rows, long n,
                                      float *out) {
	nn_ll_rows_impl16(x, per, l, bias, rows, n, out);
}
NN_FAST512 static void nn_ll_grad_rows_512(const float *x, const float *l, const float *scale, long rows, long n,
                                           float *out, float *dl) {
	nn_ll_grad_rows_impl16(x, l, scale, rows, n, out, dl);
}
NN_FAST static void nn_sigadd_fast(const float *l, const float *scale, long rows, long n, float *dst) {
	nn_sigadd_impl(l, scale, rows, n, dst);
}
NN_FAST512 static void nn_sigadd_512(const float *l, const float *scale, long rows, long n, float *dst) {
	nn_sigadd_impl16(l, scale, rows, n, dst);
}
#endif

static void nn_sigadd_base(const float *l, const float *scale, long rows, long n, float *dst) {
	nn_sigadd_impl(l, scale, rows, n, dst);
}

static void nn_ll_rows_base(const float *x, long per, const float *l, const float *bias, long rows, long n,
                            float *out) {
	nn_ll_rows_impl(x, per, l, bias, rows, n, out);
}

static void nn_ll_pairs_base(const float *x, const int32_t *xi, const float *l, const int32_t *li, const float *bias,
                             long pairs, long n, float *out) {
	for (long p = 0; p < pairs; p++) nn_ll_rows_impl(x + (long)xi[p] * n, 1, l + (long)li[p] * n, bias, 1, n, out + p);
}

static void nn_ll_grad_rows_base(const float *x, const float *l, const float *scale, long rows, long n, float *out,
                                 float *dl) {
	nn_ll_grad_rows_impl(x, l, scale, rows, n, out, dl);
}

// nn_level is the widest element-wise kernel the CPU runs: 2 = AVX-512F
// (16 lanes), 1 = AVX2+FMA, 0 = baseline; −1 until detected. nn_cap caps
// it so that tests reach every version.
static int nn_level = -1, nn_cap = 2;

static int nn_use_fast(void) {
#ifdef NN_FAST
	if (nn_level < 0) {
		__builtin_cpu_init();
		nn_level = __builtin_cpu_supports("avx512f")                                        ? 2
		           : __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? 1
		                                                                               : 0;
	}
	return nn_level < nn_cap ? nn_level : nn_cap;
#else
	return 0;
#endif
}

// nn_kernels_fast reports the level of the versions in use (0, 1 or 2).
int nn_kernels_fast(void) { return nn_use_fast(); }

// nn_kernels_set_level caps the level (0: baseline, 1: up to AVX2+FMA,
// 2: up to AVX-512F) and returns the previous cap.
int nn_kernels_set_level(int cap) {
	int prev = nn_cap;
	nn_cap = cap;
	return prev;
}

void nn_ll_rows(const float *x, long per, const float *l, const float *bias, long rows, long n, float *out) {
#ifdef NN_FAST
	switch (nn_use_fast()) {
	case 2: nn_ll_rows_512(x, per, l, bias, rows, n, out); return;
	case 1: nn_ll_rows_fast(x, per, l, bias, rows, n, out); return;
	}
#endif
	nn_ll_rows_base(x, per, l, bias, rows, n, out);
}

// nn_ll_pairs is nn_ll_rows for rows chosen by index: out[p] is the
// log-likelihood of row xi[p] of x (pairs×n… rows of n) under logits row
// li[p] of l plus bias, computed by the same code as nn_ll_rows with one
// row, so the two agree bit for bit.
void nn_ll_pairs(const float *x, const int32_t *xi, const float *l, const int32_t *li, const float *bias, long pairs,
                 long n, float *out) {
#ifdef NN_FAST
	switch (nn_use_fast()) {
	case 2: nn_ll_pairs_512(x, xi, l, li, bias, pairs, n, out); return;
	case 1: nn_ll_pairs_fast(x, xi, l, li, bias, pairs, n, out); return;
	}
#endif
	nn_ll_pairs_base(x, xi, l, li, bias, pairs, n, out);
}


void nn_sigmoid_add(const float *l, const float *scale, long rows, long n, float *dst) {
#ifdef NN_FAST
	switch (nn_use_fast()) {
	case 2: nn_sigadd_512(l, scale, rows, n, dst); return;
	case 1: nn_sigadd_fast(l, scale, rows, n, dst); return;
	}
#endif
	nn_sigadd_base(l, scale, rows, n, dst);
}

void nn_ll_grad_rows(const float *x, const float *l, const float *scale, long rows, long n, float *out, float *dl) {
#ifdef NN_FAST
	switch (nn_use_fast()) {
	case 2: nn_ll_grad_rows_512(x, l, scale, rows, n, out, dl); return;
	case 1: nn_ll_grad_rows_fast(x, l, scale, rows, n, out, dl); return;
	}
#endif
	nn_ll_grad_rows_base(x, l, scale, rows, n, out, dl);
}

// ---------------------------------------------------------------------------
// ReLU in place, v = v < 0 ? 0 : v (NaN and −0 kept), and its backward
// mask, d = h <= 0 ? 0 : d, as lane masks: the signs of a hidden layer are
// random, so the branches of the scalar loops mispredict half the time.

static inline __attribute__((always_inline)) void nn_relu_impl(float *v, long n) {
	long j = 0;
	for (; j + 8 <= n; j += 8) {
		v8sf x = NN_LOAD(v + j);
		v8si neg = x < SPLAT(0.0f);
		NN_STORE(v + j, (v8sf)((v8si)x & ~neg));
	}
	for (; j < n; j++)
		if (v[j] < 0) v[j] = 0;
}

static inline __attribute__((always_inline)) void nn_relu_mask_impl(const float *h, float *d, long n) {
	long j = 0;
	for (; j + 8 <= n; j += 8) {
		v8si dead = NN_LOAD(h + j) <= SPLAT(0.0f);
		NN_STORE(d + j, (v8sf)((v8si)NN_LOAD(d + j) & ~dead));
	}
	for (; j < n; j++)
		if (h[j] <= 0) d[j] = 0;
}

#ifdef NN_FAST
NN_FAST static void nn_relu_fast(float *v, long n) { nn_relu_impl(v, n); }
NN_FAST static void nn_relu_mask_fast(const float *h, float *d, long n) { nn_relu_mask_impl(h, d, n); }
#endif
static void nn_relu_base(float *v, long n) { nn_relu_impl(v, n); }
static void nn_relu_mask_base(const float *h, float *d, long n) { nn_relu_mask_impl(h, d, n); }

void nn_relu(float *v, long n) {
#ifdef NN_FAST
	if (nn_use_fast()) {
		nn_relu_fast(v, n);
		return;
	}
#endif
	nn_relu_base(v, n);
}

void nn_relu_mask(const float *h, float *d, long n) {
#ifdef NN_FAST
	if (nn_use_fast()) {
		nn_relu_mask_fast(h, d, n);
		return;
	}
#endif
	nn_relu_mask_base(h, d, n);
}


// ---------------------------------------------------------------------------
// Grouped row sums: dst[of[r], :] += src[r, :] for r < rows (cols columns),
// the output gradient of rows that share a group (mlp_grouped.go).

static inline __attribute__((always_inline)) void nn_group_sum_impl(const float *src, long rows, long cols,
                                                                    const int32_t *of, float *dst) {
	for (long r = 0; r < rows; r++) {
		const float *s = src + r * cols;
		float *d = dst + (long)of[r] * cols;
		long j = 0;
		for (; j + 8 <= cols; j += 8) NN_STORE(d + j, NN_LOAD(d + j) + NN_LOAD(s + j));
		for (; j < cols; j++) d[j] += s[j];
	}
}

#ifdef NN_FAST
NN_FAST static void nn_group_sum_fast(const float *src, long rows, long cols, const int32_t *of, float *dst) {
	nn_group_sum_impl(src, rows, cols, of, dst);
}
#endif
static void nn_group_sum_base(const float *src, long rows, long cols, const int32_t *of, float *dst) {
	nn_group_sum_impl(src, rows, cols, of, dst);
}

void nn_group_sum(const float *src, long rows, long cols, const int32_t *of, float *dst) {
#ifdef NN_FAST
	if (nn_use_fast()) {
		nn_group_sum_fast(src, rows, cols, of, dst);
		return;
	}
#endif
	nn_group_sum_base(src, rows, cols, of, dst);
}

// ---------------------------------------------------------------------------
// Adam: the same single-precision operations in the same order as
// adamUpdateGo (no fused multiply-adds: the SSE/AVX kernels are compiled
// for targets without FMA, and the AVX-512 one, whose target has it, with
// contraction turned off), so results match the Go build bit for bit. The
// AVX-512 kernel matters: a step over 470k parameters is bound by the
// square roots and divisions more than by memory (120 µs with AVX, 82 µs
// with AVX-512 on Zen 5).

// fp-contract=off: GCC contracts a*b + c into an FMA by default wherever
// the target has one (the baseline of arm64, for instance).
__attribute__((optimize("fp-contract=off"))) static void adam_scalar(float *w, const float *g, float *m, float *v,
                                                                     long j, long n, float b1, float c1, float b2,
                                                                     float c2, float step, float inv, float eps) {
	for (; j < n; j++) {
		float gj = g[j];
		float mj = b1 * m[j] + c1 * gj;
		float vj = b2 * v[j] + c2 * gj * gj;
		m[j] = mj;
		v[j] = vj;
#ifdef NN_X86
		float sq = _mm_cvtss_f32(_mm_sqrt_ss(_mm_set_ss(vj)));
#else
		float sq = __builtin_sqrtf(vj);
#endif
		float den = sq * inv + eps;
		w[j] -= step * mj / den;
	}
}

#ifdef NN_X86
static long adam_sse(float *w, const float *g, float *m, float *v, long n, float b1, float c1, float b2, float c2,
                     float step, float inv, float eps) {
	__m128 B1 = _mm_set1_ps(b1), C1 = _mm_set1_ps(c1), B2 = _mm_set1_ps(b2), C2 = _mm_set1_ps(c2);
	__m128 S = _mm_set1_ps(step), I = _mm_set1_ps(inv), E = _mm_set1_ps(eps);
	long j = 0;
	for (; j + 4 <= n; j += 4) {
		__m128 gj = _mm_loadu_ps(g + j);
		__m128 mj = _mm_add_ps(_mm_mul_ps(B1, _mm_loadu_ps(m + j)), _mm_mul_ps(C1, gj));
		__m128 vj = _mm_add_ps(_mm_mul_ps(B2, _mm_loadu_ps(v + j)), _mm_mul_ps(_mm_mul_ps(C2, gj), gj));
		_mm_storeu_ps(m + j, mj);
		_mm_storeu_ps(v + j, vj);
		__m128 den = _mm_add_ps(_mm_mul_ps(_mm_sqrt_ps(vj), I), E);
		_mm_storeu_ps(w + j, _mm_sub_ps(_mm_loadu_ps(w + j), _mm_div_ps(_mm_mul_ps(S, mj), den)));
	}
	return j;
}

__attribute__((target("avx"))) static long adam_avx(float *w, const float *g, float *m, float *v, long n, float b1,
                                                    float c1, float b2, float c2, float step, float inv, float eps) {
	__m256 B1 = _mm256_set1_ps(b1), C1 = _mm256_set1_ps(c1), B2 = _mm256_set1_ps(b2), C2 = _mm256_set1_ps(c2);
	__m256 S = _mm256_set1_ps(step), I = _mm256_set1_ps(inv), E = _mm256_set1_ps(eps);
	long j = 0;
	for (; j + 8 <= n; j += 8) {
		__m256 gj = _mm256_loadu_ps(g + j);
		__m256 mj = _mm256_add_ps(_mm256_mul_ps(B1, _mm256_loadu_ps(m + j)), _mm256_mul_ps(C1, gj));
		__m256 vj = _mm256_add_ps(_mm256_mul_ps(B2, _mm256_loadu_ps(v + j)), _mm256_mul_ps(_mm256_mul_ps(C2, gj), gj));
		_mm256_storeu_ps(m + j, mj);
		_mm256_storeu_ps(v + j, vj);
		__m256 den = _mm256_add_ps(_mm256_mul_ps(_mm256_sqrt_ps(vj), I), E);
		_mm256_storeu_ps(w + j, _mm256_sub_ps(_mm256_loadu_ps(w + j), _mm256_div_ps(_mm256_mul_ps(S, mj), den)));
	}
	return j;
}

__attribute__((target("avx512f"), optimize("fp-contract=off"))) static long adam_avx512(float *w, const float *g, float *m, float *v, long n,
                                                           float b1, float c1, float b2, float c2, float step,
                                                           float inv, float eps) {
	__m512 B1 = _mm512_set1_ps(b1), C1 = _mm512_set1_ps(c1), B2 = _mm512_set1_ps(b2), C2 = _mm512_set1_ps(c2);
	__m512 S = _mm512_set1_ps(step), I = _mm512_set1_ps(inv), E = _mm512_set1_ps(eps);
	long j = 0;
	for (; j + 16 <= n; j += 16) {
		__m512 gj = _mm512_loadu_ps(g + j);
		__m512 mj = _mm512_add_ps(_mm512_mul_ps(B1, _mm512_loadu_ps(m + j)), _mm512_mul_ps(C1, gj));
		__m512 vj = _mm512_add_ps(_mm512_mul_ps(B2, _mm512_loadu_ps(v + j)), _mm512_mul_ps(_mm512_mul_ps(C2, gj), gj));
		_mm512_storeu_ps(m + j, mj);
		_mm512_storeu_ps(v + j, vj);
		__m512 den = _mm512_add_ps(_mm512_mul_ps(_mm512_sqrt_ps(vj), I), E);
		_mm512_storeu_ps(w + j, _mm512_sub_ps(_mm512_loadu_ps(w + j), _mm512_div_ps(_mm512_mul_ps(S, mj), den)));
	}
	return j;
}

// nn_avx is the widest Adam kernel the CPU runs: 2 = AVX-512F, 1 = AVX,
// 0 = SSE; −1 until detected.
static int nn_avx = -1;
#endif

// nn_adam_level is the Adam kernel in use: the widest the CPU runs, capped
// by nn_cap like the other families (cap 1 means AVX here, since Adam needs
// no AVX2 or FMA), so that tests reach the narrower kernels on every CPU.
int nn_adam_level(void) {
#ifdef NN_X86
	if (nn_avx < 0) {
		__builtin_cpu_init();
		nn_avx = __builtin_cpu_supports("avx512f") ? 2 : __builtin_cpu_supports("avx") ? 1 : 0;
	}
	return nn_avx < nn_cap ? nn_avx : nn_cap;
#else
	return 0;
#endif
}

void nn_adam_update(float *w, const float *g, float *m, float *v, long n, float b1, float c1, float b2, float c2,
                    float step, float inv, float eps) {
	long j = 0;
#ifdef NN_X86
	switch (nn_adam_level()) {
	case 2: j = adam_avx512(w, g, m, v, n, b1, c1, b2, c2, step, inv, eps); break;
	case 1: j = adam_avx(w, g, m, v, n, b1, c1, b2, c2, step, inv, eps); break;
	default: j = adam_sse(w, g, m, v, n, b1, c1, b2, c2, step, inv, eps);
	}
#endif
	adam_scalar(w, g, m, v, j, n, b1, c1, b2, c2, step, inv, eps);
}
