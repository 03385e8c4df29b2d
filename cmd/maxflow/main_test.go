package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sample is the CLRS Figure 26.1 network (max flow 23, minimal source
// side {s, v1, v2, v4} = {1, 2, 3, 5}).
const sample = `p max 6 9
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
`

func TestRun(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "g.max")
	if err := os.WriteFile(in, []byte(sample), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, backend := range []string{"bk", "pbk", "ibfs", "yourbasic"} {
		cut := filepath.Join(dir, backend+".cut")
		var out, errb strings.Builder
		code := run([]string{"-in", in, "-backend", backend, "-cut", cut}, nil, &out, &errb)
		if code != 0 || !strings.HasPrefix(out.String(), "flow 23\n") || !strings.Contains(out.String(), "solve ") {
			t.Fatalf("%s: exit %d, stdout %q, stderr %q", backend, code, out.String(), errb.String())
		}
		got, err := os.ReadFile(cut)
		if err != nil || string(got) != "1\n2\n3\n5\n" {
			t.Fatalf("%s: cut file %q, %v", backend, got, err)
		}
	}
	var out, errb strings.Builder
	if code := run([]string{"-in", "-"}, strings.NewReader(sample), &out, &errb); code != 0 || !strings.HasPrefix(out.String(), "flow 23\n") {
		t.Fatalf("stdin: exit %d, %q %q", code, out.String(), errb.String())
	}
}

func TestRunErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.max")
	good := filepath.Join(dir, "good.max")
	if os.WriteFile(bad, []byte("p max 3 1\nn 1 s\nn 3 t\na 1 2 -1\n"), 0o644) != nil ||
		os.WriteFile(good, []byte(sample), 0o644) != nil {
		t.Fatal("cannot write test files")
	}
	cases := []struct {
		args []string
		code int
		text string
	}{
		{nil, 2, "missing -in"},
		{[]string{"-nope"}, 2, "flag provided but not defined"},
		{[]string{"-in", good, "-backend", "x"}, 2, "unknown -backend \"x\""},
		{[]string{"-in", good, "-backend", "pbk", "-threads", "-2"}, 2, "invalid value \"-2\" for flag -threads"},
		{[]string{"-in", good, "-backend", "pbk", "-workers", "2"}, 2, "flag provided but not defined: -workers"},
		{[]string{"-in", good, "-backend", "yourbasic", "-scale", "-1"}, 2, "invalid value \"-1\" for flag -scale: want a number in (0, 1e+300]"},
		{[]string{"-in", good, "-backend", "yourbasic", "-scale", "NaN"}, 2, "for flag -scale"},
		{[]string{"-in", good, "-scale", "3"}, 2, "-scale applies only to -backend yourbasic"},
		{[]string{"-in", good, "-threads", "1"}, 2, "-threads applies only to -backend pbk"},
		{[]string{"-in", good, "-seed", "3"}, 2, "-seed applies only with -gen"},
		{[]string{"-in", good, "-out", "x"}, 2, "-out applies only with -gen"},
		{[]string{"-gen", "3x4", "-out", "-", "-cut", "c"}, 2, "-cut applies only when solving, not with -gen"},
		{[]string{"-gen", "3x4", "-out", "-", "-in", good}, 2, "-in applies only when solving"},
		{[]string{"-in", good, "extra"}, 2, "unexpected arguments"},
		{[]string{"-gen", "3x"}, 2, "-gen wants WxH"},
		{[]string{"-gen", "0x4", "-out", "-"}, 2, "-gen wants WxH"},
		{[]string{"-gen", "3x4 ", "-out", "-"}, 2, "-gen wants WxH"},
		{[]string{"-gen", "3x4"}, 2, "-gen needs -out"},
		{[]string{"-gen", "3x4", "-out", filepath.Join(dir, "no", "dir", "g.max")}, 1, "no such file"},
		{[]string{"-in", filepath.Join(dir, "missing.max")}, 1, "no such file"},
		{[]string{"-in", bad}, 1, "maxflow: " + bad + ": bad DIMACS input: line 4"},
		{[]string{"-in", good, "-cut", filepath.Join(dir, "no", "dir", "cut")}, 1, "no such file"},
	}
	for _, c := range cases {
		var out, errb strings.Builder
		code := run(c.args, strings.NewReader(""), &out, &errb)
		if code != c.code || !strings.Contains(errb.String(), c.text) {
			t.Errorf("%q: exit %d, stderr %q; want %d with %q", c.args, code, errb.String(), c.code, c.text)
		}
		if n := strings.Count(errb.String(), "maxflow:"); code == 1 && n != 1 {
			t.Errorf("%q: stderr %q says \"maxflow:\" %d times, want once", c.args, errb.String(), n)
		}
	}
}

