//go:build cgo && !noopenblas

// bfloat16 products with float32 accumulation for the forward-only
// products of bf16.go, on CPUs with AVX512-BF16 (VDPBF16PS). Operands are
// rounded to bfloat16 (round to nearest even, VCVTNE2PS2BF16) and stored
// as pairs along the summed index: one uint32 holds elements 2q (low half)
// and 2q+1 (high half), the layout VDPBF16PS multiplies.
//
//   - nn_bf16_pack_rows: rows×k floats (stride lda) → rows×kp pairs,
//     kp = ⌈k/2⌉, an odd k padded with a zero.
//   - nn_bf16_gemm: C(m×n, stride ldc) = A·Bᵀ with A as m×kp pairs and B
//     given as kp×nb pairs (row q holds pair q of every row of the original
//     B, nb ≥ n a multiple of 16, padding zero). Tiles of 6 rows × 64
//     columns (24 accumulators): for each q, four vectors of B's row q and
//     six broadcasts of a pair of A. O(m·n·k). Each element of C is
//     c = (((0 + a₁b₁) + a₀b₀) + a₃b₃) + a₂b₂ … in float32 (VDPBF16PS adds
//     the odd product first; each product of two bfloat16 is exact), the
//     same whatever the tile, so results do not depend on how rows are
//     split between calls.
//
// Input denormals are read as zero and results flushed to zero by the
// instructions themselves (DAZ/FTZ semantics of AVX512-BF16).

#if defined(__x86_64__)
#include <immintrin.h>
#include <stdint.h>
#include <string.h>

#define B_TGT __attribute__((target("avx512f,avx512bw,avx512bf16")))
#define B_AT B_TGT __attribute__((always_inline)) static inline

static inline __mmask16 b_mask(long left) { return left >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << left) - 1); }

int nn_bf16_ok(void) {
	__builtin_cpu_init();
	return __builtin_cpu_supports("avx512bf16") && __builtin_cpu_supports("avx512bw");
}

// Pack rows of floats into bf16 pairs: 32 floats → 16 pairs per step.
B_TGT void nn_bf16_pack_rows(const float *a, long rows, long k, long lda, uint32_t *out, long kp) {
	for (long i = 0; i < rows; i++) {
		const float *ar = a + i * lda;
		uint32_t *o = out + i * kp;
		long p = 0;
		for (; p + 32 <= k; p += 32) {
			__m512 lo = _mm512_loadu_ps(ar + p), hi = _mm512_loadu_ps(ar + p + 16);
			__m512bh v = _mm512_cvtne2ps_pbh(hi, lo);
			_mm512_storeu_si512((void *)(o + p / 2), (__m512i)v);
		}
		if (p < k) {
			long left = k - p;
			__m512 lo = _mm512_maskz_loadu_ps(b_mask(left), ar + p);
			__m512 hi = _mm512_maskz_loadu_ps(b_mask(left > 16 ? left - 16 : 0), ar + p + 16);
			__m512bh v = _mm512_cvtne2ps_pbh(hi, lo);
			long pairs = (left + 1) / 2;
			_mm512_mask_storeu_epi32((void *)(o + p / 2), b_mask(pairs), (__m512i)v);
		}
	}
}

// Transpose rows×cols uint32 (stride lds) into cols×rows (stride ldd), by
// 16×16 blocks.
void nn_bf16_transpose(const uint32_t *src, long rows, long cols, long lds, uint32_t *dst, long ldd) {
	for (long i0 = 0; i0 < rows; i0 += 16) {
		long i1 = i0 + 16 < rows ? i0 + 16 : rows;
		for (long j0 = 0; j0 < cols; j0 += 16) {
			long j1 = j0 + 16 < cols ? j0 + 16 : cols;
			for (long i = i0; i < i1; i++)
				for (long j = j0; j < j1; j++) dst[j * ldd + i] = src[i * lds + j];
		}
	}
}

// One MR × (16·NV) tile.
B_AT void b_tile(const int MR, const int NV, long kp, const uint32_t *a, long lda, const uint32_t *b, long ldb,
                 float *c, long ldc, __mmask16 ml) {
	__m512 acc[6][4];
	#pragma GCC unroll 16
	for (int r = 0; r < MR; r++)
		#pragma GCC unroll 16
		for (int v = 0; v < NV; v++) acc[r][v] = _mm512_setzero_ps();
	for (long q = 0; q < kp; q++) {
		const uint32_t *bq = b + q * ldb;
		__m512i bv[4];
		#pragma GCC unroll 16
		for (int v = 0; v < NV; v++) bv[v] = _mm512_loadu_si512((const void *)(bq + 16 * v));
		#pragma GCC unroll 16
		for (int r = 0; r < MR; r++) {
			__m512i av = _mm512_set1_epi32((int)a[r * lda + q]);
			#pragma GCC unroll 16
			for (int v = 0; v < NV; v++) acc[r][v] = _mm512_dpbf16_ps(acc[r][v], (__m512bh)av, (__m512bh)bv[v]);
		}
	}
	#pragma GCC unroll 16
	for (int r = 0; r < MR; r++)
		#pragma GCC unroll 16
		for (int v = 0; v < NV; v++)
			_mm512_mask_storeu_ps(c + r * ldc + 16 * v, v == NV - 1 ? ml : (__mmask16)0xffff, acc[r][v]);
}

#define B_CASE(MR, NV)                                                                          \
	case (MR) * 8 + (NV):                                                                       \
		b_tile(MR, NV, kp, a + i * lda, lda, b + j, ldb, c + i * ldc + j, ldc, ml); \
		break;
#define B_ROW(MR) B_CASE(MR, 1) B_CASE(MR, 2) B_CASE(MR, 3) B_CASE(MR, 4)

B_TGT void nn_bf16_gemm(long m, long n, long kp, const uint32_t *a, long lda, const uint32_t *b, long ldb, float *c,
                        long ldc) {
	for (long j = 0; j < n; j += 64) {
		long cols = n - j < 64 ? n - j : 64;
		int nv = (int)((cols + 15) / 16);
		__mmask16 ml = b_mask(cols - 16 * (nv - 1));
		for (long i = 0; i < m; i += 6) {
			int mr = m - i < 6 ? (int)(m - i) : 6;
			switch (mr * 8 + nv) {
				B_ROW(1)
				B_ROW(2)
				B_ROW(3)
				B_ROW(4)
				B_ROW(5)
				B_ROW(6)
			}
		}
	}
}

#else

#include <stdint.h>
int nn_bf16_ok(void) { return 0; }
void nn_bf16_pack_rows(const float *a, long rows, long k, long lda, uint32_t *out, long kp) {}
void nn_bf16_transpose(const uint32_t *src, long rows, long cols, long lds, uint32_t *dst, long ldd) {}
void nn_bf16_gemm(long m, long n, long kp, const uint32_t *a, long lda, const uint32_t *b, long ldb, float *c,
                  long ldc) {}

#endif
