package maxflow

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
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
// the p line. Lines are split at white space (Unicode's, as
// strings.Fields does) and may end in "\n" or "\r\n"; a line may be at
// most 1 MiB long.
//
// It runs in time linear in the input; memory is O(arcs), and an accepted
// instance has O(arcs) nodes, so solving it takes memory in proportion to
// the file. Comment lines and arc lines of plain decimal numbers (the
// bulk of any file) are parsed in place from the read buffer, without
// allocating; every other line, including every line with an error, goes
// through strings.Fields and strconv (see parseLine).
func ReadDIMACS(r io.Reader) (*Instance, error) {
	lr := &lineReader{r: r, buf: make([]byte, readBuf)}
	p := &dimacsParser{in: &Instance{Nodes: -1, Source: -1, Sink: -1}, size: inputSize(r)}
	for {
		lr.fill()
		if lr.lo == lr.hi {
			if lr.err != io.EOF {
				return nil, fmt.Errorf("%w: line %d: %v", ErrDIMACS, p.line+1, lr.err)
			}
			break
		}
		// The line starts at lr.lo and must end within maxLine bytes, as
		// bufio.Scanner's limit has it; fill made that many available
		// unless the input ends first.
		window := lr.buf[lr.lo:min(lr.hi, lr.lo+maxLine)]
		n, ok := p.fastLine(window)
		if ok {
			lr.lo += n
			p.line++
			continue
		}
		if n < 0 {
			return nil, fmt.Errorf("%w: line %d: longer than %d bytes", ErrDIMACS, p.line+1, maxLine)
		}
		line := window
		if i := bytes.IndexByte(window, '\n'); i >= 0 {
			line = window[:i]
		} else if len(window) >= maxLine {
			return nil, fmt.Errorf("%w: line %d: longer than %d bytes", ErrDIMACS, p.line+1, maxLine)
		}
		lr.lo += min(len(line)+1, len(window))
		p.line++
		if len(line) > 0 && line[len(line)-1] == '\r' { // as bufio.ScanLines
			line = line[:len(line)-1]
		}
		if err := p.slowLine(string(line)); err != nil {
			return nil, err
		}
	}
	p.line++ // errors below refer to the end of the input
	in := p.in
	switch {
	case in.Nodes < 0:
		return nil, p.bad("end of input without a p line")
	case len(in.Arcs) != p.declared:
		return nil, p.bad("%d arcs read, p line declared %d", len(in.Arcs), p.declared)
	case in.Source < 0:
		return nil, p.bad("no source (n ID s) line")
	case in.Sink < 0:
		return nil, p.bad("no sink (n ID t) line")
	case in.Source == in.Sink:
		return nil, p.bad("source and sink are the same node %d", in.Source+1)
	}
	return in, nil
}

// readBuf is the size of ReadDIMACS's read buffer: room for a line of
// maxLine bytes and the reads that follow it.
const readBuf = 4 * maxLine

// lineReader is the read buffer of ReadDIMACS: the unread input is
// buf[lo:hi], err the first error of r (io.EOF at its end).
type lineReader struct {
	r      io.Reader
	buf    []byte
	lo, hi int
	err    error
}

// fill makes at least maxLine bytes of input available from lo, unless r
// ends or fails first: it moves the unread bytes to the front and reads
// into the rest of the buffer. A reader that keeps returning no data and
// no error gets io.ErrNoProgress, as from bufio.
func (l *lineReader) fill() {
	if l.hi-l.lo >= maxLine || l.err != nil {
		return
	}
	l.hi = copy(l.buf, l.buf[l.lo:l.hi])
	l.lo = 0
	for empty := 0; l.hi < maxLine && l.err == nil; {
		n, err := l.r.Read(l.buf[l.hi:])
		if n < 0 || n > len(l.buf)-l.hi {
			n, err = 0, errors.New("maxflow: reader returned an invalid count")
		}
		l.hi += n
		l.err = err
		if n == 0 && err == nil {
			if empty++; empty >= 100 {
				l.err = io.ErrNoProgress
			}
		}
	}
}

