// Command outside is a program written as a user of the argmaxvae module
// writes one: a module of its own that depends on
// github.com/argmaxvae/argmaxvae (through a replace directive, see go.mod)
// and uses its exported API only. It solves one problem of every built-in
// structure and checks the answer against enumeration, checks the MILP
// solver that package qip adds (or, built without cgo, that it says what
// is missing: milp.go), trains a small VAE
// on a slice of MNIST for one epoch, encodes and decodes, saves the model,
// loads it into a fresh VAE and checks that the codes and decoded means
// are the same, trains with a structure of its own (Interval, interval.go)
// and with an estimator of its own (MyDirect, estimator.go), and exits
// with status 1 on any mismatch. .ci/run builds and runs it, with and
// without cgo. With cgo, lp_solve's header path must be in CGO_CFLAGS
// (". ../../scripts/env.sh" exports it) because the program imports qip.
//
// The README's library section shows the code between the "readme:"
// markers; main_test.go checks that it is the same code.
package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"syscall"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/argmaxvae/argmaxvae/dataset"
	"github.com/argmaxvae/argmaxvae/nn"
	"github.com/argmaxvae/argmaxvae/train"
)

func main() {
	// Ctrl-C or SIGTERM cancels ctx: training stops after the current
	// minibatch and the program exits with status 1.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "outside:", err)
		os.Exit(1)
	}
	fmt.Println("outside: every check passed")
}

func run(ctx context.Context) error {
	if err := solve(); err != nil {
		return fmt.Errorf("solve: %w", err)
	}
	if err := solveEvery(); err != nil {
		return fmt.Errorf("solve every structure: %w", err)
	}
	if err := solveNatural(); err != nil {
		return fmt.Errorf("natural inputs: %w", err)
	}
	if err := milp(); err != nil {
		return fmt.Errorf("milp: %w", err)
	}
	X, V, T, err := mnist(2000, 500)
	if err != nil {
		return err
	}
	v, err := trainOneEpoch(ctx, X, V, T)
	if err != nil {
		return fmt.Errorf("train: %w", err)
	}
	codes, means, err := encodeDecode(ctx, v, T)
	if err != nil {
		return fmt.Errorf("encode/decode: %w", err)
	}
	if err := saveLoad(ctx, v, T, codes, means); err != nil {
		return fmt.Errorf("save/load: %w", err)
	}
	if err := ownStructure(ctx, X); err != nil {
		return fmt.Errorf("own structure: %w", err)
	}
	if err := ownEstimator(ctx, X); err != nil {
		return fmt.Errorf("own estimator: %w", err)
	}
	return nil
}

// solve solves one matching from its score matrix, the README's first
// example.
func solve() error {
	// readme:solve
	score := [][]float32{ // score[i][j]: row i matched to column j
		{1, 5, 0},
		{4, 1, 0},
		{0, 0, 2},
	}
	s, w, err := argmax.MatchingProblem(score) // the structure (3×3 matchings) and its weights
	if err != nil {
		return err
	}
	z, best, err := argmax.Solve(s, w) // by the fastest exact solver, here Hungarian
	if err != nil {
		return err
	}
	cols, err := s.Permutation(z) // [1 0 2]: row i takes column cols[i]; best = 5+4+2
	// readme:end
	if err != nil {
		return err
	}
	name, _, err := argmax.Fastest(s)
	if err != nil {
		return err
	}
	if !slices.Equal(cols, []int{1, 0, 2}) || best != 11 || name != "hungarian" {
		return fmt.Errorf("%s gave columns %v, value %v; want [1 0 2], 11", name, cols, best)
	}
	fmt.Printf("solve: %s by %s: columns %v, value %v\n", s.Name(), name, cols, best)
	return nil
}

