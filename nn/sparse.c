//go:build cgo && !noopenblas

// Kernels of the sparse binary input path (binrows.go, linear_binary.go)
// for the default (cgo) build: the scan of a 0/1 matrix into the column
// positions of its ones, a blocked transpose, and the forward and
// weight-gradient passes of a fully connected layer whose input rows are
// 0/1. The loops over outputs are written with GCC vector extensions and
// compiled three times, for AVX-512F, for AVX2 and for the baseline ISA;
// the best one the CPU supports is picked at run time. The pure-Go
// equivalents are in sparse_go.go.

#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define SP_X86 1
#endif

typedef float v16sf __attribute__((vector_size(64)));

#define SP_LOAD(p) ({ v16sf v_; memcpy(&v_, (p), sizeof v_); v_; })
#define SP_STORE(p, v) do { v16sf s_ = (v); memcpy((p), &s_, sizeof s_); } while (0)

// ---------------------------------------------------------------------------
// A fully connected layer y = x·Wᵀ + b (W out×in) on a 0/1 input x given by
// the columns of its ones, row by row (start, idx) for the forward pass and
// row numbers by column (cstart, cidx) for the weight gradient. Both work
// on panels of outputs (16 forward, 64 backward), so that a panel's
// weights (in×16 floats: 50 KB for in = 784) stay in L1/L2 while every row
// is gathered from it:
//
//   forward:  P = W[o0:o0+16, :]ᵀ; y[b, o0:o0+16] = b + Σ_{j ∈ ones(b)} P[j]
//   backward: G[j] = Σ_{b : x[b,j] = 1} dy[b, o0:o0+64];  GW[o0:o0+64, :] += Gᵀ,
//             GB[o0:o0+64] += Σ_b dy[b, o0:o0+64]
//
// Each sum runs over four interleaved partial sums so that consecutive
// vector adds do not wait on each other. The last panel may be partial
// (out not a multiple of 16); its extra lanes are zero and never stored.

static void tr_any(const float *src, long rows, long cols, long lds, float *dst, long ldd, int add);

// Sum of the panel rows p[k·16] over the list ks (n entries).
#define SP_SUM16(P, KS, N, OUT)                                                                         \
	do {                                                                                            \
		v16sf s0_ = {0}, s1_ = {0}, s2_ = {0}, s3_ = {0};                                       \
		long q_ = 0;                                                                            \
		for (; q_ + 4 <= (N); q_ += 4) {                                                        \
			s0_ += SP_LOAD((P) + 16 * (long)(KS)[q_]);                                        \
			s1_ += SP_LOAD((P) + 16 * (long)(KS)[q_ + 1]);                                    \
			s2_ += SP_LOAD((P) + 16 * (long)(KS)[q_ + 2]);                                    \
			s3_ += SP_LOAD((P) + 16 * (long)(KS)[q_ + 3]);                                    \
		}                                                                                       \
		for (; q_ < (N); q_++) s0_ += SP_LOAD((P) + 16 * (long)(KS)[q_]);                       \
		OUT = (s0_ + s1_) + (s2_ + s3_);                                                        \
	} while (0)

static inline __attribute__((always_inline)) void sp_forward_impl(const float *w, const float *bias, long in,
                                                                long out, const int32_t *start, const int32_t *idx,
                                                                long rows, float *y, float *panel) {
	for (long o0 = 0; o0 < out; o0 += 16) {
		long pw = out - o0 < 16 ? out - o0 : 16;
		if (pw < 16) memset(panel, 0, in * 16 * sizeof(float));
		tr_any(w + o0 * in, pw, in, in, panel, 16, 0);
		float bb[16] = {0}, t[16];
		memcpy(bb, bias + o0, pw * sizeof(float));
		v16sf bv = SP_LOAD(bb);
		for (long b = 0; b < rows; b++) {
			v16sf acc;
			SP_SUM16(panel, idx + start[b], start[b + 1] - start[b], acc);
			acc = bv + acc;
			if (pw == 16) {
				SP_STORE(y + b * out + o0, acc);
			} else {
				SP_STORE(t, acc);
				memcpy(y + b * out + o0, t, pw * sizeof(float));
			}
		}
	}
}

