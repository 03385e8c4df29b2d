package report

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"math"

	"github.com/argmaxvae/argmaxvae/internal/runfolder"
)

// SeparatorGray is the gray level of the 1-pixel lines between the cells of
// an image grid, and of cells that have no image.
const SeparatorGray = 128

// GridImage lays out images (each h·w values, row-major) in a rows×cols
// grid, row by row, and returns the grayscale picture. Each value v is shown
// as round(255·clamp(v, 0, 1)) (NaN shows as 0); the data are not modified.
// Each source pixel becomes a scale×scale block; cells are separated by
// 1-pixel lines of [SeparatorGray], with no outer border, so the picture is
// (cols·w·scale + cols−1) × (rows·h·scale + rows−1). Cells after the last
// image are filled with SeparatorGray. len(images) must not exceed rows·cols.
// Cost O(picture pixels).
func GridImage(images [][]float32, rows, cols, h, w, scale int) (*image.Gray, error) {
	if rows <= 0 || cols <= 0 || h <= 0 || w <= 0 || scale <= 0 {
		return nil, fmt.Errorf("report: image grid: rows=%d cols=%d h=%d w=%d scale=%d must all be positive", rows, cols, h, w, scale)
	}
	if len(images) > rows*cols {
		return nil, fmt.Errorf("report: image grid: %d images do not fit a %d×%d grid", len(images), rows, cols)
	}
	for i, im := range images {
		if len(im) != h*w {
			return nil, fmt.Errorf("report: image grid: image %d has %d values, want h·w = %d·%d = %d", i, len(im), h, w, h*w)
		}
	}
	cw, ch := w*scale, h*scale
	W, H := cols*cw+cols-1, rows*ch+rows-1
	if W > 1<<15 || H > 1<<15 {
		return nil, fmt.Errorf("report: image grid: %d×%d pixels is too large", W, H)
	}
	img := image.NewGray(image.Rect(0, 0, W, H))
	for i := range img.Pix {
		img.Pix[i] = SeparatorGray
	}
	for k, im := range images {
		r, c := k/cols, k%cols
		x0, y0 := c*(cw+1), r*(ch+1)
		for y := range ch {
			row := img.Pix[(y0+y)*img.Stride+x0:]
			src := im[(y/scale)*w:]
			for x := range cw {
				row[x] = grayOf(src[x/scale])
			}
		}
	}
	return img, nil
}

// grayOf maps a value in [0,1] to a gray level, clamping out-of-range values
// and showing NaN as black.
func grayOf(v float32) uint8 {
	f := float64(v)
	if math.IsNaN(f) || f <= 0 {
		return 0
	}
	if f >= 1 {
		return 255
	}
	return uint8(math.Round(255 * f))
}

// ImageGrid renders [GridImage] and writes it as a grayscale PNG at path,
// creating missing parent directories.
func ImageGrid(path string, images [][]float32, rows, cols, h, w int, scale int) error {
	img, err := GridImage(images, rows, cols, h, w, scale)
	if err != nil {
		return fmt.Errorf("%w (file %s)", err, path)
	}
	return savePNG(path, img)
}

// savePNG encodes img as PNG into path atomically (runfolder.WriteFile).
func savePNG(path string, img image.Image) error {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return fmt.Errorf("report: PNG %s: %w", path, err)
	}
	if err := runfolder.WriteFile(path, b.Bytes()); err != nil {
		return fmt.Errorf("report: PNG: %w", err)
	}
	return nil
}
