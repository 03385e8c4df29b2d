package dataset

import (
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"
)

// Tests on the real files. They are decoded once per test binary and
// skipped (naming the path) when the files are missing.

// sharedData is where the project keeps test copies of the data sets that
// have no default location.
const sharedData = "../../shared/data"

type loaded struct {
	once sync.Once
	sp   *Splits
	err  error
	took time.Duration
}

var cache = map[string]*loaded{"mnist": {}, "fashion": {}, "omniglot": {}, "binarized-mnist": {}}

func loadOnce(t *testing.T, name string) *Splits {
	t.Helper()
	opt := Options{}
	switch name {
	case "omniglot":
		opt.Dir = filepath.Join(sharedData, "omniglot")
	case "binarized-mnist":
		opt.Dir = filepath.Join(sharedData, "binarized-mnist")
	case "fashion":
		opt.Dir = fashionDefaultDir
	}
	if opt.Dir != "" {
		if _, err := os.Stat(opt.Dir); err != nil {
			t.Skipf("%s data not available at %s: %v", name, opt.Dir, err)
		}
	}
	c := cache[name]
	c.once.Do(func() {
		start := time.Now()
		c.sp, c.err = Load(name, opt)
		c.took = time.Since(start)
	})
	if c.err != nil {
		t.Fatalf("Load(%q): %v", name, c.err)
	}
	t.Logf("Load(%q) took %v", name, c.took)
	return c.sp
}

func countOnes(s *Set) int {
	n := 0
	for _, x := range s.X {
		if x == 1 {
			n++
		}
	}
	return n
}

func histogram(labels []int, k int) []int {
	h := make([]int, k)
	for _, l := range labels {
		h[l]++
	}
	return h
}

// byteSum recovers Σ pixel bytes from Gray = byte/255.
func byteSum(s *Set) int {
	n := 0
	for _, g := range s.Gray {
		n += int(math.Round(float64(g) * 255))
	}
	return n
}

// Golden values computed independently (Python, gzip + struct on the raw
// idx files): ones = bytes ≥ 128, sums of raw bytes, label histograms.
type idxGolden struct {
	ones, sums [3]int
	hist       [3][]int
	first      [2]int // first train and first test label
}

var goldens = map[string]idxGolden{
	"mnist": {
		ones: [3]int{5196441, 1024990, 1052359},
		sums: [3]int{1309089051, 258209494, 264923200},
		hist: [3][]int{
			{4932, 5678, 4968, 5101, 4859, 4506, 4951, 5175, 4842, 4988},
			{991, 1064, 990, 1030, 983, 915, 967, 1090, 1009, 961},
			{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}},
		first: [2]int{5, 7},
	},
	"fashion": {
		ones: [3]int{12306743, 2494760, 2471969},
		sums: [3]int{2853847097, 577267072, 573469082},
		hist: [3][]int{
			{4977, 5012, 4992, 4979, 4950, 5004, 5030, 5045, 5032, 4979},
			{1023, 988, 1008, 1021, 1050, 996, 970, 955, 968, 1021},
			{1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}},
		first: [2]int{9, 9},
	},
}

func TestRealIDX(t *testing.T) {
	for _, name := range []string{"mnist", "fashion"} {
		t.Run(name, func(t *testing.T) {
			sp := loadOnce(t, name)
			g := goldens[name]
			for k, s := range []*Set{sp.Train, sp.Valid, sp.Test} {
				if err := s.Check(); err != nil {
					t.Fatal(err)
				}
				if want := []int{50000, 10000, 10000}[k]; s.N != want || s.D != 784 {
					t.Errorf("%s: N=%d D=%d, want %d 784", s.Name, s.N, s.D, want)
				}
				if got := countOnes(s); got != g.ones[k] {
					t.Errorf("%s: %d ones, want %d", s.Name, got, g.ones[k])
				}
				if got := byteSum(s); got != g.sums[k] {
					t.Errorf("%s: byte sum %d, want %d", s.Name, got, g.sums[k])
				}
				if got := histogram(s.Labels, 10); !slices.Equal(got, g.hist[k]) {
					t.Errorf("%s: label histogram %v, want %v", s.Name, got, g.hist[k])
				}
			}
			trv := append(histogram(sp.Train.Labels, 10), 0)
			total := 0
			for i, h := range histogram(sp.Valid.Labels, 10) {
				total += trv[i] + h
			}
			if total != 60000 || len(sp.Test.Labels) != 10000 {
				t.Errorf("train+valid labels %d, test %d", total, len(sp.Test.Labels))
			}
			if sp.Train.Labels[0] != g.first[0] || sp.Test.Labels[0] != g.first[1] {
				t.Errorf("first labels %d, %d; want %d, %d", sp.Train.Labels[0], sp.Test.Labels[0], g.first[0], g.first[1])
			}
		})
	}
}