// solveEvery solves random problems of every built-in structure with its
// fastest solver and compares the value with enumeration.
func solveEvery() error {
	sub, err := argmax.NewKSubset(8, 3)
	if err != nil {
		return err
	}
	chain, err := argmax.NewChain(5, 3)
	if err != nil {
		return err
	}
	match, err := argmax.NewMatching(5)
	if err != nil {
		return err
	}
	tree, err := argmax.NewSpanningTree(5, argmax.CompleteGraph(5))
	if err != nil {
		return err
	}
	grid, err := argmax.Graph(6, argmax.GridPairs(2, 3), false)
	if err != nil {
		return err
	}
	path, err := argmax.Graph(12, argmax.ChainPairs(12), false) // a forest of pairs: max-product
	if err != nil {
		return err
	}
	twice, err := argmax.Repeat(sub, 2)
	if err != nil {
		return err
	}
	chain5, err := argmax.NewChain(4, 5)
	if err != nil {
		return err
	}
	mixed, err := argmax.NewProduct(chain5, match) // parts of one K, each by its own fastest solver
	if err != nil {
		return err
	}
	structures := []argmax.Structure{grid, path, chain, sub, match, tree, twice, mixed}
	for _, shape := range [][2]int{{1, 10}, {8, 2}} { // one categorical latent, 8 bits
		s, err := argmax.Independent(shape[0], shape[1])
		if err != nil {
			return err
		}
		structures = append(structures, s)
	}
	for _, supermodular := range []bool{true, false} {
		s, err := argmax.Complete(7, supermodular)
		if err != nil {
			return err
		}
		structures = append(structures, s)
	}
	r := rand.New(rand.NewPCG(1, 1))
	for _, s := range structures {
		name, solver, err := argmax.Fastest(s)
		if err != nil {
			return err
		}
		for trial := 0; trial < 20; trial++ {
			w := make([]float64, s.Dim())
			for j, sg := range s.Signs() {
				w[j] = r.NormFloat64()
				if sg == argmax.NonNegative {
					w[j] = math.Abs(w[j])
				}
			}
			z, ref := make([]int, s.Vars()), make([]int, s.Vars())
			got, err := solver.Maximize(w, z)
			if err != nil {
				return fmt.Errorf("%s, %s: %w", s.Name(), name, err)
			}
			want, err := argmax.Enumerate(s, w, ref)
			if err != nil {
				return err
			}
			score, err := argmax.Score(s, w, z)
			if err != nil {
				return err
			}
			if math.Abs(score-got) > 1e-9*(1+math.Abs(got)) || math.Abs(got-want) > 1e-9*(1+math.Abs(want)) || !argmax.Feasible(s, z) {
				return fmt.Errorf("%s, %s: z = %v with value %v; enumeration %v with %v", s.Name(), name, z, got, ref, want)
			}
		}
		fmt.Printf("solve: %-45s %-12s agrees with enumeration on 20 random problems\n", s.Name(), name)
	}
	return nil
}

// mnist returns the first images of MNIST's training, validation and test
// splits (from the Go module cache: no download by hand).
func mnist(train, valid int) (X, V, T nn.Mat, err error) {
	sp, err := dataset.Load("mnist", dataset.Options{})
	if err != nil {
		return X, V, T, err
	}
	mat := func(s *dataset.Set, n int) nn.Mat {
		s = s.Head(min(n, s.N))
		return nn.Mat{Rows: s.N, Cols: s.D, Data: s.X[:s.N*s.D]}
	}
	return mat(sp.Train, train), mat(sp.Valid, valid), mat(sp.Test, valid), nil
}

// trainOneEpoch trains a VAE with 8 binary latents and supermodular pairs
// (solved by max-flow) with the direct estimator for one epoch.
func trainOneEpoch(ctx context.Context, X, V, T nn.Mat) (*train.VAE, error) {
	// readme:train
	s, err := argmax.Complete(8, true) // 8 binary latents, a weight ≥ 0 on every pair: graph cut
	if err != nil {
		return nil, err
	}
	enc, dec, err := train.NewNetworks(s, X.Cols, 64, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		return nil, err
	}
	v, err := train.NewVAE(enc, dec, s, "", 1) // "": the structure's fastest exact solver
	if err != nil {
		return nil, err
	}
	t, err := train.NewTrainer(v, &train.Direct{}, train.Options{Batch: 50}) // zero fields: defaults (lr 1e-3, ε annealed 1 → 0.1)
	if err != nil {
		return nil, err
	}
	sum, err := train.Fit(ctx, t, train.Data{Train: X, Valid: V, Test: T}, train.Settings{Epochs: 1})
	// readme:end
	if err != nil {
		return nil, err
	}
	if !(sum.FinalTest > 0 && sum.FinalTest < 784*math.Ln2) {
		return nil, fmt.Errorf("test loss %v nats after one epoch: not between 0 and 784·log 2", sum.FinalTest)
	}
	fmt.Printf("train: %s, solver %s, one epoch: test loss %.1f nats\n", s.Name(), v.Solver(), sum.FinalTest)
	return v, nil
}

