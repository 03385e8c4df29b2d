//go:build cgo && !noopenblas

package nn

/*
#cgo CFLAGS: -O2
#cgo LDFLAGS: -lm

#include <stdint.h>

// Implemented in kernels.c.
void nn_adam_update(float *w, const float *g, float *m, float *v, long n,
                    float b1, float c1, float b2, float c2, float step, float inv, float eps);
void nn_ll_rows(const float *x, long per, const float *l, const float *bias, long rows, long n, float *out);
void nn_ll_pairs(const float *x, const int32_t *xi, const float *l, const int32_t *li, const float *bias, long pairs,
                 long n, float *out);
void nn_ll_grad_rows(const float *x, const float *l, const float *scale, long rows, long n, float *out, float *dl);
void nn_relu(float *v, long n);
void nn_sigmoid_add(const float *l, const float *scale, long rows, long n, float *dst);
void nn_group_sum(const float *src, long rows, long cols, const int32_t *of, float *dst);
void nn_relu_mask(const float *h, float *d, long n);
int nn_kernels_fast(void);
int nn_adam_level(void);
int nn_kernels_set_level(int cap);
*/
import "C"

// kernelsName describes the element-wise kernels in use.
func kernelsName() string {
	switch C.nn_kernels_fast() {
	case 2:
		return "c-avx512"
	case 1:
		return "c-avx2"
	}
	return "c"
}

// setFastKernels enables or disables the vector-extension kernels beyond
// the baseline (tests use it to cover the baseline ones) and returns the
// previous setting.
func setFastKernels(on bool) bool {
	l := 0
	if on {
		l = 2
	}
	return C.nn_kernels_set_level(C.int(l)) != 0
}

// setKernelLevel caps the element-wise kernels at a level (0 baseline,
// 1 AVX2+FMA, 2 AVX-512F; for Adam 0 SSE, 1 AVX, 2 AVX-512F) and returns
// the previous cap.
func setKernelLevel(l int) int { return int(C.nn_kernels_set_level(C.int(l))) }

// kernelLevel returns the level in use.
func kernelLevel() int { return int(C.nn_kernels_fast()) }

// adamLevel returns the Adam kernel in use under the same cap: 2 AVX-512F,
// 1 AVX, 0 SSE (or the portable loop off x86).
func adamLevel() int { return int(C.nn_adam_level()) }

// adamUpdate is the per-element Adam update of one parameter tensor,
// vectorised in C; adamUpdateGo is the reference it matches bit for bit.
func adamUpdate(w, g, m, v []float32, b1, c1, b2, c2, stepSize, inv, eps float32) {
	n := len(w)
	if n == 0 {
		return
	}
	g, m, v = g[:n], m[:n], v[:n]
	C.nn_adam_update((*C.float)(&w[0]), (*C.float)(&g[0]), (*C.float)(&m[0]), (*C.float)(&v[0]), C.long(n),
		C.float(b1), C.float(c1), C.float(b2), C.float(c2), C.float(stepSize), C.float(inv), C.float(eps))
}

// llRows sets out[r] = Σ_d x[r/per,d]·l' − softplus(l') with l' = l[r,d] +
// bias[d] (nil bias: 0) for the first rows rows of l; an x without data
// counts as zeros. Callers have checked the shapes.
func llRows(x Mat, per int, l Mat, bias []float32, out []float32) {
	if l.Rows == 0 || l.Cols == 0 {
		clear(out[:l.Rows])
		return
	}
	var b *C.float
	if bias != nil {
		b = (*C.float)(&bias[0])
	}
	var xp *C.float
	if len(x.Data) > 0 {
		xp = (*C.float)(&x.Data[0])
	}
	C.nn_ll_rows(xp, C.long(per), (*C.float)(&l.Data[0]), b, C.long(l.Rows), C.long(l.Cols), (*C.float)(&out[0]))
}

// llPairs sets out[p] = the log-likelihood of row xi[p] of x under row
// li[p] of l plus bias (nil: 0), for each p < len(out). Callers have
// checked the shapes and indices.
func llPairs(x Mat, xi []int32, l Mat, li []int32, bias []float32, out []float32) {
	if len(out) == 0 || l.Cols == 0 {
		clear(out)
		return
	}
	var b *C.float
	if bias != nil {
		b = (*C.float)(&bias[0])
	}
	C.nn_ll_pairs((*C.float)(&x.Data[0]), (*C.int32_t)(&xi[0]), (*C.float)(&l.Data[0]), (*C.int32_t)(&li[0]), b,
		C.long(len(out)), C.long(l.Cols), (*C.float)(&out[0]))
}

// llGradRows sets dl = scale[r]·(x − σ(l)) and, if out is not nil, out[r] =
// the row log-likelihood. Callers have checked the shapes.
func llGradRows(x, l Mat, scale []float32, out []float32, dl Mat) {
	if l.Rows == 0 || l.Cols == 0 {
		if out != nil {
			clear(out[:l.Rows])
		}
		return
	}
	var s, o *C.float
	if scale != nil {
		s = (*C.float)(&scale[0])
	}
	if out != nil {
		o = (*C.float)(&out[0])
	}
	C.nn_ll_grad_rows((*C.float)(&x.Data[0]), (*C.float)(&l.Data[0]), s, C.long(l.Rows), C.long(l.Cols), o, (*C.float)(&dl.Data[0]))
}

// relu sets every negative entry of v to zero in place (NaN and −0 are
// kept); reluGo is the reference.
func relu(v []float32) {
	if len(v) == 0 {
		return
	}
	C.nn_relu((*C.float)(&v[0]), C.long(len(v)))
}

// reluMask zeroes d[i] wherever the ReLU output h[i] is not positive;
// reluMaskGo is the reference.
func reluMask(h, d []float32) {
	if len(h) == 0 {
		return
	}
	d = d[:len(h)]
	C.nn_relu_mask((*C.float)(&h[0]), (*C.float)(&d[0]), C.long(len(h)))
}

// groupSum adds row r of src (rows×cols) to row of[r] of dst; groupSumGo is
// the reference.
func groupSum(src []float32, rows, cols int, of []int32, dst []float32) {
	if rows == 0 || cols == 0 {
		return
	}
	C.nn_group_sum((*C.float)(&src[0]), C.long(rows), C.long(cols), (*C.int32_t)(&of[0]), (*C.float)(&dst[0]))
}

// sigmoidAdd sets dst[r,:] += scale[r]·σ(l[r,:]) (nil scale: 1);
// sigmoidAddGo is the reference. Callers have checked the shapes.
func sigmoidAdd(l Mat, scale []float32, dst Mat) {
	if l.Rows == 0 || l.Cols == 0 {
		return
	}
	var s *C.float
	if scale != nil {
		s = (*C.float)(&scale[0])
	}
	C.nn_sigmoid_add((*C.float)(&l.Data[0]), s, C.long(l.Rows), C.long(l.Cols), (*C.float)(&dst.Data[0]))
}
