package train

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/argmaxvae/argmaxvae/decoder"
	"github.com/argmaxvae/argmaxvae/encoder"
	"github.com/argmaxvae/argmaxvae/nn"
)

var inf = math.Inf(1)

// VAE ties an encoder, a decoder and an arg max solver together and holds
// the buffers that one minibatch needs, so steady-state steps do not
// allocate.
type VAE struct {
	Enc   *encoder.Encoder
	Dec   *decoder.Decoder
	Edges []argmax.Edge // pairwise structure; weight e comes from encoder output N·K+e

	batch      *argmax.Batch
	models     []*argmax.Model
	zsl        [][]int
	vals       []float64
	solveTime  time.Duration
	solveCalls int

	// per-batch buffers
	noise   []float64 // B×N·K Gumbel noise
	zstar   []int     // B×N
	zeps    []int     // B×N
	onehot  nn.Mat    // B×N·K
	dscores nn.Mat    // B×(N·K+P)
	dlogits nn.Mat    // B×D
	f       []float32 // B: log p(x|z*)
	kl      []float64 // B
	scale   []float32 // B
	q, lq   []float64 // K: per-latent softmax scratch
	F       nn.Mat    // B×N·K decoder variants
}

// NewVAE checks that the encoder, decoder and structure agree and returns a
// VAE that solves with workers goroutines (≤ 0: GOMAXPROCS), each with a
// solver from newSolver.
func NewVAE(enc *encoder.Encoder, dec *decoder.Decoder, edges []argmax.Edge, newSolver func() argmax.Solver, workers int) (*VAE, error) {
	if enc.N != dec.N || enc.K != dec.K {
		return nil, fmt.Errorf("train: encoder has %d latents × %d states but decoder %d × %d", enc.N, enc.K, dec.N, dec.K)
	}
	if enc.Pairs != len(edges) {
		return nil, fmt.Errorf("train: encoder emits %d pairwise scores for %d edges", enc.Pairs, len(edges))
	}
	if len(edges) > 0 && enc.K != 2 {
		return nil, fmt.Errorf("train: pairwise structure needs binary latents, got K = %d", enc.K)
	}
	for i, e := range edges {
		if e.I < 0 || e.I >= enc.N || e.J < 0 || e.J >= enc.N || e.I == e.J {
			return nil, fmt.Errorf("train: edge %d (%d,%d) is not a pair of distinct latents in [0,%d)", i, e.I, e.J, enc.N)
		}
	}
	return &VAE{Enc: enc, Dec: dec, Edges: edges, batch: argmax.NewBatch(newSolver, workers)}, nil
}

// NK is the number of unary scores, N·K.
func (v *VAE) NK() int { return v.Enc.N * v.Enc.K }

// SolveTime returns the wall time spent in arg max solves so far.
func (v *VAE) SolveTime() time.Duration { return v.solveTime }

// Params returns the encoder's and decoder's parameters.
func (v *VAE) Params() []nn.Param {
	return append(v.Enc.Params(), v.Dec.Params()...)
}

// resize prepares the buffers for a batch of b examples.
func (v *VAE) resize(b int) {
	n, nk, p := v.Enc.N, v.NK(), v.Enc.Pairs
	for len(v.models) < b {
		m := &argmax.Model{N: n, K: v.Enc.K, Unary: make([]float64, nk)}
		if p > 0 {
			m.Edges = append([]argmax.Edge(nil), v.Edges...)
		}
		v.models = append(v.models, m)
	}
	if cap(v.noise) < b*nk {
		v.noise = make([]float64, b*nk)
		v.zstar = make([]int, b*n)
		v.zeps = make([]int, b*n)
		v.f = make([]float32, b)
		v.kl = make([]float64, b)
		v.vals = make([]float64, b)
		v.scale = make([]float32, b)
		v.zsl = make([][]int, b)
	}
	v.noise, v.zstar, v.zeps = v.noise[:b*nk], v.zstar[:b*n], v.zeps[:b*n]
	v.f, v.kl, v.vals, v.zsl, v.scale = v.f[:b], v.kl[:b], v.vals[:b], v.zsl[:b], v.scale[:b]
	nn.Resize(&v.onehot, b, nk)
	nn.Resize(&v.dscores, b, nk+p)
	nn.Resize(&v.dlogits, b, v.Dec.D)
	nn.Resize(&v.F, b, nk)
}

