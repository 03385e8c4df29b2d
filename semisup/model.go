package semisup

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/argmaxvae/argmaxvae/nn"
)

// Sizes are the layer sizes of [Model]. The zero value means the paper's
// sizes (Section 5): K = 10 classes, C = 20 Gaussian dimensions, base
// encoder 784 → 400 → 200, discrete head 200 → 100 → K, continuous head
// 200 → K·100, then 100 → 66 → 2C shared by the K components, decoder
// K·C → 400 → 784.
type Sizes struct {
	D, K, C             int
	Hidden, Base        int
	DiscHidden          int
	ContHidden, ContMid int
	DecHidden           int
}

func (s Sizes) withDefaults() Sizes {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&s.D, 784)
	def(&s.K, 10)
	def(&s.C, 20)
	def(&s.Hidden, 400)
	def(&s.Base, 200)
	def(&s.DiscHidden, 100)
	def(&s.ContHidden, 100)
	def(&s.ContMid, 66)
	def(&s.DecHidden, 400)
	return s
}

// Model is the mixed discrete/continuous VAE of the paper's semi-supervised
// experiment. The encoder maps x to scores h(x) ∈ R^K of the discrete
// latent z_d ∈ {0..K−1} and, for every k, the mean and log-variance of a
// C-dimensional Gaussian z_c^k. The decoder sees the K×C matrix that is
// zero except row z_d, which holds z_c^{z_d}, and gives Bernoulli logits.
//
// Architecture (the paper's, with one difference): base encoder
// x → FC(400) → ReLU → FC(200); discrete head → FC(100) → ReLU → FC(K);
// continuous head → FC(K·100) → ReLU, then per component, with parameters
// shared across components, FC(66) → ReLU → FC(2C). The paper writes
// FC(66) → FC(40) without an activation between (the authors' code has a
// LeakyReLU there); we use a ReLU. Decoder K·C → FC(400) → ReLU → FC(784).
type Model struct {
	S      Sizes
	Base   *nn.MLP    // D → Hidden → ReLU → Base
	Disc   *nn.MLP    // Base → DiscHidden → ReLU → K
	ContIn *nn.Linear // Base → K·ContHidden (then ReLU)
	Cont   *nn.MLP    // ContHidden → ContMid → ReLU → 2C, shared by the K components
	Dec    *nn.MLP    // K·C → DecHidden → ReLU → D

	// forward state of the last encode
	enc encoded
	w   *work
}

// encoded holds one batch's encoder outputs and what the backward pass
// needs.
type encoded struct {
	x       nn.Mat // the input (not owned)
	base    nn.Mat // B×Base (owned by Base)
	h       nn.Mat // B×K scores (owned by Disc)
	cin     nn.Mat // B×(K·ContHidden), after the ReLU (a copy)
	mu, lv  nn.Mat // (B·K)×C
	noise   nn.Mat // (B·K)×C standard normal draws
	zc      nn.Mat // (B·K)×C samples
	klGauss []float64
}

// New returns a model with PyTorch's default initialisation, drawn from r
// in a fixed order.
func New(s Sizes, r *rand.Rand) (*Model, error) {
	s = s.withDefaults()
	for _, v := range []int{s.D, s.K, s.C, s.Hidden, s.Base, s.DiscHidden, s.ContHidden, s.ContMid, s.DecHidden} {
		if v < 1 {
			return nil, fmt.Errorf("semisup: every size must be positive, got %+v", s)
		}
	}
	if s.K < 2 {
		return nil, fmt.Errorf("semisup: K = %d, need at least 2 components", s.K)
	}
	m := &Model{S: s}
	var err error
	if m.Base, err = nn.NewMLP(s.D, s.Hidden, s.Base, r); err != nil {
		return nil, fmt.Errorf("semisup: base network: %w", err)
	}
	if m.Disc, err = nn.NewMLP(s.Base, s.DiscHidden, s.K, r); err != nil {
		return nil, fmt.Errorf("semisup: discrete network: %w", err)
	}
	if m.ContIn, err = nn.NewLinear(s.Base, s.K*s.ContHidden, r); err != nil {
		return nil, fmt.Errorf("semisup: continuous input layer: %w", err)
	}
	if m.Cont, err = nn.NewMLP(s.ContHidden, s.ContMid, 2*s.C, r); err != nil {
		return nil, fmt.Errorf("semisup: continuous network: %w", err)
	}
	if m.Dec, err = nn.NewMLP(s.K*s.C, s.DecHidden, s.D, r); err != nil {
		return nil, fmt.Errorf("semisup: decoder: %w", err)
	}
	return m, nil
}