// dimacsParser is the state of ReadDIMACS between lines.
type dimacsParser struct {
	in       *Instance
	declared int // ARCS of the p line
	line     int // number of the current line, 1-based
	size     int // bytes in the input if known (see inputSize), else 0
}

// inputSize returns the number of bytes r will deliver when r says so
// cheaply: a *bytes.Reader, *strings.Reader or regular *os.File (the
// bytes left from its offset); 0 otherwise.
func inputSize(r io.Reader) int {
	switch r := r.(type) {
	case interface{ Len() int }: // bytes.Reader, strings.Reader, bytes.Buffer
		return r.Len()
	case *os.File:
		st, err := r.Stat()
		if err != nil || !st.Mode().IsRegular() {
			return 0
		}
		off, err := r.Seek(0, io.SeekCurrent)
		if err != nil || off > st.Size() {
			return 0
		}
		return int(min(st.Size()-off, math.MaxInt32))
	}
	return 0
}

func (p *dimacsParser) bad(format string, args ...any) error {
	return fmt.Errorf("%w: line %d: %s", ErrDIMACS, p.line, fmt.Sprintf(format, args...))
}

// lineSpace marks the bytes that strings.Fields treats as space within a
// line: ASCII white space except the line's end '\n'.
var lineSpace = [256]bool{'\t': true, '\v': true, '\f': true, '\r': true, ' ': true}

// fastLine parses the line at the start of b, which ends at the first
// '\n' or at the end of b, in place. It handles, and reports ok with the
// bytes consumed (the '\n' included), a blank line, a comment (first
// field starting with 'c') and an arc line "a FROM TO CAP" with ASCII
// white space, FROM and TO plain decimal ids in range and CAP plain
// decimal digits with at most one '.' (at most 15 digits), after the p
// line and within its arc count. For any other line it changes nothing
// and returns ok false: slowLine parses the line then, so a line is taken
// here only when slowLine would accept it with the same result. n < 0
// means b holds maxLine bytes without a '\n': the line is too long.
//
// CAP is converted exactly as strconv.ParseFloat does: its digits form an
// integer below 10¹⁵ < 2⁵³ and the divisor is a power of ten ≤ 10¹⁵, both
// exact in float64, so the one division is correctly rounded.
func (p *dimacsParser) fastLine(b []byte) (n int, ok bool) {
	if n, ok := p.plainArc(b); ok {
		return n, true
	}
	i := 0
	for i < len(b) && lineSpace[b[i]] {
		i++
	}
	if i < len(b) && b[i] == 'c' {
		j := bytes.IndexByte(b[i:], '\n')
		if j < 0 {
			return lineEnd(b, len(b))
		}
		return i + j + 1, true
	}
	if i == len(b) || b[i] == '\n' {
		return lineEnd(b, i)
	}
	if b[i] != 'a' || i+1 >= len(b) || !lineSpace[b[i+1]] {
		return 0, false
	}
	in := p.in
	if in.Nodes < 0 || len(in.Arcs) >= p.declared {
		return 0, false
	}
	i++
	u, i, ok := fieldInt(b, i)
	if !ok || u < 1 || u > int64(in.Nodes) {
		return 0, false
	}
	v, i, ok := fieldInt(b, i)
	if !ok || v < 1 || v > int64(in.Nodes) {
		return 0, false
	}
	for i < len(b) && lineSpace[b[i]] {
		i++
	}
	mant, digits, frac, dot := uint64(0), 0, 0, false
	for ; i < len(b) && b[i] != '\n' && !lineSpace[b[i]]; i++ {
		c := b[i]
		switch {
		case c >= '0' && c <= '9':
			mant = mant*10 + uint64(c-'0')
			digits++
			if dot {
				frac++
			}
		case c == '.' && !dot:
			dot = true
		default:
			return 0, false
		}
	}
	if digits == 0 || digits > 15 {
		return 0, false
	}
	for i < len(b) && lineSpace[b[i]] {
		i++
	}
	if i < len(b) && b[i] != '\n' {
		return 0, false
	}
	if n, ok = lineEnd(b, i); !ok {
		return n, ok
	}
	c := float64(mant)
	if frac > 0 {
		c /= pow10[frac]
	}
	if len(in.Arcs) == cap(in.Arcs) {
		// Grow 4× at a time (append's 1.25× for large slices copies the
		// arcs many times), never beyond the declared count: the array
		// stays within 4× the arcs read, proportional to the file.
		in.Arcs = slices.Grow(in.Arcs, min(p.declared, 4*cap(in.Arcs))-len(in.Arcs))
	}
	in.Arcs = append(in.Arcs, Arc{From: int(u - 1), To: int(v - 1), Cap: c})
	return n, true
}

