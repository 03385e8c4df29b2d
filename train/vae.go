package train

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"time"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/argmaxvae/argmaxvae/decoder"
	"github.com/argmaxvae/argmaxvae/encoder"
	"github.com/argmaxvae/argmaxvae/nn"
)

var inf = math.Inf(1)

// VAE ties an encoder, a decoder and a latent structure solved by an exact
// arg max solver together, and holds the buffers that one minibatch needs,
// so steady-state steps do not allocate. The encoder emits the structure's
// weight vector w(x) (argmax.Structure.Dim scores per example); the first
// N·K are the unary scores.
type VAE struct {
	Enc  *encoder.Encoder
	Dec  *decoder.Decoder
	S    argmax.Structure
	N, K int // the structure's variables and states

	solverName string
	workers    int              // goroutines for solves and per-example evaluation work
	batch      *argmax.MaxBatch // one solver per worker
	w          [][]float64      // per-example perturbed weights, views of wbuf
	wbuf       []float64
	zsl        [][]int
	vals       []float64
	solveTime  time.Duration

	// per-batch buffers
	noise   []float64 // B×N·K Gumbel noise
	zstar   []int     // B×N
	zeps    []int     // B×N
	onehot  nn.Mat    // B×N·K
	dscores nn.Mat    // B×Dim
	dlogits nn.Mat    // B×D
	f       []float32 // B: log p(x|z*)
	kl      []float64 // B
	scale   []float32 // B
	q, lq   []float64 // K: per-latent softmax scratch
	F       nn.Mat    // B×N·K decoder variants
}