// encodeDecode encodes the test images, decodes their codes, and generates
// images from the prior.
func encodeDecode(ctx context.Context, v *train.VAE, T nn.Mat) ([]int, nn.Mat, error) {
	// readme:encode
	codes, err := v.Encode(ctx, T) // the arg max code of each test image: T.Rows × 8 states
	if err != nil {
		return nil, nn.Mat{}, err
	}
	means, err := v.Decode(codes) // their Bernoulli means: T.Rows × 784 pixels in [0, 1]
	if err != nil {
		return nil, nn.Mat{}, err
	}
	drawn, images, err := v.Generate(ctx, 16, rand.New(rand.NewPCG(3, 4))) // 16 codes from the prior, decoded
	// readme:end
	if err != nil {
		return nil, nn.Mat{}, err
	}
	if len(codes) != T.Rows*v.N || means.Rows != T.Rows || means.Cols != T.Cols || len(drawn) != 16*v.N || images.Rows != 16 {
		return nil, nn.Mat{}, fmt.Errorf("shapes: %d codes, means %d×%d, %d drawn, %d images", len(codes), means.Rows, means.Cols, len(drawn), images.Rows)
	}
	for _, m := range append(slices.Clone(means.Data), images.Data...) {
		if !(m >= 0 && m <= 1) {
			return nil, nn.Mat{}, fmt.Errorf("a Bernoulli mean of %v", m)
		}
	}
	fmt.Printf("encode: %d test images, first code %v; decoded and generated means in [0, 1]\n", T.Rows, codes[:v.N])
	return codes, means, nil
}

// saveLoad writes the model file, reads it into a fresh VAE and checks
// that it encodes and decodes exactly as the original.
func saveLoad(ctx context.Context, v *train.VAE, T nn.Mat, codes []int, means nn.Mat) error {
	dir, err := os.MkdirTemp("", "outside")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "model.bin")
	// readme:save
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := v.WriteModel(f); err != nil { // structure, sizes, data width, parameters, checksum
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	f, err = os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	loaded, err := train.ReadModel(f, train.ModelOptions{}) // rebuilt from the file alone
	if err != nil {
		return err
	}
	again, err := loaded.Encode(ctx, T) // the same codes as v.Encode(ctx, T)
	// readme:end
	if err != nil {
		return err
	}
	if !slices.Equal(again, codes) {
		return errors.New("the loaded model encodes differently")
	}
	m, err := loaded.Decode(again)
	if err != nil {
		return err
	}
	if !slices.Equal(m.Data, means.Data) {
		return errors.New("the loaded model decodes differently")
	}
	// A file for another structure is refused, naming what differs.
	if _, err := f.Seek(0, 0); err != nil {
		return err
	}
	anySign, err := argmax.Complete(8, false)
	if err != nil {
		return err
	}
	_, err = train.ReadModel(f, train.ModelOptions{Structure: anySign})
	if err == nil || !bytes.Contains([]byte(err.Error()), []byte("supermodular")) {
		return fmt.Errorf("a model of supermodular pairs read as any-sign pairs: %v", err)
	}
	fmt.Printf("save/load: %s read back: same %d codes and %d means; another structure refused (%v)\n", loaded.S.Name(), len(again), len(m.Data), err)
	return nil
}

