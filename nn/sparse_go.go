//go:build !cgo || noopenblas

package nn

// Pure-Go versions of the sparse-input kernels (see sparse.c for the cgo
// build), with the same contracts.

// binaryCosts returns the cost model of PreferBinary for the Go loops
// and gonum's products, measured on AMD Zen 5: 0.93 ns per one and output,
// 2.5 ns per weight, 0.255 ns per multiply-add.
func binaryCosts() sparseCosts { return sparseCosts{perOne: 0.93, perWeight: 2.5, perMAC: 0.255} }

func sparseLevel() int { return 0 }

// binaryWork holds a layer's buffers for 0/1 inputs. Rows of wt and gwt,
// the bias and the rows of dy are padded to ld, a multiple of 16.
type binaryWork struct {
	ld   int
	wt   []float32 // Wᵀ, In×ld
	bias []float32 // B, ld
	dy   []float32 // output gradient, rows×ld
	gwt  []float32 // weight gradient by input column, In×ld
}

func (l *Linear) binaryWork() *binaryWork {
	w := l.bin
	if w == nil {
		ld := (l.Out + 15) &^ 15
		w = &binaryWork{ld: ld, wt: make([]float32, l.In*ld), bias: make([]float32, ld), gwt: make([]float32, l.In*ld)}
		l.bin = w
	}
	return w
}

// binaryForward sets y = x·Wᵀ + b: Wᵀ, then the gathered rows.
func binaryForward(l *Linear, x *BinaryRows, y Mat) {
	w := l.binaryWork()
	transpose(l.W, l.Out, l.In, l.In, w.wt, w.ld, false)
	copy(w.bias, l.B)
	gatherAdd(w.wt, w.ld, x.Start, x.Idx, x.Rows, w.bias, l.Out, y.Data, l.Out)
}

// binaryBackward adds dyᵀ·x to GW for x given by columns (cs, ci) and
// the column sums of dy to GB.
func binaryBackward(l *Linear, dy Mat, cs, ci []int32) {
	gb := l.GB[:l.Out]
	for b := 0; b < dy.Rows; b++ {
		for j, v := range dy.Row(b) {
			gb[j] += v
		}
	}
	w := l.binaryWork()
	ld := w.ld
	if n := dy.Rows * ld; cap(w.dy) < n {
		w.dy = make([]float32, n) // padding stays zero
	}
	dyp := w.dy[:dy.Rows*ld]
	for b := 0; b < dy.Rows; b++ {
		copy(dyp[b*ld:], dy.Row(b))
	}
	colSums(dyp, ld, cs, ci, l.In, w.gwt, ld)
	transpose(w.gwt, l.In, l.Out, ld, l.GW, l.In, true)
}

func setSparseLevel(l int) int { return 0 }

func gatherAdd(wt []float32, ldw int, start, idx []int32, rows int, bias []float32, n int, y []float32, ldy int) {
	for b := 0; b < rows; b++ {
		yb := y[b*ldy : b*ldy+n]
		copy(yb, bias[:n])
		for _, j := range idx[start[b]:start[b+1]] {
			w := wt[int(j)*ldw : int(j)*ldw+n]
			for o := range yb {
				yb[o] += w[o]
			}
		}
	}
}

func colSums(dy []float32, ldd int, cstart, cidx []int32, cols int, g []float32, ldg int) {
	for j := 0; j < cols; j++ {
		gj := g[j*ldg : (j+1)*ldg]
		clear(gj)
		for _, b := range cidx[cstart[j]:cstart[j+1]] {
			d := dy[int(b)*ldd : int(b)*ldd+ldg]
			for o := range gj {
				gj[o] += d[o]
			}
		}
	}
}

func transpose(src []float32, rows, cols, lds int, dst []float32, ldd int, add bool) {
	const tile = 32
	for rb := 0; rb < rows; rb += tile {
		re := min(rb+tile, rows)
		for cb := 0; cb < cols; cb += tile {
			ce := min(cb+tile, cols)
			for c := cb; c < ce; c++ {
				d := dst[c*ldd : c*ldd+re]
				if add {
					for r := rb; r < re; r++ {
						d[r] += src[r*lds+c]
					}
				} else {
					for r := rb; r < re; r++ {
						d[r] = src[r*lds+c]
					}
				}
			}
		}
	}
}

func binaryScan(x []float32, rows, cols int, start, idx []int32) int {
	n := 0
	for r := 0; r < rows; r++ {
		start[r] = int32(n)
		for j, v := range x[r*cols : (r+1)*cols] {
			switch v {
			case 1:
				idx[n] = int32(j)
				n++
			case 0:
			default:
				return -1 - (r*cols + j)
			}
		}
	}
	start[rows] = int32(n)
	return n
}
