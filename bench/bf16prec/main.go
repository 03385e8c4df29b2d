// Command bf16prec measures what the bfloat16 f̃ products change in the
// structured direct estimator (issue 21, item 2), on a run's model (its
// config.json and best.bin, or the untrained networks config.json builds
// with -untrained): over test images in batches of 100, with one Gumbel
// draw per image, it computes f̃ (train.VAE.LocalLogLik at z*) once in
// float32 and once in bfloat16 and reports
//
//   - the distribution of |f̃_bf16 − f̃_fp32| over all entries, and of the
//     differences the arg max sees, |Δ(f̃(z* with i flipped) − f̃(z*))|;
//   - for each ε, the rate at which z*(ε) = argmax (1−ε)·h + γ + ε·f̃
//     (the folded KL of the main job) differs between the two, per
//     coordinate and per example;
//   - for each ε, the direct estimator's gradient with respect to the
//     encoder's weights, ĝ = −(φ(z*(ε)) − φ(z*))/ε with φ(z) the unary
//     indicators z_i = 1 and, for a binary pairwise structure, the pair
//     products z_i·z_j: the norm of its mean over the images (the signal),
//     its spread (root mean per-coordinate standard deviation of one
//     image's sample) with f̃ in float32 and in bfloat16, and the norm of
//     the paired mean difference ‖mean(ĝ_bf16 − ĝ_fp32)‖ with its standard
//     error (what the norm would be for a difference of zero mean), the
//     structured gradient lab's bias and spread measured on the bf16
//     change alone (the lab itself scores f̃ from a float32 table of all
//     codes, so it cannot see the f̃ pass's arithmetic).
//
// A measurement program, not part of the library. Run with:
//
//	go run ./bench/bf16prec -run DIR [-untrained] [-images 2000]
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"

	"github.com/argmaxvae/argmaxvae/dataset"
	"github.com/argmaxvae/argmaxvae/internal/experiment"
	"github.com/argmaxvae/argmaxvae/internal/runfolder"
	"github.com/argmaxvae/argmaxvae/nn"
)

func main() {
	run := flag.String("run", "", "run folder (config.json, best.bin)")
	untrained := flag.Bool("untrained", false, "use the freshly initialised networks of config.json instead of best.bin")
	images := flag.Int("images", 2000, "test images")
	seed := flag.Uint64("seed", 7, "seed of the Gumbel draws")
	flag.Parse()
	if err := measure(*run, *untrained, *images, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "bf16prec:", err)
		os.Exit(1)
	}
}