// ownStructure checks Interval's solver against enumeration, then trains
// a VAE whose latent is an Interval for one epoch.
func ownStructure(ctx context.Context, X nn.Mat) error {
	r := rand.New(rand.NewPCG(2, 2))
	s := Interval{N: 10}
	fast, _ := s.NewSolver("kadane")
	for trial := 0; trial < 200; trial++ {
		w := make([]float64, s.Dim())
		for j := range w {
			w[j] = r.NormFloat64()
		}
		z, ref := make([]int, s.N), make([]int, s.N)
		got, err := fast.Maximize(w, z)
		if err != nil {
			return err
		}
		want, err := argmax.Enumerate(s, w, ref)
		if err != nil {
			return err
		}
		if math.Abs(got-want) > 1e-9 || !s.Feasible(z) {
			return fmt.Errorf("kadane: z = %v with %v, enumeration %v with %v", z, got, ref, want)
		}
	}
	z, dst := make([]int, s.N), make([]int, s.N)
	for trial := 0; trial < 200; trial++ {
		lo := r.IntN(s.N)
		hi := lo + r.IntN(s.N-lo)
		for j := range z {
			z[j] = 0
			if lo <= j && j <= hi {
				z[j] = 1
			}
		}
		for i := 0; i < s.N; i++ {
			for state := 0; state < 2; state++ {
				if !s.Neighbour(z, i, state, dst) || dst[i] != state || !s.Feasible(dst) || (state == z[i] && !slices.Equal(dst, z)) {
					return fmt.Errorf("Neighbour(%v, %d, %d) = %v", z, i, state, dst)
				}
			}
		}
	}
	// readme:own-structure
	enc, dec, err := train.NewNetworks(s, X.Cols, 64, rand.New(rand.NewPCG(5, 6)))
	if err != nil {
		return err
	}
	v, err := train.NewVAE(enc, dec, s, "kadane", 1)
	if err != nil {
		return err
	}
	t, err := train.NewTrainer(v, &train.Direct{}, train.Options{Batch: 50})
	if err != nil {
		return err
	}
	stats, err := t.TrainEpoch(ctx, X)
	// readme:end
	if err != nil {
		return err
	}
	codes, err := v.Encode(ctx, X.Slice(0, 100))
	if err != nil {
		return err
	}
	for b := 0; b < 100; b++ {
		if !s.Feasible(codes[b*s.N : (b+1)*s.N]) {
			return fmt.Errorf("Encode gave %v, not an interval", codes[b*s.N:(b+1)*s.N])
		}
	}
	if math.IsNaN(stats.Loss) || stats.Loss <= 0 {
		return fmt.Errorf("training loss %v", stats.Loss)
	}
	fmt.Printf("own structure: %s, kadane agrees with enumeration, neighbours are intervals; one epoch, loss %.1f; codes are intervals\n", s.Name(), stats.Loss)
	return nil
}

// ownEstimator checks that MyDirect's gradients are those of the
// package's direct estimator in its reference form, then trains with it.
func ownEstimator(ctx context.Context, X nn.Mat) error {
	s, err := argmax.Complete(6, false)
	if err != nil {
		return err
	}
	x := X.Slice(0, 64)
	grads := func(est train.Estimator) ([]float32, error) {
		enc, dec, err := train.NewNetworks(s, X.Cols, 32, rand.New(rand.NewPCG(7, 7)))
		if err != nil {
			return nil, err
		}
		v, err := train.NewVAE(enc, dec, s, "", 1)
		if err != nil {
			return nil, err
		}
		if _, err := est.Step(ctx, v, x, rand.New(rand.NewPCG(8, 8)), 0.5); err != nil {
			return nil, err
		}
		var g []float32
		for _, p := range v.Params() {
			g = append(g, p.G...)
		}
		return g, nil
	}
	mine, err := grads(MyDirect{})
	if err != nil {
		return err
	}
	theirs, err := grads(&train.Direct{KL: train.KLNone})
	if err != nil {
		return err
	}
	if !slices.Equal(mine, theirs) || !slices.ContainsFunc(mine, func(g float32) bool { return g != 0 }) {
		return errors.New("MyDirect's gradients differ from train.Direct's (or are all zero)")
	}
	// readme:own-estimator
	enc, dec, err := train.NewNetworks(s, X.Cols, 64, rand.New(rand.NewPCG(9, 9)))
	if err != nil {
		return err
	}
	v, err := train.NewVAE(enc, dec, s, "", 1)
	if err != nil {
		return err
	}
	t, err := train.NewTrainer(v, MyDirect{}, train.Options{Batch: 50})
	if err != nil {
		return err
	}
	stats, err := t.TrainEpoch(ctx, X)
	// readme:end
	if err != nil {
		return err
	}
	if math.IsNaN(stats.Loss) || stats.Loss <= 0 {
		return fmt.Errorf("training loss %v", stats.Loss)
	}
	fmt.Printf("own estimator: %s on %s gives train.Direct's gradients; one epoch, loss %.1f\n", MyDirect{}.Name(), s.Name(), stats.Loss)
	return nil
}
