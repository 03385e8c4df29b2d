//go:build cgo && !noopenblas

// Single-precision matrix products with AVX-512F register tiles, for CPUs
// where OpenBLAS runs its AVX2 kernels (Debian's 0.3.21 on AMD Zen 5, or
// OPENBLAS_CORETYPE=Haswell): twice the vector width, no packing, which
// also suits the short products of this package (10 to 100 rows). Row-major
// operands; gemm512.go decides when to use them.
//
//   - nn_gemm512_nn: C = beta·C + alpha·A·B, A(i,p) = a[i·sai + p·sap], so
//     that A may be transposed (sai = 1, sap = lda) without a copy. Tiles
//     of 6 rows × 64 columns (24 accumulators): for each p, four vectors of
//     B's row p and six broadcasts of A. O(m·n·k).
//   - nn_gemm512_nt: C = beta·C + alpha·A·Bᵀ with A m×k, B n×k: dot
//     products of rows, tiles of 4 × 4 (16 accumulators along k), reduced
//     by a shuffle tree to one vector of 16 sums. O(m·n·k).
//
// beta = 0 ignores C's previous contents (NaNs included), as BLAS does.

#if defined(__x86_64__)
#include <immintrin.h>
#include <stdint.h>

#define G_AT __attribute__((target("avx512f"), always_inline)) static inline
#define G_FN __attribute__((target("avx512f"))) static

static inline __mmask16 g_mask(long left) { return left >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << left) - 1); }

// Store acc into c (nv vectors, the last with mask ml): c = beta·c + alpha·acc.
G_AT void g_store(float *c, __m512 acc, __mmask16 m, float alpha, float beta) {
	__m512 v = _mm512_mul_ps(acc, _mm512_set1_ps(alpha));
	if (beta != 0) v = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, c), _mm512_set1_ps(beta), v);
	_mm512_mask_storeu_ps(c, m, v);
}

// One MR × (16·NV) tile of C = A·B.
G_AT void g_tile_nn(const int MR, const int NV, long k, const float *a, long sai, long sap, const float *b, long ldb,
                    float *c, long ldc, __mmask16 ml, float alpha, float beta) {
	__m512 acc[6][4];
	#pragma GCC unroll 16
	for (int r = 0; r < MR; r++)
		#pragma GCC unroll 16
		for (int v = 0; v < NV; v++) acc[r][v] = _mm512_setzero_ps();
	for (long p = 0; p < k; p++) {
		const float *bp = b + p * ldb;
		__m512 bv[4];
		#pragma GCC unroll 16
		for (int v = 0; v < NV; v++) bv[v] = _mm512_maskz_loadu_ps(v == NV - 1 ? ml : (__mmask16)0xffff, bp + 16 * v);
		const float *ap = a + p * sap;
		#pragma GCC unroll 16
		for (int r = 0; r < MR; r++) {
			__m512 av = _mm512_set1_ps(ap[r * sai]);
			#pragma GCC unroll 16
			for (int v = 0; v < NV; v++) acc[r][v] = _mm512_fmadd_ps(av, bv[v], acc[r][v]);
		}
	}
	#pragma GCC unroll 16
	for (int r = 0; r < MR; r++)
		#pragma GCC unroll 16
		for (int v = 0; v < NV; v++)
			g_store(c + r * ldc + 16 * v, acc[r][v], v == NV - 1 ? ml : (__mmask16)0xffff, alpha, beta);
}

#define G_NN_CASE(MR, NV)                                                                                     \
	case (MR) * 8 + (NV):                                                                                     \
		g_tile_nn(MR, NV, k, a + i * sai, sai, sap, b + j, ldb, c + i * ldc + j, ldc, ml, alpha, beta); \
		break;
#define G_NN_ROW(MR) G_NN_CASE(MR, 1) G_NN_CASE(MR, 2) G_NN_CASE(MR, 3) G_NN_CASE(MR, 4)

G_FN void g_nn(long m, long n, long k, float alpha, const float *a, long sai, long sap, const float *b, long ldb,
               float beta, float *c, long ldc) {
	for (long j = 0; j < n; j += 64) {
		long cols = n - j < 64 ? n - j : 64;
		int nv = (int)((cols + 15) / 16);
		__mmask16 ml = g_mask(cols - 16 * (nv - 1));
		for (long i = 0; i < m; i += 6) {
			int mr = m - i < 6 ? (int)(m - i) : 6;
			switch (mr * 8 + nv) {
				G_NN_ROW(1)
				G_NN_ROW(2)
				G_NN_ROW(3)
				G_NN_ROW(4)
				G_NN_ROW(5)
				G_NN_ROW(6)
			}
		}
	}
}

