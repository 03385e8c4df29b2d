// Width-generic body of the Bernoulli log-likelihood kernels, included
// by kernels.c once per vector width. The includer defines W (lanes), VF,
// VI and VD (float, int32 and double vectors of W, W and W/2 lanes),
// NN_LOAD, NN_STORE, NN_LO and NN_HI (the halves of a VF widened to VD),
// VD_SUM (the sum of a VD's lanes), and LL_ROWS_IMPL, LL_GRAD_IMPL and
// LL_SIGADD_IMPL (the names of the three functions).

// Broadcasts: a vector plus a scalar splats the scalar (0 + c = c exactly
// for every c except −0, whose sign bit the code sets with integer masks).
#define VSPLAT(c) ((VF){} + (c))
#define VISPLAT(c) ((VI){} + (c))

// NN_LLV evaluates the W lanes of a vector: SP = softplus(l) and
// XMS = x − σ(l), the latter as (x − 1) + σ(−l) for l ≥ 0 and x − σ(l)
// otherwise, so that a σ close to 1 loses no precision to cancellation.
#define NN_LLV(L, X, SP, XMS)                                                                   \
	do {                                                                                    \
		VF a_ = (VF)((VI)(L) & VISPLAT(0x7fffffff));                                    \
		VF y_ = -a_;                                                                    \
		VI lo_ = y_ < VSPLAT(-80.0f);                                                   \
		y_ = (VF)(((VI)y_ & ~lo_) | ((VI)VSPLAT(-80.0f) & lo_));                        \
		VF fx_ = y_ * VSPLAT(1.44269504088896341f) + VSPLAT(12582912.0f);               \
		VI k_ = (VI)fx_ - VISPLAT(0x4B400000);                                          \
		VF kf_ = fx_ - VSPLAT(12582912.0f);                                             \
		VF r_ = y_ - kf_ * VSPLAT(0.693359375f) - kf_ * VSPLAT(-2.12194440e-4f);        \
		VF p_ = VSPLAT(1.9875691500e-4f);                                               \
		p_ = p_ * r_ + VSPLAT(1.3981999507e-3f);                                        \
		p_ = p_ * r_ + VSPLAT(8.3334519073e-3f);                                        \
		p_ = p_ * r_ + VSPLAT(4.1665795894e-2f);                                        \
		p_ = p_ * r_ + VSPLAT(1.6666665459e-1f);                                        \
		p_ = p_ * r_ + VSPLAT(5.0000001201e-1f);                                        \
		p_ = p_ * r_ * r_ + r_ + VSPLAT(1.0f);                                          \
		VF t_ = p_ * (VF)((k_ + VISPLAT(127)) << 23);                                   \
		VF s_ = t_ / (VSPLAT(2.0f) + t_);                                               \
		VF s2_ = s_ * s_;                                                               \
		VF q_ = VSPLAT(1.0f / 13);                                                      \
		q_ = q_ * s2_ + VSPLAT(1.0f / 11);                                              \
		q_ = q_ * s2_ + VSPLAT(1.0f / 9);                                               \
		q_ = q_ * s2_ + VSPLAT(1.0f / 7);                                               \
		q_ = q_ * s2_ + VSPLAT(1.0f / 5);                                               \
		q_ = q_ * s2_ + VSPLAT(1.0f / 3);                                               \
		q_ = q_ * s2_ + VSPLAT(1.0f);                                                   \
		SP = ((L) + a_) * VSPLAT(0.5f) + VSPLAT(2.0f) * s_ * q_;                        \
		VF sn_ = t_ / (VSPLAT(1.0f) + t_);                                              \
		VI pos_ = (L) >= VSPLAT(0.0f);                                                  \
		VF one_ = (VF)((VI)VSPLAT(1.0f) & pos_);                                        \
		VF sgn_ = (VF)((VI)sn_ ^ (VISPLAT((int32_t)0x80000000) & ~pos_));               \
		XMS = ((X) - one_) + sgn_;                                                      \
	} while (0)

