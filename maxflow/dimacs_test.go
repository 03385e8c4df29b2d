package maxflow

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// clrsDIMACS is the network of [clrs] with s = 1, v1..v4 = 2..5, t = 6,
// plus arcs that cannot carry s-t flow and a direct s→t arc of 2.
const clrsDIMACS = `c CLRS Figure 26.1
p max 6 12
n 1 s
n 6 t
a 1 2 16
a 1 3 13
a 2 4 12
a 3 2 4

a 3 5 14
a 4 3 9
a 4 6 20
a 5 4 7
a 5 6 4
c arcs into s, out of t, and s->t
a 4 1 100
a 6 2 100
a 1 6 2.5
`

func TestReadDIMACS(t *testing.T) {
	in, err := ReadDIMACS(strings.NewReader(clrsDIMACS))
	if err != nil {
		t.Fatal(err)
	}
	if in.Nodes != 6 || in.Source != 0 || in.Sink != 5 || len(in.Arcs) != 12 {
		t.Fatalf("instance %+v", in)
	}
	if a := in.Arcs[11]; a != (Arc{0, 5, 2.5}) {
		t.Fatalf("last arc %+v", a)
	}
	for _, g := range []MinCut{New(0, 0), &YourBasic{Scale: 2}} {
		f, err := in.Solve(g)
		if err != nil || f != 25.5 {
			t.Fatalf("%T: flow %v, %v; want 23 + 2.5", g, f, err)
		}
		if got, want := in.SourceSet(g), []int{1, 2, 3, 5}; !slices.Equal(got, want) {
			t.Errorf("%T: source set %v, want %v", g, got, want)
		}
	}
}

func TestReadDIMACSErrors(t *testing.T) {
	cases := []struct{ in, text string }{
		{"", "line 1: end of input without a p line"},
		{"c only\n", "line 2: end of input without a p line"},
		{"a 1 2 3\n", "line 1: arc before the p line"},
		{"n 1 s\n", "line 1: n line before the p line"},
		{"p max 3 1\np max 3 1\n", "line 2: second p line"},
		{"p min 3 1\n", "line 1: want \"p max NODES ARCS\""},
		{"p max 3\n", "line 1: want \"p max NODES ARCS\""},
		{"p max x 1\n", "line 1: bad counts"},
		{"p max 1 0\n", "line 1: bad counts"},
		{"p max 3 -1\n", "line 1: bad counts"},
		{"p max 3 1\nn 1 s\nn 3 t\n", "line 4: 0 arcs read, p line declared 1"},
		{"p max 3 1\nn 1 s\nn 3 t\na 1 2 1\na 2 3 1\n", "line 5: more arcs than the 1 declared"},
		{"p max 3 1\nn 1 s\nn 3 t\na 1 4 1\n", "line 4: arc head: node 4 out of range 1..3"},
		{"p max 3 1\nn 1 s\nn 3 t\na 0 2 1\n", "line 4: arc tail: node 0 out of range 1..3"},
		{"p max 3 1\nn 1 s\nn 3 t\na 1 2 -5\n", "line 4: arc 1→2 capacity \"-5\""},
		{"p max 3 1\nn 1 s\nn 3 t\na 1 2 NaN\n", "capacity \"NaN\""},
		{"p max 3 1\nn 1 s\nn 3 t\na 1 2 inf\n", "capacity \"inf\""},
		{"p max 3 1\nn 1 s\nn 3 t\na 1 2\n", "line 4: want \"a FROM TO CAPACITY\""},
		{"p max 3 0\nn 3 t\n", "line 3: no source"},
		{"p max 3 0\nn 1 s\n", "line 3: no sink"},
		{"p max 3 0\nn 2 s\nn 2 t\n", "line 4: source and sink are the same node 2"},
		{"p max 3 0\nn 1 s\nn 2 s\n", "line 3: second s node 2"},
		{"p max 3 0\nn 1 x\n", "line 2: want \"n ID s\""},
		{"p max 3 0\nn q s\n", "line 2: node id \"q\" is not an integer"},
		{"p max 3 0\nx\n", "line 2: unknown line type \"x\""},
		{"p max 3 0\n" + strings.Repeat("c", maxLine+1), "line 2: longer than"},
		{"c sixty bytes\np max 2147483646 1\nn 1 s\nn 2 t\na 1 2 1\n", "line 2: p line declares 2147483646 nodes but 1 arcs"},
		{fmt.Sprintf("p max %d 0\n", 3+MaxIsolatedNodes), "at most 65536 more (isolated"},
		{fmt.Sprintf("p max %d 10\n", 23+MaxIsolatedNodes), "declares 65559 nodes but 10 arcs"},
	}
	for _, c := range cases {
		_, err := ReadDIMACS(strings.NewReader(c.in))
		if !errors.Is(err, ErrDIMACS) || !strings.Contains(err.Error(), c.text) {
			t.Errorf("input %.40q: error %v, want one containing %q", c.in, err, c.text)
		}
	}
}