// plainArc is fastLine for the commonest arc line, "a U V C\n" with
// single spaces and integers U, V, C (C below 10¹⁵), as WriteDIMACS and
// most generators write it: it adds the arc and reports the bytes
// consumed, or returns false, having changed nothing, for anything else
// (which fastLine then parses in general).
func (p *dimacsParser) plainArc(b []byte) (n int, ok bool) {
	in := p.in
	if len(b) < 8 || b[0] != 'a' || b[1] != ' ' || in.Nodes < 0 || len(in.Arcs) >= p.declared {
		return 0, false
	}
	var f [3]uint64
	i := 2
	for k := range f {
		start := i
		v := uint64(0)
		for i < len(b) {
			c := b[i] - '0'
			if c > 9 {
				break
			}
			v = v*10 + uint64(c)
			i++
		}
		if i-start == 0 || i-start > 15 || i >= len(b) || b[i] != " \n"[k>>1] {
			return 0, false
		}
		f[k] = v
		i++
	}
	nodes := uint64(in.Nodes)
	if f[0] < 1 || f[0] > nodes || f[1] < 1 || f[1] > nodes {
		return 0, false
	}
	if len(in.Arcs) == cap(in.Arcs) {
		in.Arcs = slices.Grow(in.Arcs, min(p.declared, 4*cap(in.Arcs))-len(in.Arcs))
	}
	in.Arcs = append(in.Arcs, Arc{From: int(f[0] - 1), To: int(f[1] - 1), Cap: float64(f[2])})
	return i, true
}

// lineEnd returns the bytes consumed by a line whose content ends at
// b[i], which is '\n' or the end of b; at the end of b, a full window of
// maxLine bytes means the line goes on: too long (n < 0).
func lineEnd(b []byte, i int) (n int, ok bool) {
	if i < len(b) {
		return i + 1, true
	}
	if len(b) >= maxLine {
		return -1, false
	}
	return len(b), true
}

// pow10[k] is 10^k, exact in float64 for k ≤ 22.
var pow10 = [16]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// fieldInt skips white space from b[i] (at least one byte of it, not
// '\n') and parses the field of 1 to 18 decimal digits that follows,
// returning its value and the index after it; ok is false for anything
// else.
func fieldInt(b []byte, i int) (val int64, next int, ok bool) {
	start := i
	for i < len(b) && lineSpace[b[i]] {
		i++
	}
	if i == start {
		return 0, i, false
	}
	d := i
	for ; i < len(b); i++ {
		c := b[i] - '0'
		if c > 9 {
			break
		}
		val = val*10 + int64(c)
	}
	if n := i - d; n == 0 || n > 18 || (i < len(b) && b[i] != '\n' && !lineSpace[b[i]]) {
		return 0, i, false
	}
	return val, i, true
}

