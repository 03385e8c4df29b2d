//go:build cgo && !noopenblas

package nn

/*
#include <stdint.h>

// Implemented in sparse.c.
void nn_gather_add(const float *wt, long ldw, const int32_t *start, const int32_t *idx, long rows, const float *bias,
                   long n, float *y, long ldy);
void nn_col_sums(const float *dy, long ldd, const int32_t *cstart, const int32_t *cidx, long cols, float *g, long ldg);
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

// gatherAdd sets y[b,o] = bias[o] + Σ_{k∈row b} wt[idx[k]·ldw+o] for
// o < n. wt and bias must be readable (zero padded) to ⌈n/16⌉·16 ≤ ldw
// columns. Callers have checked the sizes.
func gatherAdd(wt []float32, ldw int, start, idx []int32, rows int, bias []float32, n int, y []float32, ldy int) {
	if rows == 0 {
		return
	}
	ip := (*C.int32_t)(nil)
	if len(idx) > 0 {
		ip = (*C.int32_t)(&idx[0])
	}
	C.nn_gather_add((*C.float)(&wt[0]), C.long(ldw), (*C.int32_t)(&start[0]), ip, C.long(rows),
		(*C.float)(&bias[0]), C.long(n), (*C.float)(&y[0]), C.long(ldy))
}

// colSums sets g[j·ldg+o] = Σ_{k∈column j} dy[cidx[k]·ldd+o] for j < cols
// and o < ldg (a multiple of 16; dy rows readable to that width).
func colSums(dy []float32, ldd int, cstart, cidx []int32, cols int, g []float32, ldg int) {
	if cols == 0 {
		return
	}
	ip := (*C.int32_t)(nil)
	if len(cidx) > 0 {
		ip = (*C.int32_t)(&cidx[0])
	}
	C.nn_col_sums((*C.float)(&dy[0]), C.long(ldd), (*C.int32_t)(&cstart[0]), ip, C.long(cols),
		(*C.float)(&g[0]), C.long(ldg))
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
