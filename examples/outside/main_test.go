package main

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// regions returns the code between "// readme:NAME" and "// readme:end"
// in this module's Go files, by name, without the indentation the lines
// share.
func regions(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var name string
		var lines []string
		for _, l := range strings.Split(string(b), "\n") {
			tag, ok := strings.CutPrefix(strings.TrimSpace(l), "// readme:")
			switch {
			case ok && tag == "end":
				if name == "" {
					t.Fatalf("%s: readme:end without a start", f)
				}
				out[name] = dedent(lines)
				name, lines = "", nil
			case ok:
				if _, dup := out[tag]; dup || name != "" {
					t.Fatalf("%s: region %q nested or repeated", f, tag)
				}
				name = tag
			case name != "":
				lines = append(lines, l)
			}
		}
		if name != "" {
			t.Fatalf("%s: region %q has no readme:end", f, name)
		}
	}
	return out
}

// dedent trims blank lines at both ends and the tabs every line shares.
func dedent(lines []string) string {
	for len(lines) > 0 && strings.TrimSpace(lines[0]) == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	common := -1
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, "\t"))
		if common < 0 || n < common {
			common = n
		}
	}
	for i, l := range lines {
		if len(l) >= common {
			lines[i] = l[max(common, 0):]
		}
	}
	return strings.Join(lines, "\n")
}

var update = flag.Bool("update", false, "rewrite the README's code blocks from this module's readme: regions")

// readmeBlock is a README code block that shows a region: the marker line
// <!-- examples/outside readme:NAME --> followed by a ```go block.
var readmeBlock = regexp.MustCompile("(?s)<!-- examples/outside readme:([a-z-]+) -->\n```go\n(.*?)\n```")

// The README's library section shows exactly the code this program runs:
// every ```go block there is a region of this module's code, named by the
// marker above it, and every region is shown. With -update the blocks are
// rewritten from the code.
func TestReadmeShowsThisCode(t *testing.T) {
	const path = "../../README.md"
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	start := strings.Index(readme, "\n## Library")
	if start < 0 {
		t.Fatal("README.md has no ## Library section")
	}
	end := len(readme)
	if e := strings.Index(readme[start+1:], "\n## "); e >= 0 {
		end = start + 1 + e
	}
	section := readme[start:end]
	regs := regions(t)
	if len(regs) < 6 {
		t.Fatalf("%d readme regions in the code, want solve, train, encode, save, own structure and estimator", len(regs))
	}
	if n, m := strings.Count(section, "```go"), len(readmeBlock.FindAllString(section, -1)); n != m {
		t.Errorf("the library section has %d go blocks, %d of them under an examples/outside marker", n, m)
	}
	shown := map[string]bool{}
	section = readmeBlock.ReplaceAllStringFunc(section, func(block string) string {
		m := readmeBlock.FindStringSubmatch(block)
		name, code := m[1], m[2]
		shown[name] = true
		want, ok := regs[name]
		switch {
		case !ok:
			t.Errorf("the README shows region %q, which examples/outside does not have", name)
		case code != want && !*update:
			t.Errorf("the README's block %q is not the code of examples/outside (run go test -run Readme -update here):\n%s", name, code)
		}
		if ok {
			return strings.Replace(block, code, want, 1)
		}
		return block
	})
	for name := range regs {
		if !shown[name] {
			t.Errorf("region %q of examples/outside is not shown in the README's library section (add a marker and a go block)", name)
		}
	}
	if *update {
		if err := os.WriteFile(path, []byte(readme[:start]+section+readme[end:]), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// The whole program passes its checks.
func TestRun(t *testing.T) {
	if testing.Short() {
		t.Skip("trains three small VAEs on MNIST")
	}
	if err := run(context.Background()); err != nil {
		t.Fatal(err)
	}
}
