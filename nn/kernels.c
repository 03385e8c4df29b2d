//go:build cgo && !noopenblas

// Element-wise kernels of package nn for the default (cgo) build, written
// with GCC vector extensions so that each is compiled twice: for AVX2+FMA,
// chosen at run time on CPUs that have them, and for the baseline ISA.
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

// NN_LL8 evaluates 8 lanes: SP = softplus(l) and XMS = x − σ(l), the latter
// as (x − 1) + σ(−l) for l ≥ 0 and x − σ(l) otherwise, so that a σ close
// to 1 loses no precision to cancellation.
#define NN_LL8(L, X, SP, XMS)                                                         \
	do {                                                                            \
		v8sf a_ = (v8sf)((v8si)(L) & ISPLAT(0x7fffffff));                             \
		v8sf y_ = -a_;                                                                \
		v8si lo_ = y_ < SPLAT(-80.0f);                                                \
		y_ = (v8sf)(((v8si)y_ & ~lo_) | ((v8si)SPLAT(-80.0f) & lo_));                 \
		v8sf fx_ = y_ * SPLAT(1.44269504088896341f) + SPLAT(12582912.0f);            \
		v8si k_ = (v8si)fx_ - ISPLAT(0x4B400000);                                     \
		v8sf kf_ = fx_ - SPLAT(12582912.0f);                                          \
		v8sf r_ = y_ - kf_ * SPLAT(0.693359375f) - kf_ * SPLAT(-2.12194440e-4f);      \
		v8sf p_ = SPLAT(1.9875691500e-4f);                                            \
		p_ = p_ * r_ + SPLAT(1.3981999507e-3f);                                       \
		p_ = p_ * r_ + SPLAT(8.3334519073e-3f);                                       \
		p_ = p_ * r_ + SPLAT(4.1665795894e-2f);                                       \
		p_ = p_ * r_ + SPLAT(1.6666665459e-1f);                                       \
		p_ = p_ * r_ + SPLAT(5.0000001201e-1f);                                       \
		p_ = p_ * r_ * r_ + r_ + SPLAT(1.0f);                                         \
		v8sf t_ = p_ * (v8sf)((k_ + ISPLAT(127)) << 23);                              \
		v8sf s_ = t_ / (SPLAT(2.0f) + t_);                                            \
		v8sf s2_ = s_ * s_;                                                           \
		v8sf q_ = SPLAT(1.0f / 13);                                                   \
		q_ = q_ * s2_ + SPLAT(1.0f / 11);                                             \
		q_ = q_ * s2_ + SPLAT(1.0f / 9);                                              \
		q_ = q_ * s2_ + SPLAT(1.0f / 7);                                              \
		q_ = q_ * s2_ + SPLAT(1.0f / 5);                                              \
		q_ = q_ * s2_ + SPLAT(1.0f / 3);                                              \
		q_ = q_ * s2_ + SPLAT(1.0f);                                                  \
		SP = ((L) + a_) * SPLAT(0.5f) + SPLAT(2.0f) * s_ * q_;                        \
		v8sf sn_ = t_ / (SPLAT(1.0f) + t_);                                           \
		v8si pos_ = (L) >= SPLAT(0.0f);                                               \
		v8sf one_ = (v8sf)((v8si)SPLAT(1.0f) & pos_);                                 \
		v8sf sgn_ = (v8sf)((v8si)sn_ ^ ((v8si)SPLAT(-0.0f) & ~pos_));                 \
		XMS = ((X) - one_) + sgn_;                                                    \
	} while (0)

// Unaligned loads and stores, and the two halves of a float vector widened
// to double (macros rather than functions: vector arguments would change
// the calling convention between the two compilations).
#define NN_LOAD(p) ({ v8sf v_; memcpy(&v_, (p), sizeof v_); v_; })
#define NN_STORE(p, v) do { v8sf s_ = (v); memcpy((p), &s_, sizeof s_); } while (0)
#define NN_LO(v) __builtin_convertvector(__builtin_shufflevector((v), (v), 0, 1, 2, 3), v4df)
#define NN_HI(v) __builtin_convertvector(__builtin_shufflevector((v), (v), 4, 5, 6, 7), v4df)