// TestReadDIMACSNodeBound: the node count is bounded by the arcs, so an
// accepted instance needs memory in proportion to the file: the 60-byte
// file declaring 2,147,483,646 nodes that used to grow to 9 GB is refused
// before anything is allocated for its nodes, while isolated nodes up to
// MaxIsolatedNodes are still accepted.
func TestReadDIMACSNodeBound(t *testing.T) {
	huge := "c sixty bytes\np max 2147483646 1\nn 1 s\nn 2 t\na 1 2 1\n"
	_, err := ReadDIMACS(strings.NewReader(huge))
	if !errors.Is(err, ErrDIMACS) || !strings.Contains(err.Error(), "memory stays proportional to the file") {
		t.Fatalf("huge node count: err = %v", err)
	}
	// At the bound: 2·ARCS + 2 + MaxIsolatedNodes nodes, accepted and
	// solved; one more is refused.
	at := fmt.Sprintf("p max %d 2\nn 1 s\nn 4 t\na 1 2 3\na 2 4 2\n", 2*2+2+MaxIsolatedNodes)
	in, err := ReadDIMACS(strings.NewReader(at))
	if err != nil {
		t.Fatalf("node count at the bound: %v", err)
	}
	if f, err := in.Solve(New(0, 0)); err != nil || f != 2 {
		t.Fatalf("node count at the bound: flow %v, %v; want 2", f, err)
	}
	over := fmt.Sprintf("p max %d 2\nn 1 s\nn 4 t\na 1 2 3\na 2 4 2\n", 2*2+3+MaxIsolatedNodes)
	if _, err := ReadDIMACS(strings.NewReader(over)); !errors.Is(err, ErrDIMACS) {
		t.Fatalf("node count one above the bound: err = %v", err)
	}
	// A huge declared arc count does not overflow the bound's arithmetic;
	// the missing arcs are reported.
	_, err = ReadDIMACS(strings.NewReader("p max 2147483646 9223372036854775807\nn 1 s\nn 2 t\na 1 2 1\n"))
	if !errors.Is(err, ErrDIMACS) || !strings.Contains(err.Error(), "1 arcs read") {
		t.Fatalf("huge arc count: err = %v", err)
	}
}

// TestSolveNamesDIMACSNodes: capacities into one node that overflow
// float64 are reported with the file's 1-based node ids, by both backends
// (the graph's own error names its 0-based index).
func TestSolveNamesDIMACSNodes(t *testing.T) {
	cases := []struct{ in, text string }{
		{"p max 3 3\nn 1 s\nn 3 t\na 1 2 1e308\na 1 2 1e308\na 2 3 1\n", "arcs from the source (node 1) to node 2 have capacities summing beyond"},
		{"p max 4 3\nn 4 s\nn 1 t\na 4 3 1\na 3 1 1e308\na 3 1 1e308\n", "arcs from node 3 to the sink (node 1) have capacities summing beyond"},
	}
	for _, c := range cases {
		in, err := ReadDIMACS(strings.NewReader(c.in))
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range []MinCut{New(0, 0), &YourBasic{Scale: 1}} {
			_, err := in.Solve(g)
			if !errors.Is(err, ErrCapacity) || !strings.Contains(err.Error(), c.text) {
				t.Errorf("%T on %q: err = %v, want ErrCapacity containing %q", g, c.in, err, c.text)
			}
		}
	}
}

// writeDIMACS formats an instance (for round trips).
func writeDIMACS(in *Instance) string {
	var b strings.Builder
	fmt.Fprintf(&b, "p max %d %d\nn %d s\nn %d t\n", in.Nodes, len(in.Arcs), in.Source+1, in.Sink+1)
	for _, a := range in.Arcs {
		fmt.Fprintf(&b, "a %d %d %v\n", a.From+1, a.To+1, a.Cap)
	}
	return b.String()
}

