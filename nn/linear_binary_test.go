package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// sparseBin returns a rows×cols 0/1 matrix whose entries are 1 with
// probability p.
func sparseBin(r *rand.Rand, rows, cols int, p float64) Mat {
	m := NewMat(rows, cols)
	for i := range m.Data {
		if r.Float64() < p {
			m.Data[i] = 1
		}
	}
	return m
}

// sparseLevels lists the kernel variants this machine can run (widest
// first), so that tests cover AVX-512, AVX2 and the baseline code.
func sparseLevels() []int {
	var ls []int
	for l := sparseLevel(); l >= 0; l-- {
		ls = append(ls, l)
	}
	return ls
}

func TestBinaryRowsSet(t *testing.T) {
	r := newRand(40)
	var s BinaryRows
	for _, shape := range [][2]int{{0, 5}, {3, 0}, {1, 1}, {5, 7}, {4, 33}, {9, 784}} {
		for _, lvl := range sparseLevels() {
			prev := setSparseLevel(lvl)
			x := sparseBin(r, shape[0], shape[1], 0.3)
			if len(x.Data) > 0 {
				x.Data[len(x.Data)-1] = 1
				x.Data[0] = float32(math.Copysign(0, -1)) // −0 counts as 0
			}
			if err := s.Set(x); err != nil {
				t.Fatalf("%v level %d: %v", shape, lvl, err)
			}
			ones := 0
			for _, v := range x.Data {
				if v == 1 {
					ones++
				}
			}
			if s.NNZ() != ones || s.Rows != x.Rows || s.Cols != x.Cols {
				t.Fatalf("%v level %d: %d×%d with %d ones, want %d", shape, lvl, s.Rows, s.Cols, s.NNZ(), ones)
			}
			back := NewMat(x.Rows, x.Cols)
			s.Dense(back)
			if !slices.Equal(back.Data, x.Data) {
				t.Fatalf("%v level %d: Dense(Set(x)) differs from x", shape, lvl)
			}
			for i := 0; i < s.Rows; i++ {
				if !slices.IsSorted(s.Idx[s.Start[i]:s.Start[i+1]]) {
					t.Fatalf("%v level %d: row %d columns not increasing", shape, lvl, i)
				}
			}
			setSparseLevel(prev)
		}
	}
}

func TestBinaryRowsRejects(t *testing.T) {
	for _, lvl := range sparseLevels() {
		prev := setSparseLevel(lvl)
		for _, bad := range []float32{0.5, -1, 2, float32(math.NaN()), float32(math.Inf(1))} {
			for _, pos := range []int{0, 13, 8*3 + 7, 5*20 + 19} {
				x := sparseBin(newRand(41), 6, 20, 0.4)
				x.Data[pos] = bad
				var s BinaryRows
				err := s.Set(x)
				want := fmt.Sprintf("entry (%d, %d)", pos/20, pos%20)
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Fatalf("level %d value %v at %d: error %v, want one naming %s", lvl, bad, pos, err, want)
				}
				if s.Rows != 0 || s.NNZ() != 0 {
					t.Fatalf("level %d: rejected input left %d×%d with %d ones", lvl, s.Rows, s.Cols, s.NNZ())
				}
			}
		}
		setSparseLevel(prev)
	}
}

func TestByColumn(t *testing.T) {
	r := newRand(42)
	x := sparseBin(r, 13, 29, 0.25)
	var s BinaryRows
	if err := s.Set(x); err != nil {
		t.Fatal(err)
	}
	cs, ci := s.byColumn()
	for j := 0; j < x.Cols; j++ {
		var want []int32
		for b := 0; b < x.Rows; b++ {
			if x.At(b, j) == 1 {
				want = append(want, int32(b))
			}
		}
		if got := ci[cs[j]:cs[j+1]]; !slices.Equal(got, want) {
			t.Fatalf("column %d rows %v, want %v", j, got, want)
		}
	}
}

// TestTransposeKernel checks both the copy and the accumulate forms on
// shapes with 8×8 tiles and ragged edges.
func TestTransposeKernel(t *testing.T) {
	r := newRand(43)
	for _, lvl := range sparseLevels() {
		prev := setSparseLevel(lvl)
		for _, sh := range [][2]int{{1, 1}, {8, 8}, {9, 17}, {300, 784}, {70, 5}} {
			rows, cols := sh[0], sh[1]
			lds, ldd := cols+3, rows+5
			src := randMat(r, rows, lds).Data
			dst := randMat(r, cols, ldd).Data
			orig := slices.Clone(dst)
			transpose(src, rows, cols, lds, dst, ldd, true)
			for c := 0; c < cols; c++ {
				for i := 0; i < ldd; i++ {
					want := orig[c*ldd+i]
					if i < rows {
						want += src[i*lds+c]
					}
					if dst[c*ldd+i] != want {
						t.Fatalf("level %d %v add: dst[%d,%d] = %v, want %v", lvl, sh, c, i, dst[c*ldd+i], want)
					}
				}
			}
			transpose(src, rows, cols, lds, dst, ldd, false)
			for c := 0; c < cols; c++ {
				for i := 0; i < rows; i++ {
					if dst[c*ldd+i] != src[i*lds+c] {
						t.Fatalf("level %d %v: dst[%d,%d] = %v, want %v", lvl, sh, c, i, dst[c*ldd+i], src[i*lds+c])
					}
				}
				if dst[c*ldd+rows] != orig[c*ldd+rows] {
					t.Fatalf("level %d %v: padding of row %d overwritten", lvl, sh, c)
				}
			}
		}
		setSparseLevel(prev)
	}
}

