package semisup

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/argmaxvae/argmaxvae/nn"
)

// Eval is an evaluation of a model on a labelled set.
type Eval struct {
	// NELBO is the mean negative ELBO with the sum over z_d exact and one
	// reparameterized Gaussian sample per component:
	// Σ_k q(k|x)·f(x, k) + KL(q(z_d|x) ‖ uniform). Its expectation over the
	// Gaussian draws is the NELBO, a valid upper bound on −log p(x); one
	// evaluation is an unbiased estimate of that bound (not itself a bound).
	NELBO float64
	// AccArgmax is the fraction of examples whose arg max_k h_k equals the
	// label; AccSample uses a Gumbel-perturbed sample argmax h + γ instead
	// (what the authors' code reports).
	AccArgmax, AccSample float64
	// Assign is each example's arg max_k h_k.
	Assign []int
}

// Evaluate computes [Eval] on X (one image a row) with labels, in batches
// of batch rows, with the noise of seed (the same seed gives the same
// numbers). With bound it costs K decoder passes per example; without, it
// runs the encoder only and leaves NELBO at NaN. When ctx is cancelled it
// returns ctx's error before the next batch (within one batch's work).
func (m *Model) Evaluate(ctx context.Context, X nn.Mat, labels []int, seed uint64, batch int, bound bool) (Eval, error) {
	if X.Rows != len(labels) {
		return Eval{}, fmt.Errorf("semisup: Evaluate: %d images but %d labels", X.Rows, len(labels))
	}
	if batch < 1 {
		batch = 500
	}
	r := rand.New(rand.NewPCG(seed, 0xe7a1))
	s := m.S
	var in nn.Mat
	var ll []float32
	var f, g []float64
	logq := make([]float64, s.K)
	ev := Eval{Assign: make([]int, X.Rows)}
	var nelbo float64
	var hitA, hitS int
	for lo := 0; lo < X.Rows; lo += batch {
		if err := ctx.Err(); err != nil {
			return Eval{}, err
		}
		hi := min(lo+batch, X.Rows)
		x := X.Slice(lo, hi)
		B := hi - lo
		e := m.encode(x, r)
		ll = grow(ll, B*s.K)
		f = grow(f, B*s.K)
		g = grow(g, B*s.K)
		argmax.GumbelFill(g, r)
		if bound {
			m.componentLosses(e, &in, ll, f)
		}
		for b := 0; b < B; b++ {
			h := e.h.Row(b)
			nn.LogSoftmax(h, logq)
			v := catKL(logq)
			best, sample := 0, 0
			for k := range logq {
				if bound {
					v += math.Exp(logq[k]) * f[b*s.K+k]
				}
				if logq[k] > logq[best] {
					best = k
				}
				if float64(h[k])+g[b*s.K+k] > float64(h[sample])+g[b*s.K+sample] {
					sample = k
				}
			}
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return Eval{}, fmt.Errorf("semisup: Evaluate: loss of example %d is %v (the model has diverged)", lo+b, v)
			}
			nelbo += v
			ev.Assign[lo+b] = best
			if best == labels[lo+b] {
				hitA++
			}
			if sample == labels[lo+b] {
				hitS++
			}
		}
	}
	n := float64(X.Rows)
	if !bound {
		nelbo = math.NaN()
	}
	ev.NELBO, ev.AccArgmax, ev.AccSample = nelbo/n, float64(hitA)/n, float64(hitS)/n
	return ev, nil
}

// MajorityMap maps every component to the label most frequent among the
// examples assigned to it (ties and empty components: the smaller label,
// and the component's own index when it got no example), the usual way to
// score an unsupervised clustering as a classifier.
func MajorityMap(assign, labels []int, k int) []int {
	counts := make([][]int, k)
	for i := range counts {
		counts[i] = make([]int, k)
	}
	for i, a := range assign {
		if labels[i] >= 0 && labels[i] < k {
			counts[a][labels[i]]++
		}
	}
	mp := make([]int, k)
	for c := range mp {
		mp[c] = c
		best := 0
		for l, n := range counts[c] {
			if n > best {
				best, mp[c] = n, l
			}
		}
	}
	return mp
}

// Accuracy returns the fraction of examples with mp[assign[i]] == labels[i]
// (mp nil means the identity).
func Accuracy(assign, labels, mp []int) float64 {
	hit := 0
	for i, a := range assign {
		if mp != nil {
			a = mp[a]
		}
		if a == labels[i] {
			hit++
		}
	}
	return float64(hit) / float64(max(1, len(assign)))
}

// Generate decodes, for each of the rows fixed Gaussian draws z ~ N(0, I)
// (from seed) and each component k, the image whose decoder input has z in
// row k: Bernoulli means, rows·K images of D pixels, row-major by draw then
// component (Figure 4's layout: a column per component).
func (m *Model) Generate(rows int, seed uint64) [][]float32 {
	s := m.S
	r := rand.New(rand.NewPCG(seed, 0x6e4))
	in := nn.NewMat(rows*s.K, s.K*s.C)
	z := make([]float32, s.C)
	for i := 0; i < rows; i++ {
		for j := range z {
			z[j] = float32(r.NormFloat64())
		}
		for k := 0; k < s.K; k++ {
			m.setBlock(in, i*s.K+k, k, z, 1)
		}
	}
	logits := m.Dec.Forward(in)
	out := make([][]float32, rows*s.K)
	for i := range out {
		row := logits.Row(i)
		img := make([]float32, len(row))
		for j, l := range row {
			img[j] = float32(1 / (1 + math.Exp(-float64(l))))
		}
		out[i] = img
	}
	return out
}
