// Command latents shows what a trained model's latent variables mean. For
// a run folder of cmd/structured, cmd/categorical, cmd/figure3 or
// cmd/table1 it writes
//
//   - codes.csv: the noiseless code of every test image (the arg max of
//     the encoder's scores, solved by the run's solver; train.VAE.Encode),
//     one row per image: index, label, then the state of each latent;
//   - traversals.png: for the first -images test images, one block each:
//     the image and its reconstruction, then each latent variable (the
//     first -latents ones) set to each of its states with the others kept,
//     decoded (the image's own state framed in red); latents run across
//     and states down when there are at least as many latents shown as
//     states, the other way round otherwise;
//   - model.bin: the model as a self-describing model file
//     (train.VAE.WriteModel), which train.ReadModel loads on its own.
//
// The model is the run's model.bin when there is one, otherwise it is
// rebuilt from config.json with the parameters of best.bin (the
// best-validation epoch), or checkpoint.bin; -model picks another file of
// the folder, a model file or a checkpoint.
//
//	go run ./cmd/latents -run results/structured-maxflow-direct
package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"github.com/argmaxvae/argmaxvae/dataset"
	"github.com/argmaxvae/argmaxvae/internal/cli"
	"github.com/argmaxvae/argmaxvae/internal/experiment"
	"github.com/argmaxvae/argmaxvae/internal/runfolder"
	"github.com/argmaxvae/argmaxvae/nn"
	"github.com/argmaxvae/argmaxvae/report"
	"github.com/argmaxvae/argmaxvae/train"
)

// Files written into the output folder.
const (
	CodesFile      = "codes.csv"
	TraversalsFile = "traversals.png"
)

func main() { cli.Main("latents", run) }

// options are the command's flags.
type options struct {
	run, model, out string
	images, scale   int
	latents         int
	threads         int
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("latents", stderr)
	var o options
	fs.StringVar(&o.run, "run", "", "a training run folder (config.json and best.bin, or model.bin)")
	fs.StringVar(&o.model, "model", "", "the model: a model file or a checkpoint, its path relative to -run unless absolute (default: model.bin if present, else best.bin, else checkpoint.bin)")
	cli.Out(fs, &o.out, "") // default: RUN/latents
	cli.IntIn(fs, &o.images, "images", 4, 1, 1<<20, "", "test images whose codes are traversed")
	cli.IntIn(fs, &o.latents, "latents", 32, 0, 1<<24, "", "latents traversed in traversals.png: the first ones, at most this many (0: all)")
	cli.IntIn(fs, &o.scale, "scale", 2, 1, 8, "", "pixels per image pixel in traversals.png")
	cli.Threads(fs, &o.threads)
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if o.run == "" {
		return cli.Usagef("-run is required")
	}
	if o.out == "" {
		o.out = filepath.Join(o.run, "latents")
	} else if same(o.out, o.run) {
		return cli.Usagef("-out %s is the run folder itself: model.bin written there would be read instead of the run's own best.bin by later runs of latents; leave -out out (it defaults to %s)", o.out, filepath.Join(o.run, "latents"))
	}
	spec, err := experiment.ReadRun(o.run, "latents", "categorical, structured, table1, figure3 and structgrid")
	if err != nil {
		return err
	}
	modelFile, err := modelPath(o.run, o.model)
	if err != nil {
		return err
	}
	spec.Threads = experiment.UseThreads(o.threads)
	built, err := experiment.Check(spec, nil)
	if err != nil {
		return cli.Usagef("-run: %s: %w", experiment.ConfigFile, err)
	}
	sp, err := dataset.Load(spec.Data, dataset.Options{Dir: spec.DataDir, Seed: spec.Seed})
	if err != nil {
		return err
	}
	test := sp.Test
	x := nn.Mat{Rows: test.N, Cols: test.D, Data: test.X[:test.N*test.D]}
	v, err := built.LoadVAE(modelFile, x.Cols)
	if err != nil {
		return err
	}
	from := modelFile
	fmt.Fprintf(stderr, "latents: %s (%s, solver %s) from %s; %d test images of %s\n", v.S.Name(), spec.Estimator, v.Solver(), from, x.Rows, spec.Data)

	if o.images > x.Rows {
		return cli.Usagef("-images %d: more than the %d test images of %s", o.images, x.Rows, spec.Data)
	}
	m := o.images
	shown := v.N
	if o.latents > 0 {
		shown = min(shown, o.latents)
	}
	// The picture first, from the first images' codes: a picture too large
	// for -images, -latents and -scale is refused before the whole test
	// set is encoded.
	head, err := encodeAll(ctx, v, x.Slice(0, m))
	if err != nil {
		return err
	}
	img, err := traversals(v, x.Slice(0, m), head, shown, o.scale)
	if err != nil {
		return err
	}
	codes, err := encodeAll(ctx, v, x)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	if err := writeCodes(filepath.Join(o.out, CodesFile), codes, v.N, test.Labels); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return err
	}
	if err := runfolder.WriteFile(filepath.Join(o.out, TraversalsFile), buf.Bytes()); err != nil {
		return err
	}
	var model bytes.Buffer
	if err := v.WriteModel(&model); err != nil {
		return err
	}
	if err := runfolder.WriteFile(filepath.Join(o.out, train.ModelFile), model.Bytes()); err != nil {
		return err
	}
	distinct := map[string]bool{}
	for b := 0; b < x.Rows; b++ {
		distinct[fmt.Sprint(codes[b*v.N:(b+1)*v.N])] = true
	}
	fmt.Fprintf(stdout, "%s: %d codes (%d distinct) of %d latents\n%s: %d images × %d of %d latents × %d states\n%s: the model, self-describing (train.ReadModel)\n",
		filepath.Join(o.out, CodesFile), x.Rows, len(distinct), v.N, filepath.Join(o.out, TraversalsFile), m, shown, v.N, v.K, filepath.Join(o.out, train.ModelFile))
	return nil
}