// The weight gradient runs on panels of SP_BW = 64 outputs (four vectors,
// four independent sums), which spreads the per-column loop overhead of
// short column lists over more work than 16-wide panels would.
#define SP_BW 64

static inline __attribute__((always_inline)) void sp_backward_impl(const float *dy, long rows, long out, long in,
                                                                 const int32_t *cstart, const int32_t *cidx,
                                                                 float *gw, float *gb, float *dpanel, float *gpanel) {
	for (long o0 = 0; o0 < out; o0 += SP_BW) {
		long pw = out - o0 < SP_BW ? out - o0 : SP_BW;
		for (long b = 0; b < rows; b++) {
			float *d = dpanel + SP_BW * b;
			memcpy(d, dy + b * out + o0, pw * sizeof(float));
			for (long c = pw; c < SP_BW; c++) d[c] = 0;
			for (long c = 0; c < pw; c++) gb[o0 + c] += d[c];
		}
		for (long j = 0; j < in; j++) {
			v16sf a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};
			for (const int32_t *k = cidx + cstart[j], *e = cidx + cstart[j + 1]; k < e; k++) {
				const float *d = dpanel + SP_BW * (long)*k;
				a0 += SP_LOAD(d);
				a1 += SP_LOAD(d + 16);
				a2 += SP_LOAD(d + 32);
				a3 += SP_LOAD(d + 48);
			}
			float *g = gpanel + SP_BW * j;
			SP_STORE(g, a0);
			SP_STORE(g + 16, a1);
			SP_STORE(g + 32, a2);
			SP_STORE(g + 48, a3);
		}
		tr_any(gpanel, in, pw, SP_BW, gw + o0 * in, in, 1);
	}
}

#ifdef SP_X86
__attribute__((target("avx512f"))) static void sp_forward_512(const float *w, const float *bias, long in, long out,
                                                              const int32_t *start, const int32_t *idx, long rows,
                                                              float *y, float *panel) {
	sp_forward_impl(w, bias, in, out, start, idx, rows, y, panel);
}
__attribute__((target("avx2"))) static void sp_forward_256(const float *w, const float *bias, long in, long out,
                                                           const int32_t *start, const int32_t *idx, long rows,
                                                           float *y, float *panel) {
	sp_forward_impl(w, bias, in, out, start, idx, rows, y, panel);
}
__attribute__((target("avx512f"))) static void sp_backward_512(const float *dy, long rows, long out, long in,
                                                               const int32_t *cstart, const int32_t *cidx, float *gw,
                                                               float *gb, float *dpanel, float *gpanel) {
	sp_backward_impl(dy, rows, out, in, cstart, cidx, gw, gb, dpanel, gpanel);
}
__attribute__((target("avx2"))) static void sp_backward_256(const float *dy, long rows, long out, long in,
                                                            const int32_t *cstart, const int32_t *cidx, float *gw,
                                                            float *gb, float *dpanel, float *gpanel) {
	sp_backward_impl(dy, rows, out, in, cstart, cidx, gw, gb, dpanel, gpanel);
}
#endif

static void sp_forward_base(const float *w, const float *bias, long in, long out, const int32_t *start,
                            const int32_t *idx, long rows, float *y, float *panel) {
	sp_forward_impl(w, bias, in, out, start, idx, rows, y, panel);
}

static void sp_backward_base(const float *dy, long rows, long out, long in, const int32_t *cstart,
                             const int32_t *cidx, float *gw, float *gb, float *dpanel, float *gpanel) {
	sp_backward_impl(dy, rows, out, in, cstart, cidx, gw, gb, dpanel, gpanel);
}

