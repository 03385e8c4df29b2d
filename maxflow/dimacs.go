package maxflow

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Arc is one arc of a DIMACS instance, with 0-based node indices.
type Arc struct {
	From, To int
	Cap      float64
}

// Instance is a max-flow problem read from DIMACS: nodes 0..Nodes-1
// (DIMACS id minus one), the source and sink nodes, and the arcs in file
// order.
type Instance struct {
	Nodes        int
	Source, Sink int
	Arcs         []Arc
}

// maxLine bounds the length of one DIMACS line.
const maxLine = 1 << 20

// MaxIsolatedNodes is how many nodes a DIMACS p line may declare beyond
// those that its arcs and terminals can touch: NODES ≤ 2·ARCS + 2 +
// MaxIsolatedNodes. A node no arc touches carries no flow, yet solving
// allocates for every declared node; the bound keeps memory proportional
// to the file (a 60-byte file declaring 2,147,483,646 nodes and one arc
// would otherwise need gigabytes).
const MaxIsolatedNodes = 1 << 16

// ReadDIMACS reads a DIMACS max-flow file:
//
//	c comment
//	p max NODES ARCS
//	n ID s
//	n ID t
//	a FROM TO CAPACITY
//
// with 1-based node ids. Capacities may be real numbers but must be finite
// and ≥ 0. Blank lines and lines starting with 'c' are skipped. Errors
// wrap [ErrDIMACS] and name the line and the problem: missing or repeated
// p line, bad counts (including more than 2·ARCS + 2 + [MaxIsolatedNodes]
// nodes), node out of range, negative capacity, missing or repeated
// source/sink, source equal to sink, and an arc count that differs from
// the p line.
//
// It runs in time linear in the input; memory is O(arcs), and an accepted
// instance has O(arcs) nodes, so solving it takes memory in proportion to
// the file.
func ReadDIMACS(r io.Reader) (*Instance, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), maxLine)
	in := &Instance{Nodes: -1, Source: -1, Sink: -1}
	declared := 0
	line := 0
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: line %d: %s", ErrDIMACS, line, fmt.Sprintf(format, args...))
	}
	for sc.Scan() {
		line++
		f := strings.Fields(sc.Text())
		if len(f) == 0 || f[0][0] == 'c' {
			continue
		}
		switch f[0] {
		case "p":
			if in.Nodes >= 0 {
				return nil, bad("second p line")
			}
			if len(f) != 4 || f[1] != "max" {
				return nil, bad("want \"p max NODES ARCS\", got %q", sc.Text())
			}
			n, err1 := strconv.Atoi(f[2])
			m, err2 := strconv.Atoi(f[3])
			if err1 != nil || err2 != nil || n < 2 || n > maxNodes || m < 0 {
				return nil, bad("bad counts %q %q: want NODES ≥ 2 (≤ %d) and ARCS ≥ 0", f[2], f[3], maxNodes)
			}
			if n > 2*min(m, maxNodes)+2+MaxIsolatedNodes { // min: no overflow
				return nil, bad("p line declares %d nodes but %d arcs: at most 2·%d + 2 nodes can touch an arc or be a terminal, "+
					"and at most %d more (isolated, carrying no flow) are accepted, so that memory stays proportional to the file", n, m, m, MaxIsolatedNodes)
			}
			in.Nodes, declared = n, m
			in.Arcs = make([]Arc, 0, min(m, 1<<16))
		case "n":
			if in.Nodes < 0 {
				return nil, bad("n line before the p line")
			}
			if len(f) != 3 || (f[2] != "s" && f[2] != "t") {
				return nil, bad("want \"n ID s\" or \"n ID t\", got %q", sc.Text())
			}
			id, err := in.node(f[1])
			if err != nil {
				return nil, bad("%v", err)
			}
			dst := &in.Source
			if f[2] == "t" {
				dst = &in.Sink
			}
			if *dst >= 0 {
				return nil, bad("second %s node %s", f[2], f[1])
			}
			*dst = id
		case "a":
			if in.Nodes < 0 {
				return nil, bad("arc before the p line")
			}
			if len(f) != 4 {
				return nil, bad("want \"a FROM TO CAPACITY\", got %q", sc.Text())
			}
			u, err := in.node(f[1])
			if err != nil {
				return nil, bad("arc tail: %v", err)
			}
			v, err := in.node(f[2])
			if err != nil {
				return nil, bad("arc head: %v", err)
			}
			c, err := strconv.ParseFloat(f[3], 64)
			if err != nil || badCap(c) {
				return nil, bad("arc %s→%s capacity %q: want a finite number ≥ 0", f[1], f[2], f[3])
			}
			if len(in.Arcs) >= declared {
				return nil, bad("more arcs than the %d declared", declared)
			}
			in.Arcs = append(in.Arcs, Arc{From: u, To: v, Cap: c})
		default:
			return nil, bad("unknown line type %q", f[0])
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fmt.Errorf("%w: line %d: longer than %d bytes", ErrDIMACS, line+1, maxLine)
		}
		return nil, fmt.Errorf("%w: line %d: %v", ErrDIMACS, line+1, err)
	}
	line++ // errors below refer to the end of the input
	switch {
	case in.Nodes < 0:
		return nil, bad("end of input without a p line")
	case len(in.Arcs) != declared:
		return nil, bad("%d arcs read, p line declared %d", len(in.Arcs), declared)
	case in.Source < 0:
		return nil, bad("no source (n ID s) line")
	case in.Sink < 0:
		return nil, bad("no sink (n ID t) line")
	case in.Source == in.Sink:
		return nil, bad("source and sink are the same node %d", in.Source+1)
	}
	return in, nil
}

