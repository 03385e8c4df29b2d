package experiment

import (
	"image/png"
	"os"
	"path/filepath"
	"testing"
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