// TestRunInputs: what the command prints for inputs at the edges: a flow
// of 1e308 (not 309 digits), overflowing terminal capacities (the node
// named by its 1-based id, the prefix once), and a 60-byte file declaring
// 2,147,483,646 nodes (refused, instead of allocating gigabytes).
func TestRunInputs(t *testing.T) {
	cases := []struct {
		name, file string
		code       int
		stdout     string // prefix of standard output
		stderr     string // the whole of standard error, after the file name
	}{
		{"big flow", "p max 3 2\nn 1 s\nn 3 t\na 1 2 1e308\na 2 3 1e308\n", 0, "flow 1e+308\nnodes 3 arcs 2\n", ""},
		{"fraction", "p max 2 2\nn 1 s\nn 2 t\na 1 2 0.1\na 1 2 0.2\n", 0, "flow 0.30000000000000004\n", ""},
		{"large integer", "p max 2 1\nn 1 s\nn 2 t\na 1 2 123456789012345\n", 0, "flow 123456789012345\n", ""},
		{"terminal overflow", "p max 3 3\nn 1 s\nn 3 t\na 1 2 1e308\na 1 2 1e308\na 2 3 1\n", 1, "",
			"invalid capacity: the arcs from the source (node 1) to node 2 have capacities summing beyond the float64 range\n"},
		{"huge node count", "c sixty bytes\np max 2147483646 1\nn 1 s\nn 2 t\na 1 2 1\n", 1, "",
			"bad DIMACS input: line 2: p line declares 2147483646 nodes but 1 arcs"},
	}
	for _, c := range cases {
		for _, backend := range []string{"bk", "pbk", "ibfs", "yourbasic"} {
			if c.name == "big flow" && backend == "yourbasic" {
				continue // the integer backend refuses capacities beyond 2^62
			}
			var out, errb strings.Builder
			code := run([]string{"-in", "-", "-backend", backend}, strings.NewReader(c.file), &out, &errb)
			if code != c.code || !strings.HasPrefix(out.String(), c.stdout) {
				t.Errorf("%s (%s): exit %d, stdout %q; want %d and %q", c.name, backend, code, out.String(), c.code, c.stdout)
			}
			want := ""
			if c.stderr != "" {
				want = "maxflow: standard input: " + c.stderr
			}
			if got := errb.String(); !strings.HasPrefix(got, want) || (want == "") != (got == "") {
				t.Errorf("%s (%s): stderr %q, want %q", c.name, backend, got, want)
			}
		}
	}
}

// TestGen writes a segmentation grid, solves it with every backend and
// gets the same flow and cut.
func TestGen(t *testing.T) {
	dir := t.TempDir()
	grid := filepath.Join(dir, "grid.max")
	var out, errb strings.Builder
	if code := run([]string{"-gen", "12x9", "-seed", "3", "-out", grid}, nil, &out, &errb); code != 0 || out.Len() != 0 {
		t.Fatalf("-gen: exit %d, %q %q", code, out.String(), errb.String())
	}
	var flows, cuts []string
	for _, backend := range []string{"bk", "pbk", "ibfs", "yourbasic"} {
		cut := filepath.Join(dir, backend+".cut")
		var out, errb strings.Builder
		if code := run([]string{"-in", grid, "-backend", backend, "-cut", cut}, nil, &out, &errb); code != 0 {
			t.Fatalf("%s: exit %d, %q", backend, code, errb.String())
		}
		c, err := os.ReadFile(cut)
		if err != nil {
			t.Fatal(err)
		}
		flows = append(flows, strings.SplitN(out.String(), "\n", 2)[0])
		cuts = append(cuts, string(c))
	}
	for k := range flows {
		if flows[k] != flows[0] || cuts[k] != cuts[0] || !strings.HasPrefix(flows[k], "flow ") {
			t.Fatalf("backends disagree: %q, cuts %q", flows, cuts)
		}
	}
	out.Reset()
	if code := run([]string{"-gen", "2x1", "-out", "-"}, nil, &out, &errb); code != 0 || !strings.HasPrefix(out.String(), "p max 4 6\nn 3 s\nn 4 t\n") {
		t.Fatalf("-gen to stdout: exit %d, %q", code, out.String())
	}
}