func TestRealMNISTDynamic(t *testing.T) {
	sp := loadOnce(t, "mnist")
	// Work on copies of the first 5,000 images of each split (the cached
	// sets are shared with other tests).
	cp := func(s *Set) *Set {
		h := *s.Head(5000)
		h.X, h.Gray = slices.Clone(h.X), slices.Clone(h.Gray)
		return &h
	}
	d1 := &Splits{Train: cp(sp.Train), Valid: cp(sp.Valid), Test: cp(sp.Test)}
	d2 := &Splits{Train: cp(sp.Train), Valid: cp(sp.Valid), Test: cp(sp.Test)}
	if err := resampleSplits(d1, 3); err != nil {
		t.Fatal(err)
	}
	resampleSplits(d2, 3)
	// The ones count of a Bernoulli draw has mean Σ gray and variance
	// Σ g(1−g); pixels with gray 0 or 1 are deterministic.
	for k, s := range []*Set{d1.Train, d1.Valid, d1.Test} {
		if err := s.Check(); err != nil {
			t.Fatal(err)
		}
		var mean, variance float64
		for _, g := range s.Gray {
			mean += float64(g)
			variance += float64(g) * (1 - float64(g))
		}
		if got := float64(countOnes(s)); math.Abs(got-mean) > 6*math.Sqrt(variance) {
			t.Errorf("%s: %v ones, expected %v ± %v", s.Name, got, mean, math.Sqrt(variance))
		}
		for i, g := range s.Gray {
			if (g == 0 && s.X[i] != 0) || (g == 1 && s.X[i] != 1) {
				t.Fatalf("%s: pixel %d with gray %v drawn as %v", s.Name, i, g, s.X[i])
			}
		}
		if !slices.Equal(s.X, []*Set{d2.Train, d2.Valid, d2.Test}[k].X) {
			t.Errorf("%s: same seed, different draw", s.Name)
		}
		if slices.Equal(s.X, []*Set{sp.Train, sp.Valid, sp.Test}[k].X[:len(s.X)]) {
			t.Errorf("%s: dynamic draw equals the threshold binarization", s.Name)
		}
	}
}

func TestRealBinarizedMNIST(t *testing.T) {
	sp := loadOnce(t, "binarized-mnist")
	// Check values from the data README.
	for k, s := range []*Set{sp.Train, sp.Valid, sp.Test} {
		if err := s.Check(); err != nil {
			t.Fatal(err)
		}
		want := [3][2]int{{50000, 5118041}, {10000, 1028036}, {10000, 1038896}}[k]
		if s.N != want[0] || countOnes(s) != want[1] {
			t.Errorf("%s: N=%d with %d ones, want %d and %d", s.Name, s.N, countOnes(s), want[0], want[1])
		}
		if s.Gray != nil || s.Labels[0] != -1 || s.Labels[s.N-1] != -1 {
			t.Errorf("%s: gray present %v, labels %d…%d", s.Name, s.Gray != nil, s.Labels[0], s.Labels[s.N-1])
		}
	}
	if err := sp.Train.Resample(rand.New(rand.NewPCG(1, 2))); !errors.Is(err, ErrNoGray) {
		t.Errorf("Resample on binarized-mnist: %v", err)
	}
	// The split is a stochastic binarization of MNIST (in another order),
	// so its mean image matches MNIST's mean gray image; the transposed
	// arrangement (a column-major mix-up) matches clearly worse.
	if _, err := os.Stat(filepath.Join(sharedData, "binarized-mnist")); err == nil {
		m := loadOnce(t, "mnist")
		mb, mg := meanImage(sp.Train.X), meanImage(m.Train.Gray)
		tr := make([]float64, Pixels)
		for r := 0; r < Side; r++ {
			for c := 0; c < Side; c++ {
				tr[r*Side+c] = mb[c*Side+r]
			}
		}
		same, swapped := correlation(mb, mg), correlation(tr, mg)
		t.Logf("mean-image correlation with MNIST: %.4f (transposed %.4f)", same, swapped)
		if same < 0.99 || swapped > same-0.1 {
			t.Errorf("mean-image correlation with MNIST %.4f, transposed %.4f", same, swapped)
		}
	}
}

