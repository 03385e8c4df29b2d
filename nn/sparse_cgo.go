//go:build cgo && !noopenblas

package nn

/*
#include <stdint.h>

// Implemented in sparse.c.
void nn_binary_forward(const float *w, const float *bias, long in, long out, const int32_t *start, const int32_t *idx,
                       long rows, float *y, float *panel);
void nn_binary_backward(const float *dy, long rows, long out, long in, const int32_t *cstart, const int32_t *cidx,
                        float *gw, float *gb, float *dpanel, float *gpanel);
void nn_transpose(const float *src, long rows, long cols, long lds, float *dst, long ldd, int add);
long nn_binary_scan(const float *x, long rows, long cols, int32_t *start, int32_t *idx);
int nn_sparse_level(void);
int nn_sparse_set_level(int cap);
*/
import "C"

// binaryCosts returns the cost model of PreferBinary for the C kernels and
// the product in use (AVX-512 tiles or OpenBLAS), measured on AMD Zen 5
// with one thread: sparse adds 0.057 ns per one and output and 0.3 ns per
// weight; forward plus weight gradient 0.019 ns per multiply-add with the
// AVX-512 tiles, 0.035 ns with OpenBLAS's AVX2 kernels.
func binaryCosts() sparseCosts {
	if use512 {
		return sparseCosts{perOne: 0.057, perWeight: 0.3, perMAC: 0.019}
	}
	return sparseCosts{perOne: 0.057, perWeight: 0.3, perMAC: 0.035}
}

// sparseLevel reports the vector width of the sparse kernels: 2 for
// AVX-512F, 1 for AVX2, 0 for the baseline ISA.
func sparseLevel() int { return int(C.nn_sparse_level()) }

// setSparseLevel caps the vector width (tests use it to cover every
// variant) and returns the previous cap.
func setSparseLevel(l int) int { return int(C.nn_sparse_set_level(C.int(l))) }

// binaryWork holds a layer's scratch for 0/1 inputs: a panel of Wᵀ or of
// the weight gradient (In×64 at most) and one of the output gradient
// (rows×64).
type binaryWork struct {
	panel, dpanel []float32
}

func (l *Linear) binaryWork(rows int) *binaryWork {
	w := l.bin
	if w == nil {
		w = &binaryWork{panel: make([]float32, 64*l.In)}
		l.bin = w
	}
	if cap(w.dpanel) < 64*rows {
		w.dpanel = make([]float32, 64*rows)
	}
	return w
}

// binaryForward sets y = x·Wᵀ + b by panels of 16 outputs (sparse.c).
// Callers have checked the shapes.
func binaryForward(l *Linear, x *BinaryRows, y Mat) {
	if x.Rows == 0 {
		return
	}
	w := l.binaryWork(0)
	C.nn_binary_forward((*C.float)(&l.W[0]), (*C.float)(&l.B[0]), C.long(l.In), C.long(l.Out),
		(*C.int32_t)(&x.Start[0]), idxPtr(x.Idx), C.long(x.Rows), (*C.float)(&y.Data[0]), (*C.float)(&w.panel[0]))
}

// binaryBackward adds dyᵀ·x to GW for x given by columns (cs, ci) and
// the column sums of dy to GB. Callers have checked the shapes and that dy
// has rows.
func binaryBackward(l *Linear, dy Mat, cs, ci []int32) {
	w := l.binaryWork(dy.Rows)
	C.nn_binary_backward((*C.float)(&dy.Data[0]), C.long(dy.Rows), C.long(l.Out), C.long(l.In),
		(*C.int32_t)(&cs[0]), idxPtr(ci), (*C.float)(&l.GW[0]), (*C.float)(&l.GB[0]),
		(*C.float)(&w.dpanel[0]), (*C.float)(&w.panel[0]))
}

func idxPtr(idx []int32) *C.int32_t {
	if len(idx) == 0 {
		return nil
	}
	return (*C.int32_t)(&idx[0])
}

// transpose sets dst[c·ldd+r] = src[r·lds+c] (+= when add) for r < rows,
// c < cols.
func transpose(src []float32, rows, cols, lds int, dst []float32, ldd int, add bool) {
	if rows == 0 || cols == 0 {
		return
	}
	a := C.int(0)
	if add {
		a = 1
	}
	C.nn_transpose((*C.float)(&src[0]), C.long(rows), C.long(cols), C.long(lds), (*C.float)(&dst[0]), C.long(ldd), a)
}

// binaryScan fills start (rows+1) and idx (room for rows·cols+scanSlack) with the
// positions of the ones of x (rows×cols, stride cols) and returns their
// number, or −1−i for the flat index i of the first entry that is neither
// 0 nor 1.
func binaryScan(x []float32, rows, cols int, start, idx []int32) int {
	if rows == 0 || cols == 0 {
		for r := range start[:rows+1] {
			start[r] = 0
		}
		return 0
	}
	return int(C.nn_binary_scan((*C.float)(&x[0]), C.long(rows), C.long(cols), (*C.int32_t)(&start[0]), (*C.int32_t)(&idx[0])))
}
