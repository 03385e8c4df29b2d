package experiment

import (
	"io"
	"math/rand/v2"

	"github.com/argmaxvae/argmaxvae/dataset"
	"github.com/argmaxvae/argmaxvae/internal/cli"
	"github.com/argmaxvae/argmaxvae/nn"
	"github.com/argmaxvae/argmaxvae/train"
)

// Data is a data set's splits as matrices (one image a row).
type Data struct {
	Name               string
	Train, Valid, Test nn.Mat
	set                *dataset.Splits
	dynamic            bool
	seed               uint64
}

// LoadData loads a named data set (see dataset.Names). limit > 0 keeps the
// first limit training images (validation and test stay whole). With
// dynamic binarization, [Data.Resample] redraws the training images.
func LoadData(name, dir string, dynamic bool, seed uint64, limit int) (*Data, error) {
	sp, err := dataset.Load(name, dataset.Options{Dynamic: dynamic, Seed: seed, Dir: dir})
	if err != nil {
		return nil, err
	}
	if limit < 0 || limit > sp.Train.N {
		return nil, cli.Usagef("-limit %d: want 0 (all) to %d, the training images of %s", limit, sp.Train.N, name)
	}
	if limit > 0 && limit < sp.Train.N {
		sp.Train = sp.Train.Head(limit)
	}
	d := &Data{Name: name, set: sp, dynamic: dynamic, seed: seed}
	d.Train = asMat(sp.Train)
	d.Valid = asMat(sp.Valid)
	d.Test = asMat(sp.Test)
	return d, nil
}

// Sizes returns the number of images of each split.
func (d *Data) Sizes() Sizes {
	return Sizes{Train: d.Train.Rows, Valid: d.Valid.Rows, Test: d.Test.Rows}
}

func asMat(s *dataset.Set) nn.Mat { return nn.Mat{Rows: s.N, Cols: s.D, Data: s.X[:s.N*s.D]} }

// Resample redraws the dynamically binarized training images for an epoch
// from a generator seeded by the run's seed and the epoch, so a resumed run
// sees the same images. Without dynamic binarization it does nothing.
func (d *Data) Resample(epoch int) error {
	if !d.dynamic {
		return nil
	}
	return d.set.Train.Resample(rand.New(rand.NewPCG(d.seed, uint64(epoch))))
}

// Setup loads the data of a checked spec, checks the minibatch against
// them and the run's estimated cost (printed to log when long, refused
// beyond an hour unless -allow-slow; see [Built.CheckCost]) and builds the
// trainer: with [Check], the one build path of the training commands.
// Problems with the command line come back as [cli.UsageError]s.
func (b *Built) Setup(log io.Writer) (*Data, *train.Trainer, error) {
	s := b.Spec
	data, err := LoadData(s.Data, s.DataDir, s.Dynamic, s.Seed, s.Limit)
	if err != nil {
		return nil, nil, err
	}
	if s.Batch > data.Train.Rows {
		return nil, nil, cli.Usagef("-batch %d: larger than the %d training images", s.Batch, data.Train.Rows)
	}
	if err := b.CheckCost(data.Sizes(), log); err != nil {
		return nil, nil, cli.Usage(err)
	}
	t, err := b.Trainer(data.Train.Cols)
	if err != nil {
		return nil, nil, err
	}
	return data, t, nil
}
