// dnnl_bf16.cpp — oneDNN's bfloat16 matmul (Debian libdnnl-dev) against
// package nn's own AVX512-BF16 kernel (nn/bf16.c, linked in) at the f̃
// pass's shapes: C (m×784, float32) = A (m×300) · Wᵀ, bfloat16 operands,
// float32 accumulation, one thread each, alternated in one loop. Both
// convert A from float32 each call (oneDNN by a reorder primitive, nn by
// nn_bf16_pack_rows) and use W converted once. Prints GFLOP/s of each (wall and
// thread CPU time) and their ratio (oneDNN time / nn time), and checks that the two results agree. Built and run by
// bench/dnnl_bf16.sh; not part of the Go build.
#include <oneapi/dnnl/dnnl.hpp>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <random>
#include <vector>

#include <time.h>

extern "C" {
int nn_bf16_ok(void);
void nn_bf16_pack_rows(const float *a, long rows, long k, long lda, uint32_t *out, long kp);
void nn_bf16_transpose(const uint32_t *src, long rows, long cols, long lds, uint32_t *dst, long ldd);
void nn_bf16_gemm(long m, long n, long kp, const uint32_t *a, long lda, const uint32_t *b, long ldb, float *c,
                  long ldc);
}

using namespace dnnl;
using clk = std::chrono::steady_clock;

// cpu is this thread's CPU time in seconds: less disturbed by other
// processes on a shared machine than wall time.
static double cpu() {
	timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return t.tv_sec + 1e-9 * t.tv_nsec;
}

int main(int argc, char **argv) {
	if (!nn_bf16_ok()) {
		std::puts("skipped: no AVX512-BF16");
		return 0;
	}
	int reps = argc > 1 ? std::atoi(argv[1]) : 50;
	const long k = 300, n = 784, kp = 150, nb = 784;
	std::mt19937 g(1);
	std::normal_distribution<float> nd;
	std::vector<float> w(n * k);
	for (auto &v : w) v = 0.05f * nd(g);
	std::vector<uint32_t> rows(n * kp), pk(kp * nb);
	nn_bf16_pack_rows(w.data(), n, k, k, rows.data(), kp);
	nn_bf16_transpose(rows.data(), n, kp, kp, pk.data(), nb);

	engine eng(engine::kind::cpu, 0);
	stream s(eng);
	for (long m : {100L, 700L, 1400L}) {
		std::vector<float> a(m * k), c1(m * n), c2(m * n);
		for (auto &v : a) v = std::max(0.f, nd(g));
		// oneDNN: A f32 → bf16 reorder, matmul with W (k×n, "ba" = Wᵀ of
		// the row-major n×k W) reordered once to the primitive's format.
		memory::desc a32({m, k}, memory::data_type::f32, memory::format_tag::ab);
		memory::desc a16({m, k}, memory::data_type::bf16, memory::format_tag::ab);
		memory::desc w32({k, n}, memory::data_type::f32, memory::format_tag::ba);
		memory::desc wany({k, n}, memory::data_type::bf16, memory::format_tag::any);
		memory::desc c32({m, n}, memory::data_type::f32, memory::format_tag::ab);
		matmul::primitive_desc pd(matmul::desc(a16, wany, c32), eng); // oneDNN 2.x API
		memory am32(a32, eng, a.data()), am16(a16, eng), wm32(w32, eng, w.data()), wm(pd.weights_desc(), eng),
		    cm(c32, eng, c2.data());
		reorder(wm32, wm).execute(s, wm32, wm);
		reorder ra(am32, am16);
		matmul mm(pd);
		std::vector<uint32_t> ap(m * kp);
		double t_nn = 0, t_dnnl = 0, u_nn = 0, u_dnnl = 0;
		for (int r = 0; r < reps + 2; r++) {
			double u0 = cpu();
			auto t0 = clk::now();
			nn_bf16_pack_rows(a.data(), m, k, k, ap.data(), kp);
			nn_bf16_gemm(m, n, kp, ap.data(), kp, pk.data(), nb, c1.data(), n);
			auto t1 = clk::now();
			double u1 = cpu();
			ra.execute(s, am32, am16);
			mm.execute(s, {{DNNL_ARG_SRC, am16}, {DNNL_ARG_WEIGHTS, wm}, {DNNL_ARG_DST, cm}});
			s.wait();
			auto t2 = clk::now();
			double u2 = cpu();
			if (r >= 2) { // the first two calls warm up
				u_nn += u1 - u0;
				u_dnnl += u2 - u1;
				t_nn += std::chrono::duration<double>(t1 - t0).count();
				t_dnnl += std::chrono::duration<double>(t2 - t1).count();
			}
		}
		double worst = 0;
		for (long i = 0; i < m * n; i++) worst = std::max(worst, (double)std::fabs(c1[i] - c2[i]) / (1 + std::fabs(c1[i])));
		double flop = 2.0 * m * n * k * reps;
		std::printf("%5ldx300x784  wall: nn %6.1f oneDNN %6.1f GFLOP/s (%.2f)  cpu: nn %6.1f oneDNN %6.1f GFLOP/cpu-s "
		            "(%.2f)  max rel diff %.1e  %s\n",
		            m, flop / t_nn / 1e9, flop / t_dnnl / 1e9, t_dnnl / t_nn, flop / u_nn / 1e9, flop / u_dnnl / 1e9,
		            u_dnnl / u_nn, worst, pd.impl_info_str());
	}
	return 0;
}
