package train

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
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
	threads    int           // goroutines for solves, per-example work and the nn kernels
	batch      *argmax.Batch // one solver per worker
	solveTime  time.Duration
	perSolve   time.Duration // wall time of one solve on one worker, last measured

	// Buffers of one step, sized by sizeEncode (B rows, the examples):
	w       [][]float64 // per-example weights, views of wbuf
	wbuf    []float64
	zsl     [][]int
	vals    []float64
	noise   []float64 // B×N·K Gumbel noise
	zstar   []int     // B×N: z*
	zeps    []int     // B×N: the second code (z*(ε))
	dscores nn.Mat    // B×Dim: dL/dw (GradBuffer)
	kl      []float64 // B
	vars    nn.Mat    // B×N·K: f̃ (LocalLogLik)
	grad    nn.Mat    // the dw of the last EncoderBackward
	local   bool      // vars came from decoder.Variants: DecodeBackwardLocal may reuse its pass
	nbr     nbrBuf    // LocalLogLik's scratch for a structure's own neighbourhood
	all     allBuf    // LogLikAll's scratch

	// and by sizeDecode (the rows decoded, which may differ from B):
	onehot  nn.Mat    // rows×N·K
	dlogits nn.Mat    // rows×D
	f       []float32 // rows: log p(x|z)
	scale   []float32 // rows
	q, lq   []float64 // K: per-latent softmax scratch
}