// TestLinearBinaryMatchesDense compares ForwardBinary and BackwardBinary
// with the dense layer on the same 0/1 input, for output widths around the
// kernels' vector blocks, every kernel variant and a shrinking batch.
func TestLinearBinaryMatchesDense(t *testing.T) {
	r := newRand(44)
	for _, lvl := range sparseLevels() {
		prev := setSparseLevel(lvl)
		for _, out := range []int{1, 15, 16, 17, 63, 64, 65, 300} {
			for _, rows := range []int{7, 3, 0} {
				in := 37
				l := must(NewLinear(in, out, r))
				x := sparseBin(r, rows, in, 0.2)
				if rows > 0 {
					clear(x.Row(0)) // an empty row
				}
				var s BinaryRows
				if err := s.Set(x); err != nil {
					t.Fatal(err)
				}
				yd, ys := NewMat(rows, out), NewMat(rows, out)
				l.Forward(x, yd)
				ys.Data = append(ys.Data, 12345) // must stay untouched
				l.ForwardBinary(&s, Mat{Rows: rows, Cols: out, Data: ys.Data[:rows*out]})
				if ys.Data[rows*out] != 12345 {
					t.Fatalf("level %d out %d: ForwardBinary wrote past y", lvl, out)
				}
				for i := range yd.Data {
					if d := math.Abs(float64(yd.Data[i] - ys.Data[i])); d > 1e-5*(1+math.Abs(float64(yd.Data[i]))) {
						t.Fatalf("level %d out %d rows %d: y[%d] = %v, dense %v", lvl, out, rows, i, ys.Data[i], yd.Data[i])
					}
				}
				dy := randMat(r, rows, out)
				ZeroGrad(l.Params())
				l.Backward(x, dy, Mat{})
				gw, gb := slices.Clone(l.GW), slices.Clone(l.GB)
				// Accumulation: start from a non-zero gradient.
				for i := range l.GW {
					l.GW[i] = 1
				}
				for i := range l.GB {
					l.GB[i] = -1
				}
				l.BackwardBinary(&s, dy)
				for i := range gw {
					if d := math.Abs(float64(l.GW[i] - 1 - gw[i])); d > 1e-5*(1+math.Abs(float64(gw[i]))) {
						t.Fatalf("level %d out %d rows %d: GW[%d] = %v, dense %v", lvl, out, rows, i, l.GW[i]-1, gw[i])
					}
				}
				for i := range gb {
					if d := math.Abs(float64(l.GB[i] + 1 - gb[i])); d > 1e-5*(1+math.Abs(float64(gb[i]))) {
						t.Fatalf("level %d out %d rows %d: GB[%d] = %v, dense %v", lvl, out, rows, i, l.GB[i]+1, gb[i])
					}
				}
			}
		}
		setSparseLevel(prev)
	}
}

// TestLinearBinaryGradCheck checks the sparse backward pass against finite
// differences of the sparse forward pass.
func TestLinearBinaryGradCheck(t *testing.T) {
	r := newRand(45)
	l := must(NewLinear(20, 19, r))
	x := sparseBin(r, 5, 20, 0.3)
	var s BinaryRows
	if err := s.Set(x); err != nil {
		t.Fatal(err)
	}
	coef := randMat(r, 5, 19)
	y := NewMat(5, 19)
	loss := func() float64 { l.ForwardBinary(&s, y); return dot64(y.Data, coef.Data) }
	ps := l.Params()
	ZeroGrad(ps)
	l.BackwardBinary(&s, coef)
	if err := GradCheck(loss, ps, 1e-2, 1e-2, r, 100); err != nil {
		t.Fatal(err)
	}
}

func TestLinearBinaryNoAllocs(t *testing.T) {
	r := newRand(46)
	l := must(NewLinear(100, 30, r))
	x := sparseBin(r, 10, 100, 0.15)
	y, dy := NewMat(10, 30), randMat(r, 10, 30)
	var s BinaryRows
	step := func() {
		if err := s.Set(x); err != nil {
			t.Fatal(err)
		}
		l.ForwardBinary(&s, y)
		l.BackwardBinary(&s, dy)
	}
	step()
	if a := testing.AllocsPerRun(20, step); a != 0 {
		t.Fatalf("Set/ForwardBinary/BackwardBinary allocate %v times per step", a)
	}
}