// Reduce 16 accumulators to one vector: element 4l + e is the sum of the
// lanes of v[l + 4e].
G_AT __m512 g_reduce16(__m512 v[16]) {
	__m512 w[8], x[4], y[2];
	#pragma GCC unroll 16
	for (int q = 0; q < 8; q++)
		w[q] = _mm512_add_ps(_mm512_shuffle_f32x4(v[2 * q], v[2 * q + 1], _MM_SHUFFLE(1, 0, 1, 0)),
		                     _mm512_shuffle_f32x4(v[2 * q], v[2 * q + 1], _MM_SHUFFLE(3, 2, 3, 2)));
	#pragma GCC unroll 16
	for (int q = 0; q < 4; q++)
		x[q] = _mm512_add_ps(_mm512_shuffle_f32x4(w[2 * q], w[2 * q + 1], _MM_SHUFFLE(2, 0, 2, 0)),
		                     _mm512_shuffle_f32x4(w[2 * q], w[2 * q + 1], _MM_SHUFFLE(3, 1, 3, 1)));
	#pragma GCC unroll 16
	for (int q = 0; q < 2; q++)
		y[q] = _mm512_add_ps(_mm512_shuffle_ps(x[2 * q], x[2 * q + 1], _MM_SHUFFLE(1, 0, 1, 0)),
		                     _mm512_shuffle_ps(x[2 * q], x[2 * q + 1], _MM_SHUFFLE(3, 2, 3, 2)));
	return _mm512_add_ps(_mm512_shuffle_ps(y[0], y[1], _MM_SHUFFLE(2, 0, 2, 0)),
	                     _mm512_shuffle_ps(y[0], y[1], _MM_SHUFFLE(3, 1, 3, 1)));
}

// A 4 × 4 tile of C = A·Bᵀ: rows ar[0..3] of A against rows br[0..3] of B;
// only the first mr × nr entries are stored.
G_AT void g_tile_nt(long k, const float *ar[4], const float *br[4], float *c, long ldc, int mr, int nr, float alpha,
                    float beta) {
	__m512 acc[16];
	#pragma GCC unroll 16
	for (int q = 0; q < 16; q++) acc[q] = _mm512_setzero_ps();
	long p = 0;
	for (; p + 16 <= k; p += 16) {
		__m512 av[4], bv[4];
		#pragma GCC unroll 16
		for (int r = 0; r < 4; r++) av[r] = _mm512_loadu_ps(ar[r] + p);
		#pragma GCC unroll 16
		for (int q = 0; q < 4; q++) bv[q] = _mm512_loadu_ps(br[q] + p);
		#pragma GCC unroll 16
		for (int r = 0; r < 4; r++)
			#pragma GCC unroll 16
			for (int q = 0; q < 4; q++) acc[4 * r + q] = _mm512_fmadd_ps(av[r], bv[q], acc[4 * r + q]);
	}
	if (p < k) {
		__mmask16 m = g_mask(k - p);
		__m512 av[4], bv[4];
		#pragma GCC unroll 16
		for (int r = 0; r < 4; r++) av[r] = _mm512_maskz_loadu_ps(m, ar[r] + p);
		#pragma GCC unroll 16
		for (int q = 0; q < 4; q++) bv[q] = _mm512_maskz_loadu_ps(m, br[q] + p);
		#pragma GCC unroll 16
		for (int r = 0; r < 4; r++)
			#pragma GCC unroll 16
			for (int q = 0; q < 4; q++) acc[4 * r + q] = _mm512_fmadd_ps(av[r], bv[q], acc[4 * r + q]);
	}
	// acc[4r + q] = C(r, q), so the reduced vector holds C(r, q) at 4q + r.
	float t[16];
	_mm512_storeu_ps(t, g_reduce16(acc));
	#pragma GCC unroll 16
	for (int r = 0; r < mr; r++)
		#pragma GCC unroll 16
		for (int q = 0; q < nr; q++) {
			float v = alpha * t[4 * q + r];
			float *cp = c + r * ldc + q;
			*cp = beta != 0 ? v + beta * *cp : v;
		}
}

G_FN void g_nt(long m, long n, long k, float alpha, const float *a, long lda, const float *b, long ldb, float beta,
               float *c, long ldc) {
	for (long i = 0; i < m; i += 4) {
		int mr = m - i < 4 ? (int)(m - i) : 4;
		const float *ar[4];
		for (int r = 0; r < 4; r++) ar[r] = a + (i + (r < mr ? r : 0)) * lda;
		for (long j = 0; j < n; j += 4) {
			int nr = n - j < 4 ? (int)(n - j) : 4;
			const float *br[4];
			for (int q = 0; q < 4; q++) br[q] = b + (j + (q < nr ? q : 0)) * ldb;
			g_tile_nt(k, ar, br, c + i * ldc + j, ldc, mr, nr, alpha, beta);
		}
	}
}

int nn_gemm512_ok(void) {
	__builtin_cpu_init();
	return __builtin_cpu_supports("avx512f") != 0;
}

void nn_gemm512_nn(long m, long n, long k, float alpha, const float *a, long sai, long sap, const float *b, long ldb,
                   float beta, float *c, long ldc) {
	g_nn(m, n, k, alpha, a, sai, sap, b, ldb, beta, c, ldc);
}

void nn_gemm512_nt(long m, long n, long k, float alpha, const float *a, long lda, const float *b, long ldb,
                   float beta, float *c, long ldc) {
	g_nt(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

#else

int nn_gemm512_ok(void) { return 0; }
void nn_gemm512_nn(long m, long n, long k, float alpha, const float *a, long sai, long sap, const float *b, long ldb,
                   float beta, float *c, long ldc) {}
void nn_gemm512_nt(long m, long n, long k, float alpha, const float *a, long lda, const float *b, long ldb,
                   float beta, float *c, long ldc) {}

#endif
