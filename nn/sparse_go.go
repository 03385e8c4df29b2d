//go:build !cgo || noopenblas

package nn

// Pure-Go versions of the sparse-input kernels (see sparse.c for the cgo
// build), with the same contracts.

// binaryCosts returns the cost model of PreferBinary for the Go loops
// and gonum's products, measured on AMD Zen 5: 0.93 ns per one and output,
// 2.5 ns per weight, 0.255 ns per multiply-add.
func binaryCosts() sparseCosts { return sparseCosts{perOne: 0.93, perWeight: 2.5, perMAC: 0.255} }

func sparseLevel() int { return 0 }

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
