package maxflow

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// benchSolve rebuilds and solves p on g b.N times.
func benchSolve(b *testing.B, p *problem, g MinCut) {
	p.load(g)
	want, err := g.MaxFlow()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		p.load(g)
		if f, _ := g.MaxFlow(); f != want {
			b.Fatalf("flow %v, want %v", f, want)
		}
	}
}

// BenchmarkGrid solves 4-connected grids with random integer data terms
// in [0, 100) and smoothness terms in [0, 30). YourBasic (Edmonds–Karp on
// hash maps) runs only on the 64² grid: it takes minutes on the larger.
func BenchmarkGrid(b *testing.B) {
	for _, side := range []int{64, 256, 512} {
		p := gridProblem(rand.New(rand.NewPCG(1, uint64(side))), side, side, 100, 30)
		b.Run(fmt.Sprintf("BK/%d", side), func(b *testing.B) {
			benchSolve(b, p, New(p.n, 2*p.n))
		})
		if side <= 64 {
			b.Run(fmt.Sprintf("YourBasic/%d", side), func(b *testing.B) {
				benchSolve(b, p, &YourBasic{})
			})
		}
	}
}

// BenchmarkDense solves complete graphs with random integer capacities in
// [0, 100] on every edge and terminal.
func BenchmarkDense(b *testing.B) {
	for _, n := range []int{15, 50, 200} {
		p := randProblem(rand.New(rand.NewPCG(2, uint64(n))), n, 1, 100)
		b.Run(fmt.Sprintf("BK/%d", n), func(b *testing.B) {
			benchSolve(b, p, New(p.n, len(p.ops)))
		})
		b.Run(fmt.Sprintf("YourBasic/%d", n), func(b *testing.B) {
			benchSolve(b, p, &YourBasic{})
		})
	}
}

// gcPool draws count graph-cut graphs of the paper's shape: the complete
// graph on 15 nodes, arc i→j (i < j) of capacity w ~ |N(0,1)| and none
// back, terminal capacity aᵢ = θᵢ + Σⱼ wᵢⱼ from s when positive, −aᵢ to t
// otherwise (θᵢ ~ N(0,1)), as argmax.GraphCut builds them.
func gcPool(count int) []*problem {
	r := rand.New(rand.NewPCG(3, 15))
	ps := make([]*problem, count)
	for k := range ps {
		p := &problem{n: 15}
		a := make([]float64, 15)
		for i := range a {
			a[i] = r.NormFloat64()
		}
		for i := 0; i < 15; i++ {
			for j := i + 1; j < 15; j++ {
				w := math.Abs(r.NormFloat64())
				a[i] += w
				p.ops = append(p.ops, op{0, i, j, w, 0})
			}
		}
		for i, ai := range a {
			p.ops = append(p.ops, op{1, i, 0, max(ai, 0), max(-ai, 0)})
		}
		ps[k] = p
	}
	return ps
}

// BenchmarkReweighted re-solves the 15-node complete graph with new
// capacities each time, the trainer's pattern: the CSR rows are reused.
// The edges go in one AddEdge call each or in one AddEdges call.
func BenchmarkReweighted(b *testing.B) {
	ps := gcPool(64)
	b.Run("AddEdge", func(b *testing.B) {
		g := New(15, 105)
		b.ReportAllocs()
		k := 0
		for b.Loop() {
			ps[k%len(ps)].load(g)
			if _, err := g.MaxFlow(); err != nil {
				b.Fatal(err)
			}
			k++
		}
	})
	b.Run("AddEdges", func(b *testing.B) {
		g := New(15, 105)
		es := make([]Edge, 0, 105)
		b.ReportAllocs()
		k := 0
		for b.Loop() {
			p := ps[k%len(ps)]
			g.Reset(p.n)
			es = es[:0]
			for _, o := range p.ops {
				if o.kind == 0 {
					es = append(es, Edge{int32(o.u), int32(o.v), o.a, o.b})
				}
			}
			g.AddEdges(es)
			for _, o := range p.ops {
				if o.kind == 1 {
					g.AddTerminal(o.u, o.a, o.b)
				}
			}
			if _, err := g.MaxFlow(); err != nil {
				b.Fatal(err)
			}
			k++
		}
	})
}