func meanImage(x []float32) []float64 {
	m := make([]float64, Pixels)
	for i, v := range x {
		m[i%Pixels] += float64(v)
	}
	for j := range m {
		m[j] /= float64(len(x) / Pixels)
	}
	return m
}

func correlation(a, b []float64) float64 {
	var ma, mb float64
	for i := range a {
		ma += a[i]
		mb += b[i]
	}
	ma /= float64(len(a))
	mb /= float64(len(b))
	var sab, saa, sbb float64
	for i := range a {
		sab += (a[i] - ma) * (b[i] - mb)
		saa += (a[i] - ma) * (a[i] - ma)
		sbb += (b[i] - mb) * (b[i] - mb)
	}
	return sab / math.Sqrt(saa*sbb)
}

func TestRealOmniglot(t *testing.T) {
	sp := loadOnce(t, "omniglot")
	if sp.Train.N != 23000 || sp.Valid.N != 1345 || sp.Test.N != 8115 || sp.Train.N+sp.Valid.N != 24345 {
		t.Fatalf("sizes %d/%d/%d, want 23000/1345/8115", sp.Train.N, sp.Valid.N, sp.Test.N)
	}
	perLabel := make([][2]int, 1623) // images per character: train+valid, test
	for k, s := range []*Set{sp.Train, sp.Valid, sp.Test} {
		if err := s.Check(); err != nil {
			t.Fatal(err)
		}
		for _, l := range s.Labels {
			if l < 0 || l >= 1623 {
				t.Fatalf("%s: label %d outside [0, 1623)", s.Name, l)
			}
			perLabel[l][k/2]++
		}
		// Area averaging preserves ink: Σ gray·225 = 16 × (stroke pixels).
		for i := 0; i < s.N; i += 997 {
			var units float64
			for _, g := range s.Gray[i*Pixels : (i+1)*Pixels] {
				units += float64(g) * 225
			}
			if u := math.Round(units); math.Abs(units-u) > 1e-3 || int(u)%16 != 0 {
				t.Errorf("%s image %d: %v coverage units, not a multiple of 16", s.Name, i, units)
			}
		}
	}
	for l, c := range perLabel {
		if c != [2]int{15, 5} {
			t.Fatalf("character %d: %d train+valid, %d test images; want 15, 5", l, c[0], c[1])
		}
	}
	// The validation set spreads over many characters.
	distinct := map[int]bool{}
	for _, l := range sp.Valid.Labels {
		distinct[l] = true
	}
	if len(distinct) < 900 {
		t.Errorf("validation covers only %d characters", len(distinct))
	}
	// Golden values computed independently (Python, exact integer box
	// filter) for characters 0 and 964 (first of each file), all 20
	// drawers: total coverage units (gray·225) and ones (units ≥ 113).
	golden := map[int][2]int{0: {279376, 1240}, 964: {546112, 2452}}
	got := map[int][2]int{}
	for _, s := range []*Set{sp.Train, sp.Valid, sp.Test} {
		for i, l := range s.Labels {
			if _, ok := golden[l]; !ok {
				continue
			}
			c := got[l]
			for p := i * Pixels; p < (i+1)*Pixels; p++ {
				c[0] += int(math.Round(float64(s.Gray[p]) * 225))
				c[1] += int(s.X[p])
			}
			got[l] = c
		}
	}
	for l, want := range golden {
		if got[l] != want {
			t.Errorf("character %d: coverage units and ones %v, want %v", l, got[l], want)
		}
	}
}
