package report

import (
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"
)

func TestImageGridPixels(t *testing.T) {
	// Four 3×3 images; image k has value at (r,c) = (k*9 + r*3 + c) / 35, with
	// a few out-of-range values to check clamping.
	imgs := make([][]float32, 4)
	for k := range imgs {
		imgs[k] = make([]float32, 9)
		for i := range imgs[k] {
			imgs[k][i] = float32(k*9+i) / 35
		}
	}
	imgs[0][0] = -0.5
	imgs[3][8] = 7
	imgs[1][4] = float32(math.NaN())
	orig := imgs[3][8]

	const scale = 2
	path := filepath.Join(t.TempDir(), "g", "grid.png")
	if err := ImageGrid(path, imgs, 2, 2, 3, 3, scale); err != nil {
		t.Fatal(err)
	}
	if imgs[3][8] != orig {
		t.Fatal("input modified")
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	g, ok := dec.(*image.Gray)
	if !ok {
		t.Fatalf("decoded %T, want *image.Gray", dec)
	}
	// 2 cells of 6 px + 1 separator = 13.
	if b := g.Bounds(); b != image.Rect(0, 0, 13, 13) {
		t.Fatalf("bounds %v, want 13×13", b)
	}
	want := func(k, r, c int) uint8 {
		v := float64(k*9+r*3+c) / 35
		switch {
		case k == 0 && r == 0 && c == 0, k == 1 && r == 1 && c == 1:
			return 0
		case k == 3 && r == 2 && c == 2:
			return 255
		}
		return uint8(math.Round(255 * v))
	}
	for y := range 13 {
		for x := range 13 {
			got := g.GrayAt(x, y).Y
			if x == 6 || y == 6 {
				if got != SeparatorGray {
					t.Errorf("separator (%d,%d) = %d, want %d", x, y, got, SeparatorGray)
				}
				continue
			}
			cx, cy := x/7, y/7
			k := cy*2 + cx
			r, c := (y-cy*7)/scale, (x-cx*7)/scale
			if w := want(k, r, c); got != w {
				t.Errorf("pixel (%d,%d) image %d (%d,%d) = %d, want %d", x, y, k, r, c, got, w)
			}
		}
	}
	// Spot checks with literal values: image 0 (0,1) = 1/35·255 = 7.29 → 7;
	// image 2 (1,2) = 23/35·255 = 167.57 → 168, at x = 4..5, y = 7+2..7+3.
	if g.GrayAt(2, 0).Y != 7 || g.GrayAt(5, 10).Y != 168 || g.GrayAt(4, 9).Y != 168 {
		t.Errorf("spot checks: %d %d %d", g.GrayAt(2, 0).Y, g.GrayAt(5, 10).Y, g.GrayAt(4, 9).Y)
	}
}

func TestGridImagePartialAndErrors(t *testing.T) {
	one := []float32{1, 1, 1, 1}
	g, err := GridImage([][]float32{one}, 1, 3, 2, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	if b := g.Bounds(); b.Dx() != 8 || b.Dy() != 2 {
		t.Fatalf("bounds %v, want 8×2", b)
	}
	if g.GrayAt(1, 1).Y != 255 || g.GrayAt(2, 0).Y != SeparatorGray || g.GrayAt(4, 1).Y != SeparatorGray {
		t.Fatal("empty cells should be separator gray")
	}
	bad := []struct {
		name          string
		imgs          [][]float32
		r, c, h, w, s int
	}{
		{"too many", [][]float32{one, one, one}, 1, 2, 2, 2, 1},
		{"wrong length", [][]float32{one, {1}}, 1, 2, 2, 2, 1},
		{"zero scale", [][]float32{one}, 1, 1, 2, 2, 0},
		{"negative rows", [][]float32{one}, -1, 1, 2, 2, 1},
	}
	for _, b := range bad {
		if _, err := GridImage(b.imgs, b.r, b.c, b.h, b.w, b.s); err == nil {
			t.Errorf("%s: no error", b.name)
		}
	}
	if err := ImageGrid(filepath.Join(t.TempDir(), "x.png"), [][]float32{{1}}, 1, 1, 2, 2, 1); err == nil {
		t.Error("ImageGrid accepted wrong length")
	}
}