// TestDIMACSRandom writes random instances, reads them back and compares
// BK with YourBasic on them, arcs into s and out of t included.
func TestDIMACSRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	bk, yb := New(0, 0), &YourBasic{}
	for k := 0; k < 100; k++ {
		in := &Instance{Nodes: 2 + r.IntN(30)}
		in.Source = r.IntN(in.Nodes)
		in.Sink = (in.Source + 1 + r.IntN(in.Nodes-1)) % in.Nodes
		for range r.IntN(5 * in.Nodes) {
			in.Arcs = append(in.Arcs, Arc{r.IntN(in.Nodes), r.IntN(in.Nodes), float64(r.IntN(10))})
		}
		got, err := ReadDIMACS(strings.NewReader(writeDIMACS(in)))
		if err != nil {
			t.Fatalf("instance %d: %v", k, err)
		}
		if got.Nodes != in.Nodes || got.Source != in.Source || got.Sink != in.Sink || !slices.Equal(got.Arcs, in.Arcs) {
			t.Fatalf("instance %d: round trip changed it", k)
		}
		f1, err1 := in.Solve(bk)
		f2, err2 := in.Solve(yb)
		if err1 != nil || err2 != nil || f1 != f2 {
			t.Fatalf("instance %d: BK %v (%v), YourBasic %v (%v)", k, f1, err1, f2, err2)
		}
		if s1, s2 := in.SourceSet(bk), in.SourceSet(yb); !slices.Equal(s1, s2) {
			t.Fatalf("instance %d: source sets %v and %v", k, s1, s2)
		}
		// The cut of the source set in the original arcs equals the flow.
		in1 := make([]bool, in.Nodes)
		for _, id := range in.SourceSet(bk) {
			in1[id-1] = true
		}
		c := 0.0
		for _, a := range in.Arcs {
			if in1[a.From] && !in1[a.To] {
				c += a.Cap
			}
		}
		if c != f1 {
			t.Fatalf("instance %d: flow %v, cut capacity %v", k, f1, c)
		}
	}
}

func FuzzReadDIMACS(f *testing.F) {
	f.Add(clrsDIMACS)
	f.Add("p max 2 1\nn 1 s\nn 2 t\na 1 2 3\n")
	f.Add("p max 3 2\nn 3 s\nn 1 t\na 3 2 1.5\na 2 1 1e300\n")
	f.Add("c x\np max 2 0\nn 2 t\nn 1 s\n")
	f.Fuzz(func(t *testing.T, s string) {
		sameRead(t, s) // the in-place parser agrees with the old reader
		in, err := ReadDIMACS(strings.NewReader(s))
		if err != nil {
			if !errors.Is(err, ErrDIMACS) || !strings.Contains(err.Error(), "line ") {
				t.Fatalf("error %v does not wrap ErrDIMACS with a line", err)
			}
			return
		}
		if in.Nodes > 2*len(in.Arcs)+2+MaxIsolatedNodes {
			t.Fatalf("%d nodes for %d arcs: beyond the bound", in.Nodes, len(in.Arcs))
		}
		if in.Nodes < 2 || in.Source == in.Sink || in.Source < 0 || in.Sink < 0 || in.Source >= in.Nodes || in.Sink >= in.Nodes {
			t.Fatalf("bad instance %+v", in)
		}
		for _, a := range in.Arcs {
			if a.From < 0 || a.From >= in.Nodes || a.To < 0 || a.To >= in.Nodes || badCap(a.Cap) {
				t.Fatalf("bad arc %+v", a)
			}
		}
		back, err := ReadDIMACS(strings.NewReader(writeDIMACS(in)))
		if err != nil || !slices.Equal(back.Arcs, in.Arcs) {
			t.Fatalf("round trip: %v", err)
		}
		if in.Nodes > 1000 {
			return
		}
		g := New(0, 0)
		flow, err := in.Solve(g)
		if err != nil {
			if errors.Is(err, ErrCapacity) { // sums overflowing float64
				return
			}
			t.Fatal(err)
		}
		side := make([]bool, in.Nodes)
		for _, id := range in.SourceSet(g) {
			side[id-1] = true
		}
		c, total := 0.0, 0.0
		for _, a := range in.Arcs {
			total += a.Cap
			if side[a.From] && !side[a.To] {
				c += a.Cap
			}
		}
		if math.Abs(c-flow) > 1e-12*total {
			t.Fatalf("flow %v, cut %v", flow, c)
		}
	})
}