// node parses a 1-based DIMACS node id into a 0-based index.
func (in *Instance) node(s string) (int, error) {
	id, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("node id %q is not an integer", s)
	}
	if id < 1 || id > in.Nodes {
		return 0, fmt.Errorf("node %d out of range 1..%d", id, in.Nodes)
	}
	return id - 1, nil
}

// Load resets g to in.Nodes nodes and adds the instance: an arc s→v
// becomes source capacity of v, an arc u→t sink capacity of u, and an arc
// between two other nodes an edge. The source and sink stay isolated nodes
// of g. Arcs into s and out of t are dropped, since no s-t flow uses them
// (a flow path never returns to s or leaves t), and the capacity of direct
// s→t arcs is returned as a constant to add to g's flow.
func (in *Instance) Load(g MinCut) (offset float64) {
	g.Reset(in.Nodes)
	for _, a := range in.Arcs {
		switch {
		case a.To == in.Source || a.From == in.Sink:
		case a.From == in.Source && a.To == in.Sink:
			offset += a.Cap
		case a.From == in.Source:
			g.AddTerminal(a.To, a.Cap, 0)
		case a.To == in.Sink:
			g.AddTerminal(a.From, 0, a.Cap)
		default:
			g.AddEdge(a.From, a.To, a.Cap, 0)
		}
	}
	return offset
}

// Solve loads the instance into g and returns the maximum s-t flow value.
// Errors name nodes by their 1-based DIMACS ids: when g fails, and the
// capacities of the arcs joining some node to the source or to the sink
// sum beyond the float64 range, the error says which node and terminal
// (g's own message would give its 0-based index).
func (in *Instance) Solve(g MinCut) (float64, error) {
	offset := in.Load(g)
	f, err := g.MaxFlow()
	if err != nil {
		if terr := in.terminalOverflow(); terr != nil {
			return 0, terr
		}
		return 0, err
	}
	if math.IsInf(f+offset, 0) {
		return 0, fmt.Errorf("%w: flow value overflows (%v)", ErrCapacity, f+offset)
	}
	return f + offset, nil
}

// terminalOverflow returns an error naming, by DIMACS id, the first node
// (in arc order) whose arcs from the source or to the sink sum to +Inf, as
// Load adds them; nil if there is none. O(arcs) time and memory.
func (in *Instance) terminalOverflow() error {
	src := make(map[int]float64)
	snk := make(map[int]float64)
	for _, a := range in.Arcs {
		switch {
		case a.To == in.Source || a.From == in.Sink, a.From == in.Source && a.To == in.Sink:
		case a.From == in.Source:
			if src[a.To] += a.Cap; math.IsInf(src[a.To], 0) {
				return fmt.Errorf("%w: the arcs from the source (node %d) to node %d have capacities summing beyond the float64 range", ErrCapacity, in.Source+1, a.To+1)
			}
		case a.To == in.Sink:
			if snk[a.From] += a.Cap; math.IsInf(snk[a.From], 0) {
				return fmt.Errorf("%w: the arcs from node %d to the sink (node %d) have capacities summing beyond the float64 range", ErrCapacity, a.From+1, in.Sink+1)
			}
		}
	}
	return nil
}

// SourceSet returns, after Solve on g, the 1-based DIMACS ids of the
// source side of the minimum cut in increasing order: the source itself
// and every other node g puts on the source side (never the sink).
func (in *Instance) SourceSet(g MinCut) []int {
	var ids []int
	for u := 0; u < in.Nodes; u++ {
		if u == in.Source || (u != in.Sink && g.SourceSide(u)) {
			ids = append(ids, u+1)
		}
	}
	return ids
}
