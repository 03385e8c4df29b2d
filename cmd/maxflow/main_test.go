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
	for _, backend := range []string{"bk", "yourbasic"} {
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
		{[]string{"-in", good, "-backend", "yourbasic", "-scale", "-1"}, 2, "-scale must be"},
		{[]string{"-in", good, "extra"}, 2, "unexpected arguments"},
		{[]string{"-in", filepath.Join(dir, "missing.max")}, 1, "no such file"},
		{[]string{"-in", bad}, 1, "bad.max: maxflow: bad DIMACS input: line 4"},
		{[]string{"-in", good, "-cut", filepath.Join(dir, "no", "dir", "cut")}, 1, "no such file"},
	}
	for _, c := range cases {
		var out, errb strings.Builder
		code := run(c.args, strings.NewReader(""), &out, &errb)
		if code != c.code || !strings.Contains(errb.String(), c.text) {
			t.Errorf("%q: exit %d, stderr %q; want %d with %q", c.args, code, errb.String(), c.code, c.text)
		}
	}
}