// Row r of l (rows×n) is scored against row r/per of x; x == NULL means 0
// (the result is then −Σ softplus); bias (n) may be NULL.
static inline __attribute__((always_inline)) void nn_ll_rows_impl(const float *x, long per, const float *l,
                                                                  const float *bias, long rows, long n, float *out) {
	float lb[8], xb[8], tb[8];
	for (long r = 0; r < rows; r++) {
		const float *lr = l + r * n;
		const float *xr = x ? x + (r / per) * n : 0;
		v4df acc0 = {0, 0, 0, 0}, acc1 = {0, 0, 0, 0};
		long j = 0;
		for (; j + 8 <= n; j += 8) {
			v8sf L = NN_LOAD(lr + j), X = xr ? NN_LOAD(xr + j) : SPLAT(0.0f), SP, XMS;
			if (bias) L += NN_LOAD(bias + j);
			NN_LL8(L, X, SP, XMS);
			(void)XMS;
			v8sf term = X * L - SP;
			acc0 += NN_LO(term);
			acc1 += NN_HI(term);
		}
		double sum = 0;
		if (j < n) {
			long m = n - j;
			memset(lb, 0, sizeof lb);
			memset(xb, 0, sizeof xb);
			memcpy(lb, lr + j, m * sizeof(float));
			if (xr) memcpy(xb, xr + j, m * sizeof(float));
			if (bias)
				for (long i = 0; i < m; i++) lb[i] += bias[j + i];
			v8sf L = NN_LOAD(lb), X = NN_LOAD(xb), SP, XMS;
			NN_LL8(L, X, SP, XMS);
			(void)XMS;
			NN_STORE(tb, X * L - SP);
			for (long i = 0; i < m; i++) sum += tb[i];
		}
		v4df acc = acc0 + acc1;
		out[r] = (float)(sum + ((acc[0] + acc[1]) + (acc[2] + acc[3])));
	}
}

// Log-likelihood (out, may be NULL) and dl = scale·(x − σ(l)) for rows×n
// matrices; scale may be NULL (1); dl may alias l.
static inline __attribute__((always_inline)) void nn_ll_grad_rows_impl(const float *x, const float *l,
                                                                       const float *scale, long rows, long n,
                                                                       float *out, float *dl) {
	float lb[8], xb[8], tb[8], gb[8];
	for (long r = 0; r < rows; r++) {
		const float *lr = l + r * n, *xr = x + r * n;
		float *dr = dl + r * n;
		v8sf S = SPLAT(scale ? scale[r] : 1.0f);
		v4df acc0 = {0, 0, 0, 0}, acc1 = {0, 0, 0, 0};
		long j = 0;
		for (; j + 8 <= n; j += 8) {
			v8sf L = NN_LOAD(lr + j), X = NN_LOAD(xr + j), SP, XMS;
			NN_LL8(L, X, SP, XMS);
			v8sf term = X * L - SP;
			acc0 += NN_LO(term);
			acc1 += NN_HI(term);
			NN_STORE(dr + j, S * XMS);
		}
		double sum = 0;
		if (j < n) {
			long m = n - j;
			memset(lb, 0, sizeof lb);
			memset(xb, 0, sizeof xb);
			memcpy(lb, lr + j, m * sizeof(float));
			memcpy(xb, xr + j, m * sizeof(float));
			v8sf L = NN_LOAD(lb), X = NN_LOAD(xb), SP, XMS;
			NN_LL8(L, X, SP, XMS);
			NN_STORE(tb, X * L - SP);
			NN_STORE(gb, S * XMS);
			for (long i = 0; i < m; i++) sum += tb[i];
			memcpy(dr + j, gb, m * sizeof(float));
		}
		if (out) {
			v4df acc = acc0 + acc1;
			out[r] = (float)(sum + ((acc[0] + acc[1]) + (acc[2] + acc[3])));
		}
	}
}