// same reports whether the paths a and b name the same folder (both
// existing), or the same path.
func same(a, b string) bool {
	x, errx := os.Stat(a)
	y, erry := os.Stat(b)
	if errx == nil && erry == nil {
		return os.SameFile(x, y)
	}
	return filepath.Clean(a) == filepath.Clean(b)
}

// modelPath returns the path of the model file -model names in the run
// folder dir (relative to dir unless absolute), or the folder's own:
// model.bin, else best.bin, else checkpoint.bin. It refuses, before any
// data are read, a file that does not exist or is not a regular file, and
// a checkpoint of no trained epoch (a run just started).
func modelPath(dir, name string) (string, error) {
	if name == "" {
		for _, n := range []string{train.ModelFile, experiment.BestFile, experiment.CheckpointFile} {
			if _, err := os.Stat(filepath.Join(dir, n)); err == nil {
				name = n
				break
			}
		}
		if name == "" {
			return "", cli.Usage(fmt.Errorf("-run %s: no %s, %s or %s", dir, train.ModelFile, experiment.BestFile, experiment.CheckpointFile))
		}
	}
	path := name
	if !filepath.IsAbs(name) {
		path = filepath.Join(dir, name)
	}
	if err := cli.CheckFile(path); err != nil {
		return "", cli.Usagef("-model: %w", err)
	}
	if c, err := runfolder.Load(dir); err == nil && c.Epochs == 0 && same(path, filepath.Join(dir, experiment.CheckpointFile)) {
		return "", cli.Usagef("-run %s: no epoch trained yet (%s holds the initial state); wait for the first epoch", dir, path)
	}
	return path, nil
}

// encodeAll encodes the rows of x in batches, stopping when ctx is
// cancelled.
func encodeAll(ctx context.Context, v *train.VAE, x nn.Mat) ([]int, error) {
	const batch = 500
	codes := make([]int, 0, x.Rows*v.N)
	for lo := 0; lo < x.Rows; lo += batch {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		z, err := v.Encode(ctx, x.Slice(lo, min(lo+batch, x.Rows)))
		if err != nil {
			return nil, err
		}
		codes = append(codes, z...)
	}
	return codes, nil
}