// Params returns every parameter, named by module.
func (m *Model) Params() []nn.Param {
	var ps []nn.Param
	ps = append(ps, nn.Prefixed("base.", m.Base.Params())...)
	ps = append(ps, nn.Prefixed("disc.", m.Disc.Params())...)
	ps = append(ps, nn.Prefixed("contin.", m.ContIn.Params())...)
	ps = append(ps, nn.Prefixed("cont.", m.Cont.Params())...)
	ps = append(ps, nn.Prefixed("dec.", m.Dec.Params())...)
	return ps
}

// encode runs the encoder on x (B×D) with the Gaussian noise drawn from r
// (B·K·C standard normals, row by row) and keeps what backward needs.
// O(B·(D·Hidden + K·(ContHidden·(Base + ContMid) + ContMid·C))).
func (m *Model) encode(x nn.Mat, r *rand.Rand) *encoded {
	s, e := m.S, &m.enc
	e.x = x
	B := x.Rows
	e.base = m.Base.Forward(x)
	e.h = m.Disc.Forward(e.base)
	nn.Resize(&e.cin, B, s.K*s.ContHidden)
	m.ContIn.Forward(e.base, e.cin)
	nn.ReLU(e.cin.Data)
	g := m.Cont.Forward(nn.Mat{Rows: B * s.K, Cols: s.ContHidden, Data: e.cin.Data})
	for _, p := range []*nn.Mat{&e.mu, &e.lv, &e.noise, &e.zc} {
		nn.Resize(p, B*s.K, s.C)
	}
	for i := 0; i < B*s.K; i++ {
		row := g.Row(i)
		copy(e.mu.Row(i), row[:s.C])
		copy(e.lv.Row(i), row[s.C:])
	}
	for i := range e.noise.Data {
		e.noise.Data[i] = float32(r.NormFloat64())
	}
	nn.GaussianSample(e.mu, e.lv, e.noise, e.zc)
	e.klGauss = grow(e.klGauss, B*s.K)
	nn.GaussianKL(e.mu, e.lv, e.klGauss)
	return e
}

// decoderInput fills in (rows × K·C, zeroed) so that row i has block
// comp[i] set to weight[i]·zc.Row(src[i]) for each listed block; weight
// nil means 1. It serves one-hot codes (one block per row) and the
// Gumbel-Softmax mixture (K blocks per row).
func (m *Model) setBlock(in nn.Mat, row, comp int, z []float32, w float32) {
	dst := in.Row(row)[comp*m.S.C : (comp+1)*m.S.C]
	for j, v := range z {
		dst[j] = w * v
	}
}

// componentLosses sets f[b·K+k] = −log p(x_b | z_d = k, z_c^k) + KL_k(x_b),
// the loss of every component at its own Gaussian sample: B·K decoder
// passes, forward only. buf is scratch for the decoder input.
// O(B·K·DecHidden·(K·C + D)).
func (m *Model) componentLosses(e *encoded, buf *nn.Mat, ll []float32, f []float64) {
	s := m.S
	B := e.x.Rows
	nn.Resize(buf, B*s.K, s.K*s.C)
	buf.Zero()
	for i := 0; i < B*s.K; i++ {
		m.setBlock(*buf, i, i%s.K, e.zc.Row(i), 1)
	}
	logits := m.Dec.Forward(*buf)
	nn.BernoulliLogLikRows(e.x, s.K, logits, nil, ll)
	for i := 0; i < B*s.K; i++ {
		f[i] = -float64(ll[i]) + e.klGauss[i]
	}
}

// catKL returns KL(q ‖ uniform over K) = Σ q log q + log K for log q.
func catKL(logq []float64) float64 {
	s := math.Log(float64(len(logq)))
	for _, l := range logq {
		s += math.Exp(l) * l
	}
	return s
}

func argmaxF(v []float64) int {
	best := 0
	for k, x := range v {
		if x > v[best] {
			best = k
		}
	}
	return best
}

func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// work returns the model's step buffers.
func (m *Model) work() *work {
	if m.w == nil {
		m.w = new(work)
	}
	return m.w
}