// sp_level is the widest vector ISA in use: 2 = AVX-512F, 1 = AVX2,
// 0 = baseline; −1 until detected. nn_sparse_set_level caps it (tests).
static int sp_level = -1, sp_cap = 2;

static int sp_detect(void) {
	if (sp_level < 0) {
		int l = 0;
#ifdef SP_X86
		__builtin_cpu_init();
		if (__builtin_cpu_supports("avx512f")) l = 2;
		else if (__builtin_cpu_supports("avx2")) l = 1;
#endif
		sp_level = l;
	}
	return sp_level < sp_cap ? sp_level : sp_cap;
}

// nn_sparse_level returns the vector level in use (2, 1 or 0).
int nn_sparse_level(void) { return sp_detect(); }

// nn_sparse_set_level caps the level (so tests reach every variant) and
// returns the previous cap.
int nn_sparse_set_level(int cap) {
	int prev = sp_cap;
	sp_cap = cap;
	return prev;
}

// nn_binary_forward sets y (rows×out) = x·Wᵀ + bias for the 0/1 rows x
// given by (start, idx); panel is scratch of in·16 floats.
void nn_binary_forward(const float *w, const float *bias, long in, long out, const int32_t *start, const int32_t *idx,
                       long rows, float *y, float *panel) {
	switch (sp_detect()) {
#ifdef SP_X86
	case 2: sp_forward_512(w, bias, in, out, start, idx, rows, y, panel); return;
	case 1: sp_forward_256(w, bias, in, out, start, idx, rows, y, panel); return;
#endif
	default: sp_forward_base(w, bias, in, out, start, idx, rows, y, panel);
	}
}

// nn_binary_backward adds dyᵀ·x to gw (out×in) for the 0/1 rows x given by
// columns (cstart, cidx), and the column sums of dy to gb (out); dpanel
// (rows·64) and gpanel (in·64) are scratch.
void nn_binary_backward(const float *dy, long rows, long out, long in, const int32_t *cstart, const int32_t *cidx,
                        float *gw, float *gb, float *dpanel, float *gpanel) {
	switch (sp_detect()) {
#ifdef SP_X86
	case 2: sp_backward_512(dy, rows, out, in, cstart, cidx, gw, gb, dpanel, gpanel); return;
	case 1: sp_backward_256(dy, rows, out, in, cstart, cidx, gw, gb, dpanel, gpanel); return;
#endif
	default: sp_backward_base(dy, rows, out, in, cstart, cidx, gw, gb, dpanel, gpanel);
	}
}

// ---------------------------------------------------------------------------
// Transpose: dst[c·ldd + r] = src[r·lds + c] (or += when add) for r < rows,
// c < cols. Tiles of 8×8 go through AVX registers; the edges and CPUs
// without AVX use a scalar loop over 32×32 tiles.

static void tr_scalar(const float *src, long r0, long r1, long c0, long c1, long lds, float *dst, long ldd, int add) {
	for (long rb = r0; rb < r1; rb += 32) {
		long re = rb + 32 < r1 ? rb + 32 : r1;
		for (long cb = c0; cb < c1; cb += 32) {
			long ce = cb + 32 < c1 ? cb + 32 : c1;
			for (long c = cb; c < ce; c++) {
				float *d = dst + c * ldd;
				if (add)
					for (long r = rb; r < re; r++) d[r] += src[r * lds + c];
				else
					for (long r = rb; r < re; r++) d[r] = src[r * lds + c];
			}
		}
	}
}

