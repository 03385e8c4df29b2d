package nn

import (
	"math"
	"slices"
	"testing"
)

// dupRows returns a rows×cols matrix whose rows are drawn from distinct
// random prototypes, so that many rows repeat.
func dupRows(rows, cols, distinct int, seed uint64) Mat {
	r := newRand(seed)
	protos := randMat(r, distinct, cols)
	x := NewMat(rows, cols)
	for i := 0; i < rows; i++ {
		copy(x.Row(i), protos.Row(r.IntN(distinct)))
	}
	return x
}

func TestRowGroupsBruteForce(t *testing.T) {
	var g RowGroups
	for _, c := range []struct{ rows, cols, distinct int }{{0, 3, 1}, {1, 4, 1}, {100, 10, 10}, {100, 30, 100}, {257, 2, 3}, {50, 0, 1}} {
		x := dupRows(c.rows, c.cols, c.distinct, uint64(c.rows+c.cols))
		if c.rows > 3 && c.cols > 0 {
			copy(x.Row(1), x.Row(0))
			x.Row(1)[0] = float32(math.Copysign(0, -1)) // −0 and +0 differ bitwise
			x.Row(0)[0] = 0
		}
		g.Set(x)
		if len(g.Of) != c.rows {
			t.Fatalf("%v: %d rows grouped", c, len(g.Of))
		}
		for a := 0; a < c.rows; a++ {
			if int(g.Rep[g.Of[a]]) > a || !sameBits(x.Row(a), x.Row(int(g.Rep[g.Of[a]]))) {
				t.Fatalf("%v: row %d in group %d whose first row %d differs or comes later", c, a, g.Of[a], g.Rep[g.Of[a]])
			}
			for b := 0; b < a; b++ {
				if same := sameBits(x.Row(a), x.Row(b)); same != (g.Of[a] == g.Of[b]) {
					t.Fatalf("%v: rows %d and %d equal=%v but groups %d, %d", c, a, b, same, g.Of[a], g.Of[b])
				}
			}
		}
		for k := 1; k < g.Len(); k++ {
			if g.Rep[k] <= g.Rep[k-1] {
				t.Fatalf("%v: groups not numbered by first appearance: %v", c, g.Rep)
			}
		}
	}
}

// TestMLPGroupedMatchesDense compares ForwardGrouped/BackwardGrouped with
// Forward/Backward on inputs with repeated rows, with and without dx.
func TestMLPGroupedMatchesDense(t *testing.T) {
	for _, distinct := range []int{1, 4, 40} {
		r := newRand(50)
		m := must(NewMLP(12, 20, 33, r))
		x := dupRows(40, 12, distinct, 51)
		dout := randMat(r, 40, 33)
		var g RowGroups
		g.Set(x)
		for _, withDx := range []bool{false, true} {
			ps := m.Params()
			ZeroGrad(ps)
			want := slices.Clone(m.Forward(x).Data)
			dxd := NewMat(40, 12)
			if withDx {
				m.Backward(x, dout, dxd)
			} else {
				m.Backward(x, dout, Mat{})
			}
			var wg [][]float32
			for _, p := range ps {
				wg = append(wg, slices.Clone(p.G))
			}
			ZeroGrad(ps)
			got := m.ForwardGrouped(x, &g).Data
			for i := range want {
				if math.Abs(float64(got[i]-want[i])) > 1e-5*(1+math.Abs(float64(want[i]))) {
					t.Fatalf("distinct %d: out[%d] = %v, want %v", distinct, i, got[i], want[i])
				}
			}
			dxg := NewMat(40, 12)
			if withDx {
				m.BackwardGrouped(x, &g, dout, dxg)
			} else {
				m.BackwardGrouped(x, &g, dout, Mat{})
			}
			for k, p := range ps {
				for i := range p.G {
					if math.Abs(float64(p.G[i]-wg[k][i])) > 1e-4*(1+math.Abs(float64(wg[k][i]))) {
						t.Fatalf("distinct %d dx %v: %s[%d] = %v, want %v", distinct, withDx, p.Name, i, p.G[i], wg[k][i])
					}
				}
			}
			for i := range dxd.Data {
				if math.Abs(float64(dxg.Data[i]-dxd.Data[i])) > 1e-4*(1+math.Abs(float64(dxd.Data[i]))) {
					t.Fatalf("distinct %d: dx[%d] = %v, want %v", distinct, i, dxg.Data[i], dxd.Data[i])
				}
			}
		}
	}
}

// TestMLPGroupedGradCheck checks the grouped gradients (parameters and
// input) against finite differences of the grouped forward pass under a
// Bernoulli log-likelihood.
func TestMLPGroupedGradCheck(t *testing.T) {
	r := newRand(52)
	m := must(NewMLP(6, 9, 7, r))
	x := dupRows(12, 6, 3, 53)
	target := binMat(r, 12, 7)
	var g RowGroups
	g.Set(x)
	loss := func() float64 { g.Set(x); return logLik64(target, m.ForwardGrouped(x, &g)) }
	ps := m.Params()
	ZeroGrad(ps)
	out := m.ForwardGrouped(x, &g)
	dout := NewMat(12, 7)
	BernoulliLogLikGrad(target, out, nil, dout)
	dx := NewMat(12, 6)
	m.BackwardGrouped(x, &g, dout, dx)
	// Perturbing one input entry moves one row (it leaves its group), so
	// finite differences of x see each row's own gradient.
	ps = append(ps, Param{Name: "x", W: x.Data, G: dx.Data})
	if err := GradCheck(loss, ps, 3e-3, 1e-2, r, 200); err != nil {
		t.Fatal(err)
	}
}

func TestMLPGroupedNoAllocs(t *testing.T) {
	r := newRand(54)
	m := must(NewMLP(10, 16, 20, r))
	big, small := dupRows(64, 10, 10, 55), dupRows(20, 10, 5, 56)
	dout := randMat(r, 64, 20)
	dx := NewMat(64, 10)
	var g RowGroups
	step := func() {
		g.Set(big)
		m.ForwardGrouped(big, &g)
		m.BackwardGrouped(big, &g, dout, dx)
		g.Set(small)
		m.ForwardGrouped(small, &g)
		m.BackwardGrouped(small, &g, dout.Slice(0, 20), Mat{})
	}
	step()
	if a := testing.AllocsPerRun(20, step); a != 0 {
		t.Fatalf("grouped MLP step allocates %v times", a)
	}
}
