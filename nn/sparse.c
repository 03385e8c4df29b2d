//go:build cgo && !noopenblas

// Kernels of the sparse binary input path (binrows.go, linear_binary.go)
// for the default (cgo) build: the scan of a 0/1 matrix into the column
// positions of its ones, a blocked transpose, and the gather-add and
// column-sum loops of a fully connected layer whose input rows are 0/1.
// The loops over the output dimension are written with GCC vector
// extensions and compiled three times, for AVX-512F, for AVX2 and for the
// baseline ISA; the best one the CPU supports is picked at run time. The
// pure-Go equivalents are in sparse_go.go.

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
// Gather-add: y[b, o] = bias[o] + Σ_{k ∈ [start[b], start[b+1])} wt[idx[k]·ldw + o]
// for o < n. wt rows and bias are read in whole vectors of 16 up to
// ceil(n/16)·16 ≤ ldw, so both must be zero padded to that width; y is
// written only for o < n.
static inline __attribute__((always_inline)) void sp_gather_impl(const float *wt, long ldw, const int32_t *start,
                                                               const int32_t *idx, long rows, const float *bias,
                                                               long n, float *y, long ldy) {
	long nv = (n + 15) / 16;
	float tmp[16];
	for (long b = 0; b < rows; b++) {
		const int32_t *ib = idx + start[b], *ie = idx + start[b + 1];
		float *yb = y + b * ldy;
		long v = 0;
		for (; v + 4 <= nv; v += 4) {
			long o = v * 16;
			v16sf a0 = SP_LOAD(bias + o), a1 = SP_LOAD(bias + o + 16), a2 = SP_LOAD(bias + o + 32),
			      a3 = SP_LOAD(bias + o + 48);
			for (const int32_t *k = ib; k < ie; k++) {
				const float *w = wt + (long)*k * ldw + o;
				a0 += SP_LOAD(w);
				a1 += SP_LOAD(w + 16);
				a2 += SP_LOAD(w + 32);
				a3 += SP_LOAD(w + 48);
			}
			SP_STORE(tmp, a3);
			if (o + 64 <= n) {
				SP_STORE(yb + o, a0);
				SP_STORE(yb + o + 16, a1);
				SP_STORE(yb + o + 32, a2);
				SP_STORE(yb + o + 48, a3);
			} else {
				// only the last vector can be partial
				SP_STORE(yb + o, a0);
				SP_STORE(yb + o + 16, a1);
				SP_STORE(yb + o + 32, a2);
				memcpy(yb + o + 48, tmp, (n - o - 48) * sizeof(float));
			}
		}
		for (; v < nv; v++) {
			long o = v * 16;
			v16sf a = SP_LOAD(bias + o);
			for (const int32_t *k = ib; k < ie; k++) a += SP_LOAD(wt + (long)*k * ldw + o);
			if (o + 16 <= n) {
				SP_STORE(yb + o, a);
			} else {
				SP_STORE(tmp, a);
				memcpy(yb + o, tmp, (n - o) * sizeof(float));
			}
		}
	}
}

// Column sums: g[j·ldg + o] = Σ_{k ∈ [cstart[j], cstart[j+1])} dy[cidx[k]·ldd + o]
// for every j < cols and o < ldg (ldg a multiple of 16, dy rows readable
// to that width).
static inline __attribute__((always_inline)) void sp_colsum_impl(const float *dy, long ldd, const int32_t *cstart,
                                                               const int32_t *cidx, long cols, float *g, long ldg) {
	long nv = ldg / 16;
	for (long j = 0; j < cols; j++) {
		const int32_t *kb = cidx + cstart[j], *ke = cidx + cstart[j + 1];
		float *gj = g + j * ldg;
		long v = 0;
		for (; v + 4 <= nv; v += 4) {
			long o = v * 16;
			v16sf a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};
			for (const int32_t *k = kb; k < ke; k++) {
				const float *d = dy + (long)*k * ldd + o;
				a0 += SP_LOAD(d);
				a1 += SP_LOAD(d + 16);
				a2 += SP_LOAD(d + 32);
				a3 += SP_LOAD(d + 48);
			}
			SP_STORE(gj + o, a0);
			SP_STORE(gj + o + 16, a1);
			SP_STORE(gj + o + 32, a2);
			SP_STORE(gj + o + 48, a3);
		}
		for (; v < nv; v++) {
			long o = v * 16;
			v16sf a = {0};
			for (const int32_t *k = kb; k < ke; k++) a += SP_LOAD(dy + (long)*k * ldd + o);
			SP_STORE(gj + o, a);
		}
	}
}