// slowLine parses one line with strings.Fields and strconv: the p and n
// lines, arc lines that fastLine leaves (signs, exponents, long numbers,
// Unicode spaces) and every malformed line, with the error messages.
func (p *dimacsParser) slowLine(text string) error {
	in, bad := p.in, p.bad
	f := strings.Fields(text)
	if len(f) == 0 || f[0][0] == 'c' {
		return nil
	}
	switch f[0] {
	case "p":
		if in.Nodes >= 0 {
			return bad("second p line")
		}
		if len(f) != 4 || f[1] != "max" {
			return bad("want \"p max NODES ARCS\", got %q", text)
		}
		n, err1 := strconv.Atoi(f[2])
		m, err2 := strconv.Atoi(f[3])
		if err1 != nil || err2 != nil || n < 2 || n > maxNodes || m < 0 {
			return bad("bad counts %q %q: want NODES ≥ 2 (≤ %d) and ARCS ≥ 0", f[2], f[3], maxNodes)
		}
		if n > 2*min(m, maxNodes)+2+MaxIsolatedNodes { // min: no overflow
			return bad("p line declares %d nodes but %d arcs: at most 2·%d + 2 nodes can touch an arc or be a terminal, "+
				"and at most %d more (isolated, carrying no flow) are accepted, so that memory stays proportional to the file", n, m, m, MaxIsolatedNodes)
		}
		in.Nodes, p.declared = n, m
		// Room for the declared arcs, as far as the input can hold them
		// (an arc line takes at least 8 bytes) when its size is known, so
		// that a large file is read without growing the array; memory
		// stays proportional to the input either way.
		in.Arcs = make([]Arc, 0, min(m, max(1<<16, p.size/8)))
	case "n":
		if in.Nodes < 0 {
			return bad("n line before the p line")
		}
		if len(f) != 3 || (f[2] != "s" && f[2] != "t") {
			return bad("want \"n ID s\" or \"n ID t\", got %q", text)
		}
		id, err := in.node(f[1])
		if err != nil {
			return bad("%v", err)
		}
		dst := &in.Source
		if f[2] == "t" {
			dst = &in.Sink
		}
		if *dst >= 0 {
			return bad("second %s node %s", f[2], f[1])
		}
		*dst = id
	case "a":
		if in.Nodes < 0 {
			return bad("arc before the p line")
		}
		if len(f) != 4 {
			return bad("want \"a FROM TO CAPACITY\", got %q", text)
		}
		u, err := in.node(f[1])
		if err != nil {
			return bad("arc tail: %v", err)
		}
		v, err := in.node(f[2])
		if err != nil {
			return bad("arc head: %v", err)
		}
		c, err := strconv.ParseFloat(f[3], 64)
		if err != nil || badCap(c) {
			return bad("arc %s→%s capacity %q: want a finite number ≥ 0", f[1], f[2], f[3])
		}
		if len(in.Arcs) >= p.declared {
			return bad("more arcs than the %d declared", p.declared)
		}
		in.Arcs = append(in.Arcs, Arc{From: u, To: v, Cap: c})
	default:
		return bad("unknown line type %q", f[0])
	}
	return nil
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

// WriteDIMACS writes the instance in the DIMACS max-flow format that
// ReadDIMACS reads: the p line, the source and sink n lines, and one a
// line per arc with 1-based ids and the capacity in the shortest form
// that reads back to the same float64. It returns the first write error.
func (in *Instance) WriteDIMACS(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	fmt.Fprintf(bw, "p max %d %d\nn %d s\nn %d t\n", in.Nodes, len(in.Arcs), in.Source+1, in.Sink+1)
	var buf []byte
	for _, a := range in.Arcs {
		buf = append(buf[:0], 'a', ' ')
		buf = strconv.AppendInt(buf, int64(a.From)+1, 10)
		buf = append(buf, ' ')
		buf = strconv.AppendInt(buf, int64(a.To)+1, 10)
		buf = append(buf, ' ')
		buf = strconv.AppendFloat(buf, a.Cap, 'g', -1, 64)
		buf = append(buf, '\n')
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	return bw.Flush()
}