// NewVAE checks that the encoder, decoder and structure agree and returns
// a VAE that solves with workers goroutines (≤ 0: GOMAXPROCS), each with
// its own solver of the given name ("" picks the structure's fastest).
func NewVAE(enc *encoder.Encoder, dec *decoder.Decoder, s argmax.Structure, solver string, workers int) (*VAE, error) {
	n, k := s.Vars(), s.States()
	if dec.N != n || dec.K != k {
		return nil, fmt.Errorf("train: the structure has %d variables × %d states but the decoder %d × %d", n, k, dec.N, dec.K)
	}
	if enc.Width != s.Dim() {
		return nil, fmt.Errorf("train: the encoder emits %d scores, the structure (%s) needs %d", enc.Width, s.Name(), s.Dim())
	}
	for j, sg := range s.Signs() {
		if (sg == argmax.NonNegative) != enc.NonNegative(j) {
			return nil, fmt.Errorf("train: score %d: the structure wants sign %v, the encoder does not enforce it", j, sg)
		}
	}
	if solver == "" {
		name, _, err := argmax.Fastest(s)
		if err != nil {
			return nil, err
		}
		solver = name
	}
	batch, err := argmax.NewMaxBatch(s, solver, workers)
	if err != nil {
		return nil, err
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	return &VAE{Enc: enc, Dec: dec, S: s, N: n, K: k, solverName: solver, workers: workers, batch: batch}, nil
}

// NewNetworks returns an encoder d → hidden → ReLU → Dim (softplus on the
// structure's nonnegative coordinates) and a decoder N·K → hidden → ReLU →
// d, initialised from r in that order. A nil structure or a bad size is an
// error naming it.
func NewNetworks(s argmax.Structure, d, hidden int, r *rand.Rand) (*encoder.Encoder, *decoder.Decoder, error) {
	if s == nil {
		return nil, nil, fmt.Errorf("train: NewNetworks: nil structure")
	}
	signs := s.Signs()
	if len(signs) != s.Dim() {
		return nil, nil, fmt.Errorf("train: NewNetworks: %s gives %d signs for Dim = %d", s.Name(), len(signs), s.Dim())
	}
	nonneg := make([]bool, len(signs))
	for j, sg := range signs {
		nonneg[j] = sg == argmax.NonNegative
	}
	enc, err := encoder.New(d, hidden, s.Dim(), nonneg, r)
	if err != nil {
		return nil, nil, fmt.Errorf("train: NewNetworks for %s: %w", s.Name(), err)
	}
	dec, err := decoder.New(s.Vars(), s.States(), hidden, d, r)
	if err != nil {
		return nil, nil, fmt.Errorf("train: NewNetworks for %s: %w", s.Name(), err)
	}
	return enc, dec, nil
}

// Solver returns the name of the arg max solver in use.
func (v *VAE) Solver() string { return v.solverName }

// NK is the number of unary scores, N·K.
func (v *VAE) NK() int { return v.N * v.K }

// Interactions is the number of non-unary coordinates of w (the pairwise
// or transition weights); 0 for independent latents.
func (v *VAE) Interactions() int { return v.S.Dim() - v.NK() }

// oneLatent reports whether the latent is one categorical variable without
// interactions: then the decoder output depends on the state only, and the
// K codes can be decoded once per batch.
func (v *VAE) oneLatent() bool { return v.N == 1 && v.Interactions() == 0 }

// SolveTime returns the wall time spent in arg max solves so far.
func (v *VAE) SolveTime() time.Duration { return v.solveTime }

// Params returns the encoder's and decoder's parameters.
func (v *VAE) Params() []nn.Param {
	return append(v.Enc.Params(), v.Dec.Params()...)
}

// resize prepares the buffers for a batch of b examples.
func (v *VAE) resize(b int) {
	n, nk, dim := v.N, v.NK(), v.S.Dim()
	if cap(v.wbuf) < b*dim {
		v.wbuf = make([]float64, b*dim)
		v.w = make([][]float64, b)
	}
	v.w = v.w[:cap(v.w)][:b]
	for i := range v.w {
		v.w[i] = v.wbuf[i*dim : (i+1)*dim]
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
	nn.Resize(&v.dscores, b, dim)
	nn.Resize(&v.dlogits, b, v.Dec.D)
	nn.Resize(&v.F, b, nk)
}

// perturb loads w[b] with the unary scores plus Gumbel noise (drawn from r
// in row order) and the other weights of scores row b.
func (v *VAE) perturb(scores nn.Mat, r *rand.Rand) {
	nk := v.NK()
	argmax.GumbelFill(v.noise, r)
	for b := 0; b < scores.Rows; b++ {
		row, w := scores.Row(b), v.w[b]
		for j := 0; j < nk; j++ {
			w[j] = float64(row[j]) + v.noise[b*nk+j]
		}
		for j := nk; j < len(w); j++ {
			w[j] = float64(row[j])
		}
	}
}

// addToUnary adds scale·F[b] to the unary scores of w[b].
func (v *VAE) addToUnary(F nn.Mat, scale float64) {
	for b := 0; b < F.Rows; b++ {
		row, u := F.Row(b), v.w[b][:v.NK()]
		for j := range u {
			u[j] += scale * float64(row[j])
		}
	}
}

// shrinkScores turns the perturbed weights h + γ into (1−ε)·h + γ: the
// folded-KL perturbation −ε·log q with log q ∝ h (see [KLFolded]).
func (v *VAE) shrinkScores(scores nn.Mat, eps float64) {
	nk := v.NK()
	for b := 0; b < scores.Rows; b++ {
		row, w := scores.Row(b), v.w[b]
		for j := 0; j < nk; j++ {
			w[j] -= eps * float64(row[j])
		}
		for j := nk; j < len(w); j++ {
			w[j] = (1 - eps) * float64(row[j])
		}
	}
}

// solve solves w[:b] into dst (B×N flat) with the worker pool. Results do
// not depend on the number of workers: every solver is deterministic.
func (v *VAE) solve(b int, dst []int) error {
	n := v.N
	for i := 0; i < b; i++ {
		v.zsl[i] = dst[i*n : (i+1)*n]
	}
	start := time.Now()
	err := v.batch.Solve(v.w[:b], v.zsl[:b], v.vals[:b])
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
	decoder.OneHot(z, v.N, v.K, v.onehot)
	logits := v.Dec.Forward(v.onehot)
	nn.BernoulliLogLik(x, logits, v.f)
	return logits
}

// decodeAndBackward decodes the one-hot code of z like [VAE.decode] and
// accumulates the decoder gradient of the mean loss −(1/B)·Σ_b f(x_b, z_b),
// computing the log-likelihoods and their gradient in one pass.
func (v *VAE) decodeAndBackward(x nn.Mat, z []int) {
	decoder.OneHot(z, v.N, v.K, v.onehot)
	v.backwardAt(x, v.onehot, v.Dec.Forward(v.onehot), nn.Mat{})
}

// decodeVariantsAndBackward is decodeAndBackward for the z of the last
// Dec.Variants call, whose hidden activations and logits that call has
// computed already (see decoder.ForwardVariants).
func (v *VAE) decodeVariantsAndBackward(x nn.Mat, z []int) {
	decoder.OneHot(z, v.N, v.K, v.onehot)
	v.backwardAt(x, v.onehot, v.Dec.ForwardVariants(v.onehot), nn.Mat{})
}

// decodeBackwardCode decodes the (possibly relaxed) codes, accumulates the
// decoder gradient of the mean loss −(1/B)·Σ_b log p(x_b|code_b), stores
// the log-likelihoods in v.f and, when dz has data, sets dz to the loss
// gradient with respect to the codes.
func (v *VAE) decodeBackwardCode(x, code, dz nn.Mat) {
	v.backwardAt(x, code, v.Dec.Forward(code), dz)
}

// backwardAt finishes a decoder pass on code that gave logits: log p(x|code)
// into v.f, and the gradient of the mean loss into the decoder (and dz).
func (v *VAE) backwardAt(x, code, logits, dz nn.Mat) {
	scale := v.scaleBuf(x.Rows, float32(-1)/float32(x.Rows))
	nn.BernoulliLogLikAndGrad(x, logits, scale, v.f, v.dlogits)
	v.Dec.Backward(code, v.dlogits, dz)
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
	return append([]int(nil), v.zstar[:x.Rows*v.N]...), nil
}
