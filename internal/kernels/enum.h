// Width-generic body of the streaming sums over enumerated codes
// (nn_enum_add), included by kernels.c once per vector width. The includer
// defines VD and VL (double and int64 vectors of the same lane count WD),
// VD_SUM (the sum of a VD's lanes), NN_LOADD (a VD of doubles) and NN_LOADF4
// (WD floats widened to a VD), and ENUM_IMPL (the function's name).

#define VDSPLAT(c) ((VD){} + (c))

// NN_EXPD(d): e^d for d in [−708, 0] (callers clamp): Cody–Waite reduction
// by ln 2 split in two, then Taylor to degree 13 on |r| ≤ ln2/2 (relative
// error below 1e−16), scaled by 2^k through the exponent bits.
#define NN_EXPD(D, E)                                                                              \
	do {                                                                                       \
		VD fx_ = (D) * VDSPLAT(1.4426950408889634) + VDSPLAT(6755399441055744.0);          \
		VL k_ = (VL)fx_ - (VL)VDSPLAT(6755399441055744.0);                                 \
		VD kf_ = fx_ - VDSPLAT(6755399441055744.0);                                        \
		VD r_ = (D) - kf_ * VDSPLAT(6.93147180369123816490e-01);                           \
		r_ = r_ - kf_ * VDSPLAT(1.90821492927058770002e-10);                               \
		VD p_ = VDSPLAT(1.0 / 6227020800.0);                                               \
		p_ = p_ * r_ + VDSPLAT(1.0 / 479001600.0);                                         \
		p_ = p_ * r_ + VDSPLAT(1.0 / 39916800.0);                                          \
		p_ = p_ * r_ + VDSPLAT(1.0 / 3628800.0);                                           \
		p_ = p_ * r_ + VDSPLAT(1.0 / 362880.0);                                            \
		p_ = p_ * r_ + VDSPLAT(1.0 / 40320.0);                                             \
		p_ = p_ * r_ + VDSPLAT(1.0 / 5040.0);                                              \
		p_ = p_ * r_ + VDSPLAT(1.0 / 720.0);                                               \
		p_ = p_ * r_ + VDSPLAT(1.0 / 120.0);                                               \
		p_ = p_ * r_ + VDSPLAT(1.0 / 24.0);                                                \
		p_ = p_ * r_ + VDSPLAT(1.0 / 6.0);                                                 \
		p_ = p_ * r_ + VDSPLAT(0.5);                                                       \
		p_ = p_ * r_ + VDSPLAT(1.0);                                                       \
		p_ = p_ * r_ + VDSPLAT(1.0);                                                       \
		(E) = p_ * (VD)((k_ + (VL){} + 1023) << 52);                                       \
	} while (0)

#define VSEL(M, A, B) ((VD)(((VL)(A) & (M)) | ((VL)(B) & ~(M))))
#define VMASK(M, A) ((VD)((VL)(A) & (M)))

// ENUM_IMPL adds codes 0..n−1 to one example's sums st = {mf, sf, mh, sh,
// th, tf} (see nn.EnumSums): f = xl + xb − sp (sp = +∞ marks a code to
// skip), h as given.
static inline __attribute__((always_inline)) void ENUM_IMPL(const float *xl, const float *h, const double *sp,
                                                              double xb, long n, double cut, double *st) {
	const double inf = __builtin_inf();
	VD mfv = VDSPLAT(-inf), mhv = VDSPLAT(-inf);
	long j = 0;
	for (; j + WD <= n; j += WD) {
		VD S = NN_LOADD(sp + j), f = NN_LOADF4(xl + j) + VDSPLAT(xb) - S, hv = NN_LOADF4(h + j);
		VL ok = S < VDSPLAT(inf);
		mfv = VSEL(f > mfv, f, mfv);
		hv = VSEL(ok, hv, VDSPLAT(-inf));
		mhv = VSEL(hv > mhv, hv, mhv);
	}
	double mf = -inf, mh = -inf;
	for (int l = 0; l < WD; l++) {
		mf = mfv[l] > mf ? mfv[l] : mf;
		mh = mhv[l] > mh ? mhv[l] : mh;
	}
	for (; j < n; j++) {
		if (sp[j] == inf) continue;
		double f = (double)xl[j] + xb - sp[j];
		mf = f > mf ? f : mf;
		mh = (double)h[j] > mh ? (double)h[j] : mh;
	}
	if (mf > st[0]) {
		st[1] *= exp_scalar(st[0] - mf);
		st[0] = mf;
	}
	if (mh > st[2]) {
		if (st[3] > 0) {
			double s = exp_scalar(st[2] - mh);
			st[4] = s * (st[4] + st[3] * (st[2] - mh));
			st[3] *= s;
			st[5] *= s;
		}
		st[2] = mh;
	}
	const double rf = st[0], rh = st[2], lo = -cut - 1;
	VD sfv = {0}, shv = {0}, thv = {0}, tfv = {0};
	for (j = 0; j + WD <= n; j += WD) {
		VD S = NN_LOADD(sp + j), f = NN_LOADF4(xl + j) + VDSPLAT(xb) - S, hv = NN_LOADF4(h + j);
		VL ok = S < VDSPLAT(inf);
		VD d = f - VDSPLAT(rf), e;
		VL m1 = d > VDSPLAT(-cut);
		d = VSEL(d > VDSPLAT(lo), d, VDSPLAT(lo));
		NN_EXPD(d, e);
		sfv += VMASK(m1, e);
		VD dh = hv - VDSPLAT(rh);
		VL m2 = ok & (dh > VDSPLAT(-cut));
		dh = VSEL(dh > VDSPLAT(lo), dh, VDSPLAT(lo));
		NN_EXPD(dh, e);
		e = VMASK(m2, e);
		shv += e;
		thv += VMASK(m2, e * dh);
		tfv += VMASK(m2, e * f);
	}
	double sf = VD_SUM(sfv), sh = VD_SUM(shv), th = VD_SUM(thv), tf = VD_SUM(tfv);
	for (; j < n; j++) {
		if (sp[j] == inf) continue;
		double f = (double)xl[j] + xb - sp[j];
		double d = f - rf;
		if (d > -cut) sf += exp_scalar(d);
		d = (double)h[j] - rh;
		if (d > -cut) {
			double e = exp_scalar(d);
			sh += e;
			th += e * d;
			tf += e * f;
		}
	}
	st[1] += sf;
	st[3] += sh;
	st[4] += th;
	st[5] += tf;
}

#undef VDSPLAT
#undef NN_EXPD
#undef VSEL
#undef VMASK
