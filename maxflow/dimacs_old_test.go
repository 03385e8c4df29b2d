package maxflow

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// readDIMACSOld is ReadDIMACS as it was before the hand-rolled parser
// (bufio.Scanner, strings.Fields and strconv on every line), kept as the
// reference for BenchmarkReadDIMACS's ratio and as the equivalence oracle
// of TestReadDIMACSSameAsOld and FuzzReadDIMACS.
//
// The original documentation follows. ReadDIMACS reads a DIMACS max-flow file:
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
func readDIMACSOld(r io.Reader) (*Instance, error) {
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