#ifdef SP_X86
__attribute__((target("avx"))) static void tr_avx(const float *src, long rows, long cols, long lds, float *dst,
                                                   long ldd, int add) {
	long R = rows & ~7L, C = cols & ~7L;
	for (long rb = 0; rb < R; rb += 64) {
		long re = rb + 64 < R ? rb + 64 : R;
		for (long c = 0; c < C; c += 8) {
			for (long r = rb; r < re; r += 8) {
				const float *s = src + r * lds + c;
				__m256 r0 = _mm256_loadu_ps(s), r1 = _mm256_loadu_ps(s + lds), r2 = _mm256_loadu_ps(s + 2 * lds),
				       r3 = _mm256_loadu_ps(s + 3 * lds), r4 = _mm256_loadu_ps(s + 4 * lds),
				       r5 = _mm256_loadu_ps(s + 5 * lds), r6 = _mm256_loadu_ps(s + 6 * lds),
				       r7 = _mm256_loadu_ps(s + 7 * lds);
				__m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1);
				__m256 t2 = _mm256_unpacklo_ps(r2, r3), t3 = _mm256_unpackhi_ps(r2, r3);
				__m256 t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5);
				__m256 t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);
				__m256 u0 = _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(1, 0, 1, 0));
				__m256 u1 = _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(3, 2, 3, 2));
				__m256 u2 = _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(1, 0, 1, 0));
				__m256 u3 = _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(3, 2, 3, 2));
				__m256 u4 = _mm256_shuffle_ps(t4, t6, _MM_SHUFFLE(1, 0, 1, 0));
				__m256 u5 = _mm256_shuffle_ps(t4, t6, _MM_SHUFFLE(3, 2, 3, 2));
				__m256 u6 = _mm256_shuffle_ps(t5, t7, _MM_SHUFFLE(1, 0, 1, 0));
				__m256 u7 = _mm256_shuffle_ps(t5, t7, _MM_SHUFFLE(3, 2, 3, 2));
				__m256 o[8] = {
				    _mm256_permute2f128_ps(u0, u4, 0x20), _mm256_permute2f128_ps(u1, u5, 0x20),
				    _mm256_permute2f128_ps(u2, u6, 0x20), _mm256_permute2f128_ps(u3, u7, 0x20),
				    _mm256_permute2f128_ps(u0, u4, 0x31), _mm256_permute2f128_ps(u1, u5, 0x31),
				    _mm256_permute2f128_ps(u2, u6, 0x31), _mm256_permute2f128_ps(u3, u7, 0x31),
				};
				float *d = dst + c * ldd + r;
				if (add)
					for (int i = 0; i < 8; i++)
						_mm256_storeu_ps(d + i * ldd, _mm256_add_ps(_mm256_loadu_ps(d + i * ldd), o[i]));
				else
					for (int i = 0; i < 8; i++) _mm256_storeu_ps(d + i * ldd, o[i]);
			}
		}
	}
	tr_scalar(src, 0, R, C, cols, lds, dst, ldd, add);
	tr_scalar(src, R, rows, 0, cols, lds, dst, ldd, add);
}
#endif

static void tr_any(const float *src, long rows, long cols, long lds, float *dst, long ldd, int add) {
#ifdef SP_X86
	if (sp_detect() >= 1) {
		tr_avx(src, rows, cols, lds, dst, ldd, add);
		return;
	}
#endif
	tr_scalar(src, 0, rows, 0, cols, lds, dst, ldd, add);
}

void nn_transpose(const float *src, long rows, long cols, long lds, float *dst, long ldd, int add) {
	tr_any(src, rows, cols, lds, dst, ldd, add);
}

// ---------------------------------------------------------------------------
// Binary scan: for the rows×cols matrix x (row stride cols), idx receives
// the columns of the ones of each row in increasing order and start[r] the
// offset of row r's first one (start[rows] = the total). Returns that
// total, or −1 − i for the flat index i of the first entry that is neither
// 0 nor 1 (NaN included). idx must have room for rows·cols + 16 entries:
// the vector versions store whole vectors of candidate positions and
// advance by the number of ones, without branches on the data (at MNIST's
// density a branch per one mispredicts constantly).

static long scan_tail(const float *xr, long j, long cols, int32_t *idx, long n, long base) {
	for (; j < cols; j++) {
		float v = xr[j];
		if (v != 0.0f && v != 1.0f) return -1 - (base + j);
		idx[n] = (int32_t)j;
		n += v == 1.0f;
	}
	return n;
}

