package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/argmaxvae/argmaxvae/dataset"
	"github.com/argmaxvae/argmaxvae/internal/experiment"
	"github.com/argmaxvae/argmaxvae/nn"
)

// Training-epoch benchmarks. Each op trains one pass over the first
// trainImages MNIST training images (batch 100, so trainImages/100 steps)
// with the same construction as cmd/categorical and cmd/structured, and
// reports the time of a full 50 000-image epoch extrapolated from it, in
// wall seconds ("s/epoch") and in CPU seconds of the whole process
// ("cpu-s/epoch", OpenBLAS threads included), which is what to compare on a
// shared machine. Run with:
//
//	go test -run XXX -bench TrainEpoch -benchtime 3x ./bench/
//
// Without the MNIST files (see package dataset) the images are synthetic:
// independent pixels that are 1 with probability 0.13, MNIST's density.
const trainImages = 5000

var (
	mnistOnce sync.Once
	mnistX    nn.Mat
	mnistSrc  string
)

// benchImages returns trainImages binary images of 784 pixels.
func benchImages() (nn.Mat, string) {
	mnistOnce.Do(func() {
		if sp, err := dataset.Load("mnist", dataset.Options{}); err == nil && sp.Train.N >= trainImages {
			mnistX = nn.Mat{Rows: trainImages, Cols: sp.Train.D, Data: sp.Train.X[:trainImages*sp.Train.D]}
			mnistSrc = "mnist"
			return
		}
		r := rand.New(rand.NewPCG(7, 8))
		mnistX = nn.NewMat(trainImages, dataset.Pixels)
		for i := range mnistX.Data {
			if r.Float64() < 0.13 {
				mnistX.Data[i] = 1
			}
		}
		mnistSrc = "synthetic"
	})
	return mnistX, mnistSrc
}

// processCPU returns the user+system CPU time of the process.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchEpoch builds the trainer of spec s and times epochs over the
// benchmark images.
func benchEpoch(b *testing.B, s *experiment.Spec) {
	x, src := benchImages()
	defer nn.SetThreads(nn.Threads())
	experiment.UseThreads(s.Threads)
	t, err := experiment.NewTrainer(s, x.Cols)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := t.TrainEpoch(context.Background(), x.Slice(0, 10*s.Batch)); err != nil { // grow buffers
		b.Fatal(err)
	}
	b.Logf("%s images", src)
	c0 := processCPU()
	for b.Loop() {
		if _, err := t.TrainEpoch(context.Background(), x); err != nil {
			b.Fatal(err)
		}
	}
	scale := 50000 / float64(x.Rows) / float64(b.N)
	b.ReportMetric(b.Elapsed().Seconds()*scale, "s/epoch")
	b.ReportMetric((processCPU()-c0).Seconds()*scale, "cpu-s/epoch")
	b.ReportMetric(0, "ns/op")
}

func categoricalSpec(est string, k, threads int) *experiment.Spec {
	return &experiment.Spec{Command: "categorical", Data: "mnist", N: 1, K: k, Hidden: 300, Structure: "independent",
		Solver: "categorical", Estimator: est, Epochs: 1, Batch: 100, LR: 1e-3, Seed: 1, Eps0: 1, EpsMin: 0.1,
		Anneal: 1e-5, Threads: threads}
}

// BenchmarkTrainEpochCategorical is cmd/categorical: one latent of K
// states, estimators direct, gsm and exact, at 1 and 2 threads.
func BenchmarkTrainEpochCategorical(b *testing.B) {
	for _, threads := range []int{1, 2} {
		for _, k := range []int{10, 50} {
			for _, est := range []string{"direct", "gsm", "exact"} {
				b.Run(fmt.Sprintf("k%d/%s/threads%d", k, est, threads), func(b *testing.B) {
					benchEpoch(b, categoricalSpec(est, k, threads))
				})
			}
		}
	}
}

// BenchmarkTrainEpochStructured is cmd/structured with its default
// solver: 15 binary latents, a supermodular pairwise encoder (105 edges)
// solved by graph cut, trained with direct optimization.
func BenchmarkTrainEpochStructured(b *testing.B) {
	for _, threads := range []int{1, 2} {
		b.Run(fmt.Sprintf("n15/direct/maxflow/threads%d", threads), func(b *testing.B) {
			s := categoricalSpec("direct", 2, threads)
			s.Command, s.N, s.Structure, s.Signs, s.Solver = "structured", 15, "complete", "supermodular", "maxflow"
			benchEpoch(b, s)
		})
	}
}