// perturb loads models[b] with the unary scores plus Gumbel noise (drawn
// from r in row order) and the pairwise weights of scores row b.
func (v *VAE) perturb(scores nn.Mat, r *rand.Rand) {
	nk := v.NK()
	argmax.GumbelFill(v.noise, r)
	for b := 0; b < scores.Rows; b++ {
		row := scores.Row(b)
		m := v.models[b]
		for j := 0; j < nk; j++ {
			m.Unary[j] = float64(row[j]) + v.noise[b*nk+j]
		}
		for e := range m.Edges {
			m.Edges[e].W = float64(row[nk+e])
		}
	}
}

// addToUnary adds scale·F[b] to the unary scores of models[b].
func (v *VAE) addToUnary(F nn.Mat, scale float64) {
	for b := 0; b < F.Rows; b++ {
		row, u := F.Row(b), v.models[b].Unary
		for j := range u {
			u[j] += scale * float64(row[j])
		}
	}
}

// shrinkScores turns the perturbed models h + γ into (1−ε)·h + γ: the
// folded-KL perturbation −ε·log q with log q ∝ h (see [KLFolded]).
func (v *VAE) shrinkScores(scores nn.Mat, eps float64) {
	nk := v.NK()
	for b := 0; b < scores.Rows; b++ {
		row, m := scores.Row(b), v.models[b]
		for j := range m.Unary {
			m.Unary[j] -= eps * float64(row[j])
		}
		for e := range m.Edges {
			m.Edges[e].W = (1 - eps) * float64(row[nk+e])
		}
	}
}

// solve solves models[:b] into dst (B×N flat).
func (v *VAE) solve(b int, dst []int) error {
	n := v.Enc.N
	for i := 0; i < b; i++ {
		v.zsl[i] = dst[i*n : (i+1)*n]
	}
	start := time.Now()
	err := v.batch.Solve(v.models[:b], v.zsl, v.vals)
	v.solveTime += time.Since(start)
	return err
}

// sample encodes x, perturbs with Gumbel noise and solves for z* (into
// v.zstar). It returns the encoder's scores.
func (v *VAE) sample(x nn.Mat, r *rand.Rand) (nn.Mat, error) {
	v.resize(x.Rows)
	scores := v.Enc.Forward(x)
	v.perturb(scores, r)
	return scores, v.solve(x.Rows, v.zstar)
}

// decode runs the decoder on the one-hot code of z (B×N) and stores
// log p(x_b|z_b) in v.f. The decoder keeps its activations for Backward.
func (v *VAE) decode(x nn.Mat, z []int) nn.Mat {
	decoder.OneHot(z, v.Enc.N, v.Enc.K, v.onehot)
	logits := v.Dec.Forward(v.onehot)
	nn.BernoulliLogLik(x, logits, v.f)
	return logits
}

// decodeAndBackward decodes the one-hot code of z like [VAE.decode] and
// accumulates the decoder gradient of the mean loss −(1/B)·Σ_b f(x_b, z_b),
// computing the log-likelihoods and their gradient in one pass.
func (v *VAE) decodeAndBackward(x nn.Mat, z []int) {
	decoder.OneHot(z, v.Enc.N, v.Enc.K, v.onehot)
	logits := v.Dec.Forward(v.onehot)
	scale := v.scaleBuf(x.Rows, float32(-1)/float32(x.Rows))
	nn.BernoulliLogLikAndGrad(x, logits, scale, v.f, v.dlogits)
	v.Dec.Backward(v.onehot, v.dlogits, nn.Mat{})
}

// scratch returns the K-long softmax buffers (v.q and the returned lq).
func (v *VAE) scratch(k int) []float64 {
	if cap(v.q) < k {
		v.q, v.lq = make([]float64, k), make([]float64, k)
	}
	return v.lq[:k]
}

func (v *VAE) scaleBuf(b int, s float32) []float32 {
	buf := v.scale[:b]
	for i := range buf {
		buf[i] = s
	}
	return buf
}

// Sample returns Gumbel-Max samples z* (B×N, flat) for the rows of x,
// solved with the VAE's solver. The slice is a copy.
func (v *VAE) Sample(x nn.Mat, r *rand.Rand) ([]int, error) {
	if _, err := v.sample(x, r); err != nil {
		return nil, err
	}
	return append([]int(nil), v.zstar[:x.Rows*v.Enc.N]...), nil
}