// BenchmarkSegmentation solves the SegmentationGrid instances (512² and
// 1024²) with BK and IBFS, alternating the two within each size. For a
// ratio, run with -count and take medians.
func BenchmarkSegmentation(b *testing.B) {
	for _, side := range []int{512, 1024} {
		p := segProblem(1, side, side)
		for _, alg := range []Algorithm{BK, IBFS} {
			b.Run(fmt.Sprintf("%v/%d", alg, side), func(b *testing.B) {
				benchSolve(b, p, NewWith(alg, p.n, 2*p.n))
			})
		}
	}
}

// BenchmarkDenseAlg solves complete graphs of 100, 200 and 600 nodes with
// random integer capacities in [0, 100] (a quarter of them zero) with BK
// and IBFS, and the argmax.GraphCut shape at n = 100 and 200 (arcs i→j,
// i < j, |N(0,1)| weights; terminals from θ ~ N(0,1)).
func BenchmarkDenseAlg(b *testing.B) {
	for _, n := range []int{100, 200, 600} {
		p := randProblem(rand.New(rand.NewPCG(2, uint64(n))), n, 1, 100)
		for _, alg := range []Algorithm{BK, IBFS} {
			b.Run(fmt.Sprintf("%v/%d", alg, n), func(b *testing.B) {
				benchSolve(b, p, NewWith(alg, p.n, len(p.ops)))
			})
		}
	}
	for _, n := range []int{15, 100, 200} {
		p := gcProblem(rand.New(rand.NewPCG(4, uint64(n))), n)
		for _, alg := range []Algorithm{BK, IBFS} {
			b.Run(fmt.Sprintf("%v/graphcut-%d", alg, n), func(b *testing.B) {
				benchSolve(b, p, NewWith(alg, p.n, len(p.ops)))
			})
		}
	}
}

// gcProblem is one graph of argmax.GraphCut's shape on the complete graph
// of n nodes (see gcPool).
func gcProblem(r *rand.Rand, n int) *problem {
	p := &problem{n: n}
	a := make([]float64, n)
	for i := range a {
		a[i] = r.NormFloat64()
	}
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			w := math.Abs(r.NormFloat64())
			a[i] += w
			p.ops = append(p.ops, op{0, i, j, w, 0})
		}
	}
	for i, ai := range a {
		p.ops = append(p.ops, op{1, i, 0, max(ai, 0), max(-ai, 0)})
	}
	return p
}

// pairRatio runs a and then b once per iteration of b.Loop, times each
// call, and reports the median of the per-iteration ratios t(b)/t(a) as
// the metric name, with the median times of both as a-ms and b-ms. Taking
// the two in turn, in one process, and the median of their ratios keeps
// the load of a shared machine out of the ratio as far as possible.
func pairRatio(bm *testing.B, name string, a, b func()) {
	var ta, tb, r []float64
	for bm.Loop() {
		t0 := time.Now()
		a()
		t1 := time.Now()
		b()
		t2 := time.Now()
		da, db := t1.Sub(t0).Seconds(), t2.Sub(t1).Seconds()
		ta, tb, r = append(ta, da), append(tb, db), append(r, db/da)
	}
	bm.ReportMetric(median(r), name)
	bm.ReportMetric(1e3*median(ta), "a-ms")
	bm.ReportMetric(1e3*median(tb), "b-ms")
}

func median(x []float64) float64 {
	s := slices.Clone(x)
	slices.Sort(s)
	if len(s) == 0 {
		return math.NaN()
	}
	return s[len(s)/2]
}