// Row r of l (rows×n) is scored against row r/per of x; x == NULL means 0
// (the result is then −Σ softplus); bias (n) may be NULL.
static inline __attribute__((always_inline)) void LL_ROWS_IMPL(const float *x, long per, const float *l,
                                                                  const float *bias, long rows, long n, float *out) {
	float lb[W], xb[W], tb[W];
	for (long r = 0; r < rows; r++) {
		const float *lr = l + r * n;
		const float *xr = x ? x + (r / per) * n : 0;
		VD acc0 = {0}, acc1 = {0};
		long j = 0;
		for (; j + W <= n; j += W) {
			VF L = NN_LOAD(lr + j), X = xr ? NN_LOAD(xr + j) : VSPLAT(0.0f), SP, XMS;
			if (bias) L += NN_LOAD(bias + j);
			NN_LLV(L, X, SP, XMS);
			(void)XMS;
			VF term = X * L - SP;
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
			VF L = NN_LOAD(lb), X = NN_LOAD(xb), SP, XMS;
			NN_LLV(L, X, SP, XMS);
			(void)XMS;
			NN_STORE(tb, X * L - SP);
			for (long i = 0; i < m; i++) sum += tb[i];
		}
		VD acc = acc0 + acc1;
		out[r] = (float)(sum + VD_SUM(acc));
	}
}

// Log-likelihood (out, may be NULL) and dl = scale·(x − σ(l)) for rows×n
// matrices; scale may be NULL (1); dl may alias l.
static inline __attribute__((always_inline)) void LL_GRAD_IMPL(const float *x, const float *l,
                                                                       const float *scale, long rows, long n,
                                                                       float *out, float *dl) {
	float lb[W], xb[W], tb[W], gb[W];
	for (long r = 0; r < rows; r++) {
		const float *lr = l + r * n, *xr = x + r * n;
		float *dr = dl + r * n;
		VF S = VSPLAT(scale ? scale[r] : 1.0f);
		VD acc0 = {0}, acc1 = {0};
		long j = 0;
		for (; j + W <= n; j += W) {
			VF L = NN_LOAD(lr + j), X = NN_LOAD(xr + j), SP, XMS;
			NN_LLV(L, X, SP, XMS);
			VF term = X * L - SP;
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
			VF L = NN_LOAD(lb), X = NN_LOAD(xb), SP, XMS;
			NN_LLV(L, X, SP, XMS);
			NN_STORE(tb, X * L - SP);
			NN_STORE(gb, S * XMS);
			for (long i = 0; i < m; i++) sum += tb[i];
			memcpy(dr + j, gb, m * sizeof(float));
		}
		if (out) {
			VD acc = acc0 + acc1;
			out[r] = (float)(sum + VD_SUM(acc));
		}
	}
}

// dst[r, :] += scale[r]·σ(l[r, :]) for rows×n matrices; scale may be NULL
// (1). σ comes from NN_LLV with x = 0, whose XMS is −σ(l).
static inline __attribute__((always_inline)) void LL_SIGADD_IMPL(const float *l, const float *scale, long rows, long n,
                                                                 float *dst) {
	float lb[W], db[W];
	for (long r = 0; r < rows; r++) {
		const float *lr = l + r * n;
		float *dr = dst + r * n;
		VF S = VSPLAT(scale ? scale[r] : 1.0f), Z = VSPLAT(0.0f);
		long j = 0;
		for (; j + W <= n; j += W) {
			VF L = NN_LOAD(lr + j), SP, XMS;
			NN_LLV(L, Z, SP, XMS);
			(void)SP;
			NN_STORE(dr + j, NN_LOAD(dr + j) - S * XMS);
		}
		if (j < n) {
			long m = n - j;
			memset(lb, 0, sizeof lb);
			memset(db, 0, sizeof db);
			memcpy(lb, lr + j, m * sizeof(float));
			memcpy(db, dr + j, m * sizeof(float));
			VF L = NN_LOAD(lb), SP, XMS;
			NN_LLV(L, Z, SP, XMS);
			(void)SP;
			NN_STORE(db, NN_LOAD(db) - S * XMS);
			memcpy(dr + j, db, m * sizeof(float));
		}
	}
}

#undef VSPLAT
#undef VISPLAT
#undef NN_LLV