// NewVAE checks that the encoder, decoder and structure agree and returns
// a VAE that runs on threads goroutines (≤ 0: GOMAXPROCS): its solves, each
// worker with its own solver of the given name ("" picks the structure's
// fastest), its per-example work, and the nn kernels (products and
// element-wise kernels), whose thread count the VAE sets with nn.SetThreads
// when a pass over data starts (TrainEpoch, Evaluate, ExactLikelihood,
// ImportanceLikelihood). Results do not depend on it.
func NewVAE(enc *encoder.Encoder, dec *decoder.Decoder, s argmax.Structure, solver string, threads int) (*VAE, error) {
	if enc == nil || dec == nil || nilStructure(s) {
		return nil, fmt.Errorf("train: NewVAE needs an encoder, a decoder and a structure (got nil)")
	}
	n, k := s.Vars(), s.States()
	if dec.N != n || dec.K != k {
		return nil, fmt.Errorf("train: the structure has %d variables × %d states but the decoder %d × %d", n, k, dec.N, dec.K)
	}
	if enc.Net == nil || dec.Net == nil {
		return nil, fmt.Errorf("train: NewVAE: the encoder and decoder must come from encoder.New and decoder.New (or NewNetworks)")
	}
	if in := enc.Net.L1.In; in != dec.D {
		return nil, fmt.Errorf("train: the encoder reads images of width %d but the decoder writes width %d", in, dec.D)
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
	if threads <= 0 {
		threads = runtime.GOMAXPROCS(0)
	}
	batch, err := argmax.NewBatch(s, solver, threads)
	if err != nil {
		return nil, err
	}
	return &VAE{Enc: enc, Dec: dec, S: s, N: n, K: k, solverName: solver, threads: threads, batch: batch}, nil
}

// NewNetworks returns an encoder d → hidden → ReLU → Dim (softplus on the
// structure's nonnegative coordinates) and a decoder N·K → hidden → ReLU →
// d, initialised from r in that order. A nil structure or a bad size is an
// error naming it.
func NewNetworks(s argmax.Structure, d, hidden int, r *rand.Rand) (*encoder.Encoder, *decoder.Decoder, error) {
	if nilStructure(s) {
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
// or transition weights); 0 for independent latents (and for a VAE without
// a structure).
func (v *VAE) Interactions() int {
	if v.S == nil {
		return 0
	}
	return v.S.Dim() - v.NK()
}

// oneLatent reports whether the latent is one categorical variable without
// interactions: then the decoder output depends on the state only, and the
// K codes can be decoded once per batch.
func (v *VAE) oneLatent() bool { return v.N == 1 && v.Interactions() == 0 }

// SolveTime returns the wall time spent in arg max solves so far.
func (v *VAE) SolveTime() time.Duration { return v.solveTime }

// Params returns the encoder's and decoder's parameters.
func (v *VAE) Params() []nn.Param {
	if v.Enc == nil || v.Enc.Net == nil || v.Dec == nil || v.Dec.Net == nil {
		return nil // not made by NewVAE or ReadModel: no networks
	}
	return append(v.Enc.Params(), v.Dec.Params()...)
}

// Threads returns the VAE's thread count (see [NewVAE]).
func (v *VAE) Threads() int { return v.threads }

// useThreads applies the VAE's thread count to the nn kernels; every pass
// over data calls it first, so that one setting governs everything.
func (v *VAE) useThreads() {
	if nn.Threads() != v.threads {
		nn.SetThreads(v.threads)
	}
}

// grow returns s resized to n, reallocated when its capacity is short
// (contents are not kept).
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// sizeEncode prepares the per-example buffers for a batch of b examples.
func (v *VAE) sizeEncode(b int) {
	n, nk, dim := v.N, v.NK(), v.S.Dim()
	v.wbuf = grow(v.wbuf, b*dim)
	if cap(v.w) < b {
		v.w = make([][]float64, b)
	}
	v.w = v.w[:b]
	for i := range v.w {
		v.w[i] = v.wbuf[i*dim : (i+1)*dim]
	}
	v.noise = grow(v.noise, b*nk)
	v.zstar, v.zeps = grow(v.zstar, b*n), grow(v.zeps, b*n)
	v.kl, v.vals, v.zsl = grow(v.kl, b), grow(v.vals, b), grow(v.zsl, b)
	nn.Resize(&v.dscores, b, dim)
	nn.Resize(&v.vars, b, nk)
}

// sizeDecode prepares the decoder-side buffers for rows decoded codes.
func (v *VAE) sizeDecode(rows int) {
	v.f, v.scale = grow(v.f, rows), grow(v.scale, rows)
	nn.Resize(&v.onehot, rows, v.NK())
	nn.Resize(&v.dlogits, rows, v.Dec.D)
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

// solveRound is the wall time a round of solves aims at: ctx is checked
// between rounds, so a cancel is seen within about this long after the
// round in flight (one solve per worker at least).
const solveRound = 100 * time.Millisecond

// solve solves w[:b] into dst (B×N flat) with the worker pool, in rounds
// of examples sized from the time per solve measured so far (one solve
// per worker until it is known), checking ctx before each. Results do not
// depend on the rounds or the number of workers: every solver is
// deterministic and solves each example on its own.
func (v *VAE) solve(ctx context.Context, b int, dst []int) error {
	if err := checkCtx(ctx); err != nil {
		return err
	}
	n := v.N
	for i := 0; i < b; i++ {
		v.zsl[i] = dst[i*n : (i+1)*n]
	}
	start := time.Now()
	defer func() { v.solveTime += time.Since(start) }()
	for lo := 0; lo < b; {
		if err := ctx.Err(); err != nil {
			return err
		}
		per := v.threads // examples per round
		if v.perSolve > 0 {
			per = max(per, int(solveRound/v.perSolve)*v.threads)
		}
		hi := min(b, lo+per)
		t0 := time.Now()
		if err := v.batch.Maximize(v.w[lo:hi], v.zsl[lo:hi], v.vals[lo:hi]); err != nil {
			if lo > 0 {
				return fmt.Errorf("examples %d…%d: %w", lo, hi-1, err)
			}
			return err
		}
		rounds := (hi - lo + v.threads - 1) / v.threads // solves per worker
		v.perSolve = max(time.Since(t0)/time.Duration(rounds), time.Nanosecond)
		lo = hi
	}
	return nil
}

// nilStructure reports whether s is nil or a nil pointer, whose methods
// cannot be called.
func nilStructure(s argmax.Structure) bool {
	if s == nil {
		return true
	}
	p := reflect.ValueOf(s)
	return p.Kind() == reflect.Pointer && p.IsNil()
}

// errNilContext is the error of a call given a nil context.
var errNilContext = errors.New("train: nil context (pass context.Background() or a context that can be cancelled)")

// checkCtx returns errNilContext for a nil ctx: every method that takes a
// context checks it between pieces of work, and a nil one cannot be asked.
func checkCtx(ctx context.Context) error {
	if ctx == nil {
		return errNilContext
	}
	return nil
}

// sample encodes x, perturbs with Gumbel noise and solves for z* (into
// v.zstar). It returns the encoder's scores.
func (v *VAE) sample(ctx context.Context, x nn.Mat, r *rand.Rand) (nn.Mat, error) {
	v.sizeEncode(x.Rows)
	scores, err := v.Enc.Forward(x)
	if err != nil {
		return nn.Mat{}, err
	}
	v.perturb(scores, r)
	return scores, v.solve(ctx, x.Rows, v.zstar)
}

// decode runs the decoder on the one-hot code of z (B×N) and stores
// log p(x_b|z_b) in v.f. The decoder keeps its activations for Backward.
func (v *VAE) decode(x nn.Mat, z []int) (nn.Mat, error) {
	v.sizeDecode(x.Rows)
	if err := decoder.OneHot(z, v.N, v.K, v.onehot); err != nil {
		return nn.Mat{}, err
	}
	logits, err := v.Dec.Forward(v.onehot)
	if err != nil {
		return nn.Mat{}, err
	}
	nn.BernoulliLogLik(x, logits, v.f)
	return logits, nil
}

// decodeAndBackward decodes the one-hot code of z like [VAE.decode] and
// accumulates the decoder gradient of the mean loss −(1/B)·Σ_b f(x_b, z_b),
// computing the log-likelihoods and their gradient in one pass.
func (v *VAE) decodeAndBackward(x nn.Mat, z []int, dz nn.Mat) error {
	v.sizeDecode(x.Rows)
	if err := decoder.OneHot(z, v.N, v.K, v.onehot); err != nil {
		return err
	}
	logits, err := v.Dec.Forward(v.onehot)
	if err != nil {
		return err
	}
	return v.backwardAt(x, v.onehot, logits, dz, float32(-1)/float32(x.Rows))
}

// decodeVariantsAndBackward is decodeAndBackward for the z of the last
// Dec.Variants call, whose hidden activations and logits that call has
// computed already (see decoder.ForwardVariants).
func (v *VAE) decodeVariantsAndBackward(x nn.Mat, z []int) error {
	v.sizeDecode(x.Rows)
	if err := decoder.OneHot(z, v.N, v.K, v.onehot); err != nil {
		return err
	}
	logits, err := v.Dec.ForwardVariants(v.onehot)
	if err != nil {
		return err
	}
	return v.backwardAt(x, v.onehot, logits, nn.Mat{}, float32(-1)/float32(x.Rows))
}

// backwardAt finishes a decoder pass on code that gave logits: log p(x|code)
// into v.f, and the gradient of scale·Σ_b log p(x_b|code_b) into the
// decoder (and dz, when it has data). x and logits have the same shape
// (the callers check x).
func (v *VAE) backwardAt(x, code, logits, dz nn.Mat, scale float32) error {
	nn.BernoulliLogLikAndGrad(x, logits, v.scaleBuf(x.Rows, scale), v.f, v.dlogits)
	return v.Dec.Backward(code, v.dlogits, dz)
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