// writeCodes writes codes.csv: index, label (empty when unknown), z0, ….
func writeCodes(path string, codes []int, n int, labels []int) error {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	header := []string{"index", "label"}
	for i := 0; i < n; i++ {
		header = append(header, "z"+strconv.Itoa(i))
	}
	w.Write(header)
	rec := make([]string, n+2)
	for b := 0; b < len(codes)/n; b++ {
		rec[0], rec[1] = strconv.Itoa(b), ""
		if b < len(labels) && labels[b] >= 0 {
			rec[1] = strconv.Itoa(labels[b])
		}
		for i, s := range codes[b*n : (b+1)*n] {
			rec[i+2] = strconv.Itoa(s)
		}
		w.Write(rec)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	return runfolder.WriteFile(path, buf.Bytes())
}

// traversals draws, for each row of x with code z, a block: the image, its
// reconstruction, then each of the first shown latents set to every state,
// the others kept (the image's own state framed). Latents run across and states down when
// there are at least as many latents as states, the other way round
// otherwise. Images must be square.
func traversals(v *train.VAE, x nn.Mat, codes []int, shown, scale int) (image.Image, error) {
	side := int(math.Round(math.Sqrt(float64(x.Cols))))
	if side*side != x.Cols {
		return nil, fmt.Errorf("traversals: images of %d pixels are not square", x.Cols)
	}
	n, k := v.N, v.K
	across := shown >= k // latents across the columns
	blockRows, cols := shown, 2+k
	if across {
		blockRows, cols = k, 2+shown
	}
	cell := func(i, s int) (r, c int) { // within a block
		if across {
			return s, 2 + i
		}
		return i, 2 + s
	}
	gap := 0
	if blockRows > 1 {
		gap = 1 // a blank row between blocks
	}
	rows := x.Rows*blockRows + gap*(x.Rows-1)
	// report.Grid's bound, checked before anything is decoded.
	if w, h := cols*(side*scale+1)-1, rows*(side*scale+1)-1; w > 1<<15 || h > 1<<15 {
		return nil, cli.Usagef("traversals: a picture of %d×%d pixels is too large, beyond %d a side (use a smaller -images, -latents or -scale)", w, h, 1<<15)
	}
	blank := make([]float32, x.Cols)
	for i := range blank {
		blank[i] = float32(report.SeparatorGray) / 255
	}
	recon, err := v.Decode(codes)
	if err != nil {
		return nil, err
	}
	// Every traversal code of every image, decoded in one batch.
	trav := make([]int, 0, x.Rows*shown*k*n)
	for b := 0; b < x.Rows; b++ {
		z := codes[b*n : (b+1)*n]
		for i := 0; i < shown; i++ {
			for s := 0; s < k; s++ {
				c := append([]int(nil), z...)
				c[i] = s
				trav = append(trav, c...)
			}
		}
	}
	means, err := v.Decode(trav)
	if err != nil {
		return nil, err
	}
	cells := make([][]float32, rows*cols)
	for j := range cells {
		cells[j] = blank
	}
	var own [][2]int // grid cells of each image's own states
	for b := 0; b < x.Rows; b++ {
		top := b * (blockRows + gap)
		cells[top*cols], cells[top*cols+1] = x.Row(b), recon.Row(b)
		for i := 0; i < shown; i++ {
			for s := 0; s < k; s++ {
				r, c := cell(i, s)
				cells[(top+r)*cols+c] = means.Row((b*shown+i)*k + s)
			}
			r, c := cell(i, codes[b*n+i])
			own = append(own, [2]int{top + r, c})
		}
	}
	gray, err := report.GridImage(cells, rows, cols, side, side, scale)
	if err != nil {
		return nil, fmt.Errorf("traversals: %w (use a smaller -images, -latents or -scale)", err)
	}
	img := image.NewRGBA(gray.Bounds())
	for y := 0; y < gray.Rect.Dy(); y++ {
		for x := 0; x < gray.Rect.Dx(); x++ {
			g := gray.GrayAt(x, y).Y
			img.SetRGBA(x, y, color.RGBA{g, g, g, 255})
		}
	}
	red := color.RGBA{220, 30, 30, 255}
	cw := side * scale
	for _, rc := range own {
		x0, y0 := rc[1]*(cw+1), rc[0]*(cw+1)
		for t := 0; t < cw; t++ { // a 1-pixel frame just inside the cell
			img.SetRGBA(x0+t, y0, red)
			img.SetRGBA(x0+t, y0+cw-1, red)
			img.SetRGBA(x0, y0+t, red)
			img.SetRGBA(x0+cw-1, y0+t, red)
		}
	}
	return img, nil
}
