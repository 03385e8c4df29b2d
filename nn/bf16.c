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


// ---------------------------------------------------------------------------
// AMX (TDPBF16PS), opt-in: nn_amx_ok asks for the tile state only when
// CPUID reports AMX-TILE and AMX-BF16 and the OS enables the tile
// components in XCR0; Linux grants it per process through
// arch_prctl(ARCH_REQ_XCOMP_PERM, XFEATURE_XTILEDATA) and may refuse
// (then 0: the caller keeps the AVX512-BF16 kernel).
//
// nn_amx_gemm: C (m×n, stride ldc) = A·Bᵀ with A as m32×kp16 pairs (rows
// padded with zeros to a multiple of 32, pairs to a multiple of 16) and B
// as kp16×nb pairs (nb a multiple of 32, zero padding); c32 is an m32×nb
// scratch. Blocks of 32×32 (four accumulator tiles), K by 16 pairs.

#include <sys/syscall.h>
#include <unistd.h>
#include <cpuid.h>

#define NN_ARCH_GET_XCOMP_PERM 0x1022
#define NN_ARCH_REQ_XCOMP_PERM 0x1023
#define NN_XFEATURE_XTILEDATA 18

int nn_amx_ok(void) {
	unsigned a, b, c, d;
	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
	if (!(d & (1u << 24)) || !(d & (1u << 22))) return 0; // AMX-TILE, AMX-BF16
	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 27))) return 0; // OSXSAVE
	unsigned lo, hi;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	if ((lo & (3u << 17)) != (3u << 17)) return 0; // XTILECFG, XTILEDATA
	if (syscall(SYS_arch_prctl, NN_ARCH_REQ_XCOMP_PERM, NN_XFEATURE_XTILEDATA) != 0) return 0;
	unsigned long perm = 0;
	if (syscall(SYS_arch_prctl, NN_ARCH_GET_XCOMP_PERM, &perm) != 0) return 0;
	return (perm & (1ul << NN_XFEATURE_XTILEDATA)) != 0;
}

struct nn_tilecfg {
	uint8_t palette, start_row, reserved[14];
	uint16_t colsb[16];
	uint8_t rows[16];
};

__attribute__((target("amx-tile,amx-bf16"))) void nn_amx_gemm(long m, long n, long kp16, const uint32_t *a,
                                                                const uint32_t *b, long nb, float *c32, float *c,
                                                                long ldc) {
	struct nn_tilecfg cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.palette = 1;
	for (int t = 0; t < 8; t++) cfg.rows[t] = 16, cfg.colsb[t] = 64;
	_tile_loadconfig(&cfg);
	long m32 = (m + 31) & ~31L;
	for (long i = 0; i < m32; i += 32)
		for (long j = 0; j < nb; j += 32) {
			_tile_zero(0);
			_tile_zero(1);
			_tile_zero(2);
			_tile_zero(3);
			for (long q = 0; q < kp16; q += 16) {
				_tile_loadd(4, a + i * kp16 + q, kp16 * 4);
				_tile_loadd(5, a + (i + 16) * kp16 + q, kp16 * 4);
				_tile_loadd(6, b + q * nb + j, nb * 4);
				_tile_loadd(7, b + q * nb + j + 16, nb * 4);
				_tile_dpbf16ps(0, 4, 6);
				_tile_dpbf16ps(1, 4, 7);
				_tile_dpbf16ps(2, 5, 6);
				_tile_dpbf16ps(3, 5, 7);
			}
			_tile_stored(0, c32 + i * nb + j, nb * 4);
			_tile_stored(1, c32 + i * nb + j + 16, nb * 4);
			_tile_stored(2, c32 + (i + 16) * nb + j, nb * 4);
			_tile_stored(3, c32 + (i + 16) * nb + j + 16, nb * 4);
		}
	_tile_release();
	for (long i = 0; i < m; i++) memcpy(c + i * ldc, c32 + i * nb, n * sizeof(float));
}

// Register-resident VDPBF16PS loop for the benchmarks' peak rate: 24
// independent accumulators, iters × 24 instructions of 32 multiply-adds.
// Returns a sum so that the loop is not removed.
B_TGT float nn_bf16_peak(long iters) {
	__m512 acc[24];
	__m512i a = _mm512_set1_epi32(0x3f803f80), b = _mm512_set1_epi32(0x3c003c00);
	#pragma GCC unroll 24
	for (int r = 0; r < 24; r++) acc[r] = _mm512_set1_ps((float)r);
	for (long it = 0; it < iters; it++) {
		__asm__ volatile("" : "+v"(a));
		#pragma GCC unroll 24
		for (int r = 0; r < 24; r++) acc[r] = _mm512_dpbf16_ps(acc[r], (__m512bh)a, (__m512bh)b);
	}
	__m512 s = acc[0];
	#pragma GCC unroll 24
	for (int r = 1; r < 24; r++) s = _mm512_add_ps(s, acc[r]);
	return _mm512_reduce_add_ps(s);
}

// The same with VFMADD231PS (float32), for comparison.
B_TGT float nn_fp32_peak(long iters) {
	__m512 acc[24];
	__m512 a = _mm512_set1_ps(1.0f), b = _mm512_set1_ps(1e-3f);
	#pragma GCC unroll 24
	for (int r = 0; r < 24; r++) acc[r] = _mm512_set1_ps((float)r);
	for (long it = 0; it < iters; it++) {
		__asm__ volatile("" : "+v"(a));
		#pragma GCC unroll 24
		for (int r = 0; r < 24; r++) acc[r] = _mm512_fmadd_ps(a, b, acc[r]);
	}
	__m512 s = acc[0];
	#pragma GCC unroll 24
	for (int r = 1; r < 24; r++) s = _mm512_add_ps(s, acc[r]);
	return _mm512_reduce_add_ps(s);
}

#else

#include <stdint.h>
int nn_amx_ok(void) { return 0; }
void nn_amx_gemm(long m, long n, long kp16, const uint32_t *a, const uint32_t *b, long nb, float *c32, float *c,
                 long ldc) {}
float nn_bf16_peak(long iters) { return 0; }
float nn_fp32_peak(long iters) { return 0; }
int nn_bf16_ok(void) { return 0; }
void nn_bf16_pack_rows(const float *a, long rows, long k, long lda, uint32_t *out, long kp) {}
void nn_bf16_transpose(const uint32_t *src, long rows, long cols, long lds, uint32_t *dst, long ldd) {}
void nn_bf16_gemm(long m, long n, long kp, const uint32_t *a, long lda, const uint32_t *b, long ldb, float *c,
                  long ldc) {}

#endif