#ifdef SP_X86
__attribute__((target("avx512f"))) static long scan_512(const float *x, long rows, long cols, int32_t *start,
                                                       int32_t *idx) {
	const __m512 one = _mm512_set1_ps(1.0f), zero = _mm512_setzero_ps();
	const __m512i iota = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
	long n = 0;
	for (long r = 0; r < rows; r++) {
		const float *xr = x + r * cols;
		start[r] = (int32_t)n;
		long j = 0;
		for (; j + 16 <= cols; j += 16) {
			__m512 v = _mm512_loadu_ps(xr + j);
			__mmask16 m1 = _mm512_cmp_ps_mask(v, one, _CMP_EQ_OQ);
			__mmask16 m0 = _mm512_cmp_ps_mask(v, zero, _CMP_EQ_OQ);
			if ((__mmask16)(m0 | m1) != 0xffff)
				return -1 - (r * cols + j + __builtin_ctz(~(unsigned)(m0 | m1)));
			__m512i pos = _mm512_add_epi32(iota, _mm512_set1_epi32((int)j));
			_mm512_storeu_si512((void *)(idx + n), _mm512_maskz_compress_epi32(m1, pos));
			n += __builtin_popcount((unsigned)m1);
		}
		n = scan_tail(xr, j, cols, idx, n, r * cols);
		if (n < 0) return n;
	}
	start[rows] = (int32_t)n;
	return n;
}

// scan_lut[m] lists the set bits of the byte m as 8 lane numbers.
static uint8_t scan_lut[256][8];

static void scan_lut_init(void) {
	for (int m = 0; m < 256; m++) {
		int k = 0;
		for (int b = 0; b < 8; b++)
			if (m >> b & 1) scan_lut[m][k++] = (uint8_t)b;
	}
}

__attribute__((target("avx2"))) static long scan_avx2(const float *x, long rows, long cols, int32_t *start,
                                                      int32_t *idx) {
	if (scan_lut[255][7] == 0) scan_lut_init();
	const __m256 one = _mm256_set1_ps(1.0f), zero = _mm256_setzero_ps();
	long n = 0;
	for (long r = 0; r < rows; r++) {
		const float *xr = x + r * cols;
		start[r] = (int32_t)n;
		long j = 0;
		for (; j + 8 <= cols; j += 8) {
			__m256 v = _mm256_loadu_ps(xr + j);
			unsigned m1 = (unsigned)_mm256_movemask_ps(_mm256_cmp_ps(v, one, _CMP_EQ_OQ));
			unsigned m0 = (unsigned)_mm256_movemask_ps(_mm256_cmp_ps(v, zero, _CMP_EQ_OQ));
			if ((m0 | m1) != 0xffu) return -1 - (r * cols + j + __builtin_ctz(~(m0 | m1)));
			__m128i lanes = _mm_loadl_epi64((const __m128i *)scan_lut[m1]);
			__m256i pos = _mm256_add_epi32(_mm256_cvtepu8_epi32(lanes), _mm256_set1_epi32((int)j));
			_mm256_storeu_si256((__m256i *)(idx + n), pos);
			n += __builtin_popcount(m1);
		}
		n = scan_tail(xr, j, cols, idx, n, r * cols);
		if (n < 0) return n;
	}
	start[rows] = (int32_t)n;
	return n;
}
#endif

long nn_binary_scan(const float *x, long rows, long cols, int32_t *start, int32_t *idx) {
#ifdef SP_X86
	switch (sp_detect()) {
	case 2: return scan_512(x, rows, cols, start, idx);
	case 1: return scan_avx2(x, rows, cols, start, idx);
	}
#endif
	long n = 0;
	for (long r = 0; r < rows; r++) {
		start[r] = (int32_t)n;
		n = scan_tail(x + r * cols, 0, cols, idx, n, r * cols);
		if (n < 0) return n;
	}
	start[rows] = (int32_t)n;
	return n;
}