func measure(dir string, untrained bool, images int, seed uint64) error {
	if nn.SetBF16(true); nn.BF16() == "" {
		return fmt.Errorf("no bfloat16 kernel on this CPU or build")
	}
	b, err := os.ReadFile(filepath.Join(dir, experiment.ConfigFile))
	if err != nil {
		return err
	}
	s := &experiment.Spec{}
	if err := json.Unmarshal(b, s); err != nil {
		return err
	}
	s.Threads = 2
	built, err := experiment.Check(s, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", experiment.ConfigFile, err)
	}
	sp, err := dataset.Load(s.Data, dataset.Options{Dir: s.DataDir, Seed: s.Seed})
	if err != nil {
		return err
	}
	test := sp.Test
	n := min(images, test.N)
	X := nn.Mat{Rows: n, Cols: test.D, Data: test.X[:n*test.D]}
	v, err := built.VAE(X.Cols)
	if err != nil {
		return err
	}
	what := "untrained (" + experiment.ConfigFile + ", seed " + fmt.Sprint(s.Seed) + ")"
	if !untrained {
		p, err := runfolder.ReadState(filepath.Join(dir, experiment.BestFile)) // the best state, whatever the file's format
		if err != nil {
			return err
		}
		if err := nn.Load(bytes.NewReader(p), v.Params()); err != nil {
			return err
		}
		what = "trained (" + experiment.BestFile + ")"
	}
	ctx := context.Background()
	N, K, NK := v.N, v.K, v.NK()
	epss := []float64{1, 0.5, 0.2, 0.1}
	var dAll, dRel []float64
	pairs := 0
	if K == 2 && v.S.Dim() == NK+N*(N-1)/2 {
		pairs = N * (N - 1) / 2
	}
	dim := N + pairs
	grads := make([]gradStats, len(epss))
	for e := range grads {
		grads[e] = newGradStats(dim)
	}
	phi := func(z []int, out []float64) {
		for i := 0; i < N; i++ {
			out[i] = float64(z[i])
		}
		if pairs > 0 {
			q := N
			for i := 0; i < N; i++ {
				for j := i + 1; j < N; j++ {
					out[q] = float64(z[i] * z[j])
					q++
				}
			}
		}
	}
	p0, pe, g := make([]float64, dim), make([]float64, dim), [2][]float64{make([]float64, dim), make([]float64, dim)}
	coordDiff := make([]int, len(epss))
	exDiff := make([]int, len(epss))
	r := rand.New(rand.NewPCG(seed, 1))
	const batch = 100
	for lo := 0; lo < n; lo += batch {
		x := X.Slice(lo, min(lo+batch, n))
		B := x.Rows
		scores, zs, err := v.SampleArgmax(ctx, x, r)
		if err != nil {
			return err
		}
		zstar := slices.Clone(zs)
		w0 := make([][]float64, B)
		for i := range w0 {
			w0[i] = slices.Clone(v.Weights()[i])
		}
		var F [2]nn.Mat
		for p, on := range []bool{false, true} {
			nn.SetBF16(on)
			f, err := v.LocalLogLik(x, zstar)
			if err != nil {
				return err
			}
			F[p] = nn.NewMat(f.Rows, f.Cols)
			copy(F[p].Data, f.Data[:f.Rows*f.Cols])
		}
		for bi := 0; bi < B; bi++ {
			r32, r16 := F[0].Row(bi), F[1].Row(bi)
			for j := range r32 {
				dAll = append(dAll, math.Abs(float64(r16[j])-float64(r32[j])))
			}
			for i := 0; i < N; i++ {
				own := i*K + zstar[bi*N+i]
				for st := 0; st < K; st++ {
					if j := i*K + st; j != own {
						dRel = append(dRel, math.Abs(float64(r16[j]-r16[own])-float64(r32[j]-r32[own])))
					}
				}
			}
		}
		for e, eps := range epss {
			var z [2][]int
			for p := range F {
				for bi := 0; bi < B; bi++ {
					w, row, f := v.Weights()[bi], scores.Row(bi), F[p].Row(bi)
					copy(w, w0[bi])
					for j := 0; j < NK; j++ {
						w[j] += -eps*float64(row[j]) + eps*float64(f[j])
					}
					for j := NK; j < len(w); j++ {
						w[j] = (1 - eps) * float64(row[j])
					}
				}
				zz, err := v.SolveAgain(ctx, B)
				if err != nil {
					return err
				}
				z[p] = slices.Clone(zz)
			}
			for bi := 0; bi < B; bi++ {
				d := 0
				for i := 0; i < N; i++ {
					if z[0][bi*N+i] != z[1][bi*N+i] {
						d++
					}
				}
				coordDiff[e] += d
				if d > 0 {
					exDiff[e]++
				}
				phi(zstar[bi*N:(bi+1)*N], p0)
				for p := range z {
					phi(z[p][bi*N:(bi+1)*N], pe)
					for j := range pe {
						g[p][j] = -(pe[j] - p0[j]) / eps
					}
				}
				grads[e].add(g[0], g[1])
			}
		}
	}
	fmt.Printf("model: %s, %s n=%d K=%d, %s; %d test images, one Gumbel draw each (seed %d); bf16 kernel %s\n",
		dir, s.Structure, N, K, what, n, seed, nn.BF16())
	q := func(name string, d []float64) {
		slices.Sort(d)
		at := func(p float64) float64 { return d[min(len(d)-1, int(p*float64(len(d))))] }
		mean := 0.0
		for _, x := range d {
			mean += x
		}
		fmt.Printf("  %-34s %8d entries: mean %.3g, median %.3g, 90%% %.3g, 99%% %.3g, 99.9%% %.3g, max %.3g\n",
			name, len(d), mean/float64(len(d)), at(0.5), at(0.9), at(0.99), at(0.999), d[len(d)-1])
	}
	q("|f̃_bf16 − f̃_fp32| (nats)", dAll)
	q("|Δ(f̃(flip) − f̃(z*))| (nats)", dRel)
	for e, eps := range epss {
		fmt.Printf("  ε = %-4g z*(ε) differs: %.4f%% of coordinates (%d of %d), %.3f%% of examples (%d of %d)\n",
			eps, 100*float64(coordDiff[e])/float64(n*N), coordDiff[e], n*N, 100*float64(exDiff[e])/float64(n), exDiff[e], n)
	}
	fmt.Printf("  direct estimator's gradient (%d unary + %d pair coordinates), mean over the images:\n", N, pairs)
	for e, eps := range epss {
		m := &grads[e]
		fmt.Printf("  ε = %-4g ‖ĝ_fp32‖ %.4g; spread fp32 %.4g, bf16 %.4g; ‖mean(ĝ_bf16 − ĝ_fp32)‖ %.3g (standard error %.3g), %.3g%% of ‖ĝ_fp32‖\n",
			eps, m.norm(m.s32), m.spread(m.s32, m.q32), m.spread(m.s16, m.q16), m.norm(m.sd), m.floor(), 100*m.norm(m.sd)/m.norm(m.s32))
	}
	return nil
}

// gradStats accumulates paired gradient samples (float32 f̃, bfloat16 f̃):
// sums and sums of squares of each and of their difference.
type gradStats struct {
	n                      float64
	s32, q32, s16, q16, sd []float64
	qd                     []float64
}

func newGradStats(dim int) gradStats {
	return gradStats{s32: make([]float64, dim), q32: make([]float64, dim), s16: make([]float64, dim),
		q16: make([]float64, dim), sd: make([]float64, dim), qd: make([]float64, dim)}
}

func (m *gradStats) add(g32, g16 []float64) {
	m.n++
	for j := range g32 {
		d := g16[j] - g32[j]
		m.s32[j] += g32[j]
		m.q32[j] += g32[j] * g32[j]
		m.s16[j] += g16[j]
		m.q16[j] += g16[j] * g16[j]
		m.sd[j] += d
		m.qd[j] += d * d
	}
}

// norm is the Euclidean norm of the mean whose sums are s.
func (m *gradStats) norm(s []float64) float64 {
	t := 0.0
	for _, x := range s {
		t += (x / m.n) * (x / m.n)
	}
	return math.Sqrt(t)
}

// spread is the root mean per-coordinate variance of one sample.
func (m *gradStats) spread(s, q []float64) float64 {
	t := 0.0
	for j := range s {
		mu := s[j] / m.n
		t += max(0, q[j]/m.n-mu*mu)
	}
	return math.Sqrt(t / float64(len(s)))
}

// floor is the standard error of the difference's mean, as a norm.
func (m *gradStats) floor() float64 {
	t := 0.0
	for j := range m.sd {
		mu := m.sd[j] / m.n
		t += max(0, m.qd[j]/m.n-mu*mu) / m.n
	}
	return math.Sqrt(t)
}
