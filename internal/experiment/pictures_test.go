package experiment

import (
	"context"
	"errors"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/argmaxvae/argmaxvae/nn"
)

// prototypes.png is drawn for any -n and -k the memory check accepts: at
// most PrototypeLatents rows of PrototypeStates states (PrototypeOneK of
// a single latent), each cell 56 pixels and a separator. Before the bound,
// -n 600 trained to the end and then failed on a picture taller than
// report.GridImage's limit, at every -resume.
func TestPrototypesBounded(t *testing.T) {
	for _, c := range []struct{ n, k, rows, cols int }{
		{1, 10, 1, 10},
		{1, 25, 3, 10},
		{1, 6000, PrototypeOneK / 10, 10},
		{3, 4, 3, 4},
		{600, 2, PrototypeLatents, 2},
		{2, 1000, 2, PrototypeStates},
	} {
		s := validSpec()
		s.N, s.K, s.Threads = c.n, c.k, 1
		b, err := Check(&s, nil)
		if err != nil {
			t.Fatalf("n=%d k=%d: %v", c.n, c.k, err)
		}
		v, err := b.VAE(784)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "p.png")
		if err := Prototypes(v, path); err != nil {
			t.Errorf("n=%d k=%d: %v", c.n, c.k, err)
			continue
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if w, h := c.cols*57-1, c.rows*57-1; cfg.Width != w || cfg.Height != h {
			t.Errorf("n=%d k=%d: %d×%d pixels, want %d×%d", c.n, c.k, cfg.Width, cfg.Height, w, h)
		}
	}
}

// samples.png needs the solver for its reconstructions: after an
// interrupt (a cancelled context) Samples returns at once with the
// context's error and writes nothing. Before, it solved with a background
// context, so an interrupted run with a slow solver (Gray code over 2²⁶
// codes, 5 s a solve) kept running 20 reconstructions after Ctrl-C.
func TestSamplesHonoursTheContext(t *testing.T) {
	s := validSpec()
	s.Structure, s.N, s.K, s.Solver, s.Threads = "complete", 6, 2, "maxflow", 1
	b, err := Check(&s, nil)
	if err != nil {
		t.Fatal(err)
	}
	v, err := b.VAE(784)
	if err != nil {
		t.Fatal(err)
	}
	test := nn.NewMat(30, 784)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	path := filepath.Join(t.TempDir(), "samples.png")
	if err := Samples(ctx, v, test, path, 1); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	if _, err := os.Stat(path); err == nil {
		t.Error("a cancelled Samples wrote its picture")
	}
	if err := Samples(context.Background(), v, test, path, 1); err != nil {
		t.Errorf("not cancelled: %v", err)
	}
}