// solver returns a function that rebuilds p on g and solves it, failing
// the benchmark unless the flow is want (up to rounding, for real
// capacities).
func solver(bm *testing.B, p *problem, g MinCut, want float64) func() {
	return func() {
		p.load(g)
		if f, err := g.MaxFlow(); err != nil || math.Abs(f-want) > 1e-12*max(1, math.Abs(want)) {
			bm.Fatalf("flow %v (%v), want %v", f, err, want)
		}
	}
}

// BenchmarkRatioIBFS reports ibfs/bk, the median ratio of IBFS's time to
// BK's on the same graph, solved in turn in one process (a = BK, b =
// IBFS): segmentation grids of 512² and 1024², complete graphs of 100,
// 200 and 600 nodes with integer capacities, and argmax.GraphCut's shape
// at 15, 100 and 200 nodes.
func BenchmarkRatioIBFS(bm *testing.B) {
	seg512, seg1024 := segProblem(1, 512, 512), segProblem(1, 1024, 1024)
	cases := ratioCases([]ratioCase{{"segmentation-512", seg512}, {"segmentation-1024", seg1024}}, 100, 200, 600)
	for _, c := range cases {
		bm.Run(c.name, func(bm *testing.B) {
			bk, ib := New(c.p.n, len(c.p.ops)), NewWith(IBFS, c.p.n, len(c.p.ops))
			c.p.load(bk)
			want, err := bk.MaxFlow()
			if err != nil {
				bm.Fatal(err)
			}
			c.p.load(ib)
			ib.MaxFlow()
			pairRatio(bm, "ibfs/bk", solver(bm, c.p, bk, want), solver(bm, c.p, ib, want))
		})
	}
}

// BenchmarkRatioPBK reports pbk/bk, the median ratio of ParallelBK's time
// (GOMAXPROCS workers) to BK's on the same graph, solved in turn in one
// process (a = BK, b = ParallelBK), rebuilding the graph each time:
// segmentation grids of 512² and 1024² (split into blocks; the -1worker
// cases run ParallelBK on one goroutine, the single-thread figure), and
// the dense graphs below the split threshold, where ParallelBK is serial
// BK: complete graphs of 100 and 200 nodes with integer capacities and
// argmax.GraphCut's shape at 15, 100 and 200 nodes.
func BenchmarkRatioPBK(bm *testing.B) {
	seg512, seg1024 := segProblem(1, 512, 512), segProblem(1, 1024, 1024)
	cases := ratioCases([]ratioCase{
		{"segmentation-512", seg512},
		{"segmentation-1024", seg1024},
		{"segmentation-512-1worker", seg512},
		{"segmentation-1024-1worker", seg1024},
	}, 100, 200)
	for _, c := range cases {
		bm.Run(c.name, func(bm *testing.B) {
			bk, pb := New(c.p.n, len(c.p.ops)), NewWith(ParallelBK, c.p.n, len(c.p.ops))
			if strings.HasSuffix(c.name, "-1worker") {
				pb.SetWorkers(1)
			}
			c.p.load(bk)
			want, err := bk.MaxFlow()
			if err != nil {
				bm.Fatal(err)
			}
			c.p.load(pb)
			pb.MaxFlow()
			pairRatio(bm, "pbk/bk", solver(bm, c.p, bk, want), solver(bm, c.p, pb, want))
		})
	}
}

// ratioCase is one graph of the Ratio benchmarks.
type ratioCase struct {
	name string
	p    *problem
}

// ratioCases returns cases followed by complete graphs of the given sizes
// with integer capacities ("dense-n") and argmax.GraphCut's shape at 15,
// 100 and 200 nodes ("graphcut-n").
func ratioCases(cases []ratioCase, dense ...int) []ratioCase {
	for _, n := range dense {
		cases = append(cases, ratioCase{fmt.Sprintf("dense-%d", n), randProblem(rand.New(rand.NewPCG(2, uint64(n))), n, 1, 100)})
	}
	for _, n := range []int{15, 100, 200} {
		cases = append(cases, ratioCase{fmt.Sprintf("graphcut-%d", n), gcProblem(rand.New(rand.NewPCG(4, uint64(n))), n)})
	}
	return cases
}