#ifdef NN_X86
#define NN_FAST __attribute__((target("avx2,fma")))
#endif

#ifdef NN_FAST
NN_FAST static void nn_ll_rows_fast(const float *x, long per, const float *l, const float *bias, long rows, long n,
                                    float *out) {
	nn_ll_rows_impl(x, per, l, bias, rows, n, out);
}
NN_FAST static void nn_ll_grad_rows_fast(const float *x, const float *l, const float *scale, long rows, long n,
                                         float *out, float *dl) {
	nn_ll_grad_rows_impl(x, l, scale, rows, n, out, dl);
}
#endif

static void nn_ll_rows_base(const float *x, long per, const float *l, const float *bias, long rows, long n,
                            float *out) {
	nn_ll_rows_impl(x, per, l, bias, rows, n, out);
}

static void nn_ll_grad_rows_base(const float *x, const float *l, const float *scale, long rows, long n, float *out,
                                 float *dl) {
	nn_ll_grad_rows_impl(x, l, scale, rows, n, out, dl);
}

static int nn_fast = -1;

static int nn_use_fast(void) {
#ifdef NN_FAST
	if (nn_fast < 0) {
		__builtin_cpu_init();
		nn_fast = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
	}
	return nn_fast;
#else
	return 0;
#endif
}

// nn_kernels_fast reports whether the AVX2+FMA versions are in use.
int nn_kernels_fast(void) { return nn_use_fast(); }

// nn_kernels_set_fast turns the AVX2+FMA versions off (0) or back on where
// the CPU has them (1), so tests can exercise both; it returns the previous
// setting.
int nn_kernels_set_fast(int on) {
	int prev = nn_use_fast();
#ifdef NN_FAST
	nn_fast = -1;
	if (!on || !nn_use_fast()) nn_fast = 0;
#endif
	return prev;
}

void nn_ll_rows(const float *x, long per, const float *l, const float *bias, long rows, long n, float *out) {
#ifdef NN_FAST
	if (nn_use_fast()) {
		nn_ll_rows_fast(x, per, l, bias, rows, n, out);
		return;
	}
#endif
	nn_ll_rows_base(x, per, l, bias, rows, n, out);
}

void nn_ll_grad_rows(const float *x, const float *l, const float *scale, long rows, long n, float *out, float *dl) {
#ifdef NN_FAST
	if (nn_use_fast()) {
		nn_ll_grad_rows_fast(x, l, scale, rows, n, out, dl);
		return;
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
// Adam: the same single-precision operations in the same order as
// adamUpdateGo (no fused multiply-adds: the SSE/AVX kernels are compiled
// for targets without FMA, and the AVX-512 one, whose target has it, with
// contraction turned off), so results match the Go build bit for bit. The
// AVX-512 kernel matters: a step over 470k parameters is bound by the
// square roots and divisions more than by memory (120 µs with AVX, 82 µs
// with AVX-512 on Zen 5).

static void adam_scalar(float *w, const float *g, float *m, float *v, long j, long n, float b1, float c1, float b2,
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

void nn_adam_update(float *w, const float *g, float *m, float *v, long n, float b1, float c1, float b2, float c2,
                    float step, float inv, float eps) {
	long j = 0;
#ifdef NN_X86
	if (nn_avx < 0) {
		__builtin_cpu_init();
		nn_avx = __builtin_cpu_supports("avx512f") ? 2 : __builtin_cpu_supports("avx") ? 1 : 0;
	}
	switch (nn_avx) {
	case 2: j = adam_avx512(w, g, m, v, n, b1, c1, b2, c2, step, inv, eps); break;
	case 1: j = adam_avx(w, g, m, v, n, b1, c1, b2, c2, step, inv, eps); break;
	default: j = adam_sse(w, g, m, v, n, b1, c1, b2, c2, step, inv, eps);
	}
#endif
	adam_scalar(w, g, m, v, j, n, b1, c1, b2, c2, step, inv, eps);
}