#ifdef SP_X86
__attribute__((target("avx512f"))) static void sp_gather_512(const float *wt, long ldw, const int32_t *start,
                                                             const int32_t *idx, long rows, const float *bias, long n,
                                                             float *y, long ldy) {
	sp_gather_impl(wt, ldw, start, idx, rows, bias, n, y, ldy);
}
__attribute__((target("avx2"))) static void sp_gather_256(const float *wt, long ldw, const int32_t *start,
                                                          const int32_t *idx, long rows, const float *bias, long n,
                                                          float *y, long ldy) {
	sp_gather_impl(wt, ldw, start, idx, rows, bias, n, y, ldy);
}
__attribute__((target("avx512f"))) static void sp_colsum_512(const float *dy, long ldd, const int32_t *cstart,
                                                             const int32_t *cidx, long cols, float *g, long ldg) {
	sp_colsum_impl(dy, ldd, cstart, cidx, cols, g, ldg);
}
__attribute__((target("avx2"))) static void sp_colsum_256(const float *dy, long ldd, const int32_t *cstart,
                                                          const int32_t *cidx, long cols, float *g, long ldg) {
	sp_colsum_impl(dy, ldd, cstart, cidx, cols, g, ldg);
}
#endif

static void sp_gather_base(const float *wt, long ldw, const int32_t *start, const int32_t *idx, long rows,
                           const float *bias, long n, float *y, long ldy) {
	sp_gather_impl(wt, ldw, start, idx, rows, bias, n, y, ldy);
}

static void sp_colsum_base(const float *dy, long ldd, const int32_t *cstart, const int32_t *cidx, long cols, float *g,
                           long ldg) {
	sp_colsum_impl(dy, ldd, cstart, cidx, cols, g, ldg);
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

void nn_gather_add(const float *wt, long ldw, const int32_t *start, const int32_t *idx, long rows, const float *bias,
                   long n, float *y, long ldy) {
	switch (sp_detect()) {
#ifdef SP_X86
	case 2: sp_gather_512(wt, ldw, start, idx, rows, bias, n, y, ldy); return;
	case 1: sp_gather_256(wt, ldw, start, idx, rows, bias, n, y, ldy); return;
#endif
	default: sp_gather_base(wt, ldw, start, idx, rows, bias, n, y, ldy);
	}
}

void nn_col_sums(const float *dy, long ldd, const int32_t *cstart, const int32_t *cidx, long cols, float *g, long ldg) {
	switch (sp_detect()) {
#ifdef SP_X86
	case 2: sp_colsum_512(dy, ldd, cstart, cidx, cols, g, ldg); return;
	case 1: sp_colsum_256(dy, ldd, cstart, cidx, cols, g, ldg); return;
#endif
	default: sp_colsum_base(dy, ldd, cstart, cidx, cols, g, ldg);
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

void nn_transpose(const float *src, long rows, long cols, long lds, float *dst, long ldd, int add) {
#ifdef SP_X86
	if (sp_detect() >= 1) {
		tr_avx(src, rows, cols, lds, dst, ldd, add);
		return;
	}
#endif
	tr_scalar(src, 0, rows, 0, cols, lds, dst, ldd, add);
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
