//go:build cgo && !noopenblas

package kernels

/*
#cgo CFLAGS: -O2
#cgo LDFLAGS: -lm

// Implemented in vec.c.
void kern_enum_add(const float *xl, const float *h, const double *sp, double xb, long n, double cut, double *st);
void kern_shift_relu(float *dst, const float *base, const float *sub, const float *add, long n);
int kern_fast(void);
int kern_set_level(int cap);
*/
import "C"

// setLevel caps the vector kernels at a level (0 baseline, 1 AVX2+FMA)
// and returns the previous cap; tests use it to cover both.
func setLevel(l int) int { return int(C.kern_set_level(C.int(l))) }

// level returns the level in use.
func level() int { return int(C.kern_fast()) }

// enumAdd is [EnumSums.Add] vectorised in C.
func enumAdd(s *EnumSums, xl, h []float32, sp []float64, xb, cut float64) {
	if len(xl) == 0 {
		return
	}
	st := [6]float64{s.MF, s.SF, s.MH, s.SH, s.TH, s.TF}
	C.kern_enum_add((*C.float)(&xl[0]), (*C.float)(&h[0]), (*C.double)(&sp[0]), C.double(xb), C.long(len(xl)),
		C.double(cut), (*C.double)(&st[0]))
	s.MF, s.SF, s.MH, s.SH, s.TH, s.TF = st[0], st[1], st[2], st[3], st[4], st[5]
}

// shiftRelu sets dst = max(base − sub + add, 0); shiftReluGo is the
// reference.
func shiftRelu(dst, base, sub, add []float32) {
	n := len(dst)
	if n == 0 {
		return
	}
	base, sub, add = base[:n], sub[:n], add[:n]
	C.kern_shift_relu((*C.float)(&dst[0]), (*C.float)(&base[0]), (*C.float)(&sub[0]), (*C.float)(&add[0]), C.long(n))
}
