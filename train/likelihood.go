package train

import (
	"context"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/argmaxvae/argmaxvae/internal/kernels"
	"github.com/argmaxvae/argmaxvae/nn"
)

// MaxEnumStates caps exact evaluation: K^N joint states at most.
const MaxEnumStates = 1 << 20

// Work sizes of [ExactLikelihood]: codes decoded at once, and image rows
// per product within a worker. Tests shrink them to exercise the chunking.
var (
	enumCodeChunk  = 2048
	enumImageChunk = 256
)

// encodeChunk is the number of examples encoded at once when a whole data
// set is scored, which bounds the encoder's buffers.
const encodeChunk = 1024

// expCut skips exp(d) for d < −expCut in the streaming sums: the term is
// below 1e−26 of the largest one.
const expCut = 60

// Likelihood holds per-example means over a data set, in nats.
type Likelihood struct {
	NLL        float64 // −log p(x): exact when Exact, else the importance-weighted estimate
	NLLStdErr  float64 // standard error of NLL (0 when exact)
	Exact      bool    // NLL is exact (enumerated)
	Samples    int     // importance samples per example (0 when exact)
	GibbsNELBO float64 // E_{q_G}[−log p(x|z)] + KL(q_G‖p) with q_G(z|x) ∝ exp h(x,z), by enumeration: a valid upper bound on NLL; NaN when not enumerated
	GibbsKL    float64 // KL(q_G‖p); NaN when not enumerated
	Seconds    float64 // wall time of the evaluation
}

// enumStates returns K^N for v, or false when it exceeds MaxEnumStates.
// O(N).
func enumStates(v *VAE) (int, bool) {
	n, k := v.N, v.K
	if n < 1 || k < 1 {
		return 0, false
	}
	states := 1
	for i := 0; i < n; i++ {
		states *= k
		if states > MaxEnumStates {
			return 0, false
		}
	}
	return states, true
}

// Enumerable reports whether v's latent space has at most MaxEnumStates
// joint states, that is whether [ExactLikelihood] accepts it. O(N).
func Enumerable(v *VAE) bool {
	if v.usable() != nil {
		return false
	}
	_, ok := enumStates(v)
	return ok
}

// checkData returns an error unless X is a non-empty matrix of finite
// values of the decoder's width. O(rows·D).
func checkData(v *VAE, X nn.Mat, op string) error {
	if err := v.usable(); err != nil {
		return err
	}
	if X.Cols != v.Dec.D {
		return fmt.Errorf("train: %s: data has %d columns but the decoder models %d pixels", op, X.Cols, v.Dec.D)
	}
	if X.Rows < 1 {
		return fmt.Errorf("train: %s: no examples", op)
	}
	if X.Rows > len(X.Data)/max(X.Cols, 1) {
		return fmt.Errorf("train: %s: %d×%d data matrix holds only %d values", op, X.Rows, X.Cols, len(X.Data))
	}
	for i, x := range X.Data[:X.Rows*X.Cols] {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return fmt.Errorf("train: %s: pixel %d of example %d is %v", op, i%X.Cols, i/X.Cols, x)
		}
	}
	return nil
}

// encodeAll returns the encoder's scores for every row of X (rows ×
// (N·K+P)), encoding encodeChunk rows at a time, and checks that they are
// finite. O(rows·hidden·(D + N·K + P)).
func encodeAll(v *VAE, X nn.Mat, op string) (nn.Mat, error) {
	width := v.Enc.Width
	W := nn.NewMat(X.Rows, width)
	for lo := 0; lo < X.Rows; lo += encodeChunk {
		hi := min(lo+encodeChunk, X.Rows)
		s, err := v.Enc.Forward(X.Slice(lo, hi))
		if err != nil {
			return nn.Mat{}, fmt.Errorf("train: %s: %w", op, err)
		}
		copy(W.Data[lo*width:hi*width], s.Data[:(hi-lo)*width])
	}
	for i, w := range W.Data {
		if math.IsNaN(float64(w)) || math.IsInf(float64(w), 0) {
			return nn.Mat{}, fmt.Errorf("train: %s: encoder score %d of example %d is %v", op, i%width, i/width, w)
		}
	}
	return W, nil
}

// enumChunk is one chunk of codes, shared read-only by the workers: the
// transposed hidden activations of the decoder HT (hidden×C), Σ_d softplus
// of each code's logits, and the transposed features Φᵀ ((N·K+P)×C).
type enumChunk struct {
	ht, phiT nn.Mat
	sp       []float64

	// Written by fill and decode alone, before the workers start.
	onehot   nn.Mat // cc×N·K
	sp32     []float32
	z        []int
	phi      []float32
	feasible []bool
	n, k     int
}

// enumWorker scores a contiguous range of image rows against each chunk.
type enumWorker struct {
	lo, hi int
	F, H   nn.Mat // image rows × codes: x·Lᵀ and h
}

// ExactLikelihood enumerates all K^N codes of an enumerable VAE (an error
// names N, K and the cap MaxEnumStates otherwise) and returns, averaged over
// the rows of X (finite, of the decoder's width), the exact −log p(x) under
// the uniform prior, and the negative ELBO and KL of the Gibbs distribution
// q_G ∝ exp h of the encoder's scores. Each code is decoded once per call,
// in chunks; time O(K^N·hidden·(N·K + D) + B·K^N·(hidden + N·K + P)),
// memory independent of K^N (docs/estimators.md#exactlikelihood). It uses
// v's buffers, so it must not run concurrently with training on v; it runs
// on v's threads and returns ctx's error within a fraction of a second of a
// cancel.
func ExactLikelihood(ctx context.Context, v *VAE, X nn.Mat) (Likelihood, error) {
	start := time.Now()
	if err := checkCtx(ctx); err != nil {
		return Likelihood{}, err
	}
	if err := v.usable(); err != nil {
		return Likelihood{}, err
	}
	n, k := v.N, v.K
	states, ok := enumStates(v)
	if !ok {
		return Likelihood{}, fmt.Errorf("train: ExactLikelihood enumerates K^N joint states; N = %d latents of K = %d states exceed the cap MaxEnumStates = %d", n, k, MaxEnumStates)
	}
	if err := checkData(v, X, "ExactLikelihood"); err != nil {
		return Likelihood{}, err
	}
	v.useThreads()
	W, err := encodeAll(v, X, "ExactLikelihood")
	if err != nil {
		return Likelihood{}, err
	}
	B := X.Rows
	codeChunk := max(1, min(enumCodeChunk, states))
	imgChunk := max(1, enumImageChunk)
	net := v.Dec.Net
	hidden := net.L1.Out

	acc := make([]kernels.EnumSums, B)
	for i := range acc {
		acc[i] = kernels.NewEnumSums()
	}
	// XW = X·W2 (B×hidden) and x·b2 per image, once.
	XW := nn.NewMat(B, hidden)
	nn.Gemm(false, false, 1, X, net.L2.WMat(), 0, XW)
	xb := make([]float64, B)
	for i := range xb {
		var s float64
		for d, x := range X.Row(i) {
			s += float64(x) * float64(net.L2.B[d])
		}
		xb[i] = s
	}
	nw := max(1, min(v.threads, (B+imgChunk-1)/imgChunk))
	if nw > 1 {
		// The workers below already use every CPU: each product runs on
		// its worker's goroutine alone, with no OpenBLAS threads or
		// nn goroutines of its own nested inside (results do not depend
		// on the thread count).
		defer nn.SetThreads(nn.Threads())
		nn.SetThreads(1)
	}
	workers := make([]enumWorker, nw)
	for w := range workers {
		workers[w].lo, workers[w].hi = w*B/nw, (w+1)*B/nw
		rows := min(imgChunk, workers[w].hi-workers[w].lo)
		workers[w].F = nn.NewMat(rows, codeChunk)
		workers[w].H = nn.NewMat(rows, codeChunk)
	}
	ch := newEnumChunk(v, codeChunk)
	codes := 0 // feasible codes: the uniform prior is over them
	var wg sync.WaitGroup
	for c0 := 0; c0 < states; c0 += codeChunk {
		if err := ctx.Err(); err != nil {
			return Likelihood{}, err
		}
		cc := min(codeChunk, states-c0)
		codes += ch.fill(v.S, c0, cc)
		if err := ch.decode(net, c0, cc); err != nil {
			return Likelihood{}, err
		}
		for w := range workers {
			wg.Add(1)
			go func(wk *enumWorker) {
				defer wg.Done()
				wk.run(ctx, XW, W, xb, ch, cc, imgChunk, acc)
			}(&workers[w])
		}
		wg.Wait()
	}
	if err := ctx.Err(); err != nil {
		return Likelihood{}, err
	}
	if codes == 0 {
		return Likelihood{}, fmt.Errorf("train: ExactLikelihood: %s has no feasible code", v.S.Name())
	}
	lik := enumSummary(acc, codes)
	lik.Seconds = time.Since(start).Seconds()
	return lik, nil
}

// newEnumChunk returns the buffers of a chunk of up to size codes of v.
func newEnumChunk(v *VAE, size int) *enumChunk {
	n, nk, width := v.N, v.NK(), v.Enc.Width
	return &enumChunk{
		ht:       nn.NewMat(v.Dec.Net.L1.Out, size),
		phiT:     nn.NewMat(width, size),
		sp:       make([]float64, size),
		onehot:   nn.NewMat(size, nk),
		sp32:     make([]float32, size),
		z:        make([]int, n),
		phi:      make([]float32, width),
		feasible: make([]bool, size),
		n:        n,
		k:        v.K,
	}
}

// fill loads codes c0 … c0+cc−1 (latent i is digit i, least significant
// first, of the code's index in base K): their one-hot rows, Φᵀ and
// feasibility; it returns how many are feasible. O(cc·(N·K + P)).
func (ch *enumChunk) fill(s argmax.Structure, c0, cc int) int {
	n, k := ch.n, ch.k
	nk := n * k
	nn.Resize(&ch.onehot, cc, nk)
	nn.Resize(&ch.phiT, ch.phiT.Rows, cc)
	ch.onehot.Zero()
	ch.phiT.Zero()
	feasible := 0
	for c := 0; c < cc; c++ {
		idx := c0 + c
		for i := 0; i < n; i++ {
			ch.z[i] = idx % k
			idx /= k
			ch.onehot.Data[c*nk+i*k+ch.z[i]] = 1
		}
		ch.feasible[c] = argmax.Feasible(s, ch.z)
		if ch.feasible[c] {
			feasible++
		}
		clear(ch.phi)
		s.AddFeatures(ch.z, 1, ch.phi)
		for j, p := range ch.phi {
			if p != 0 {
				ch.phiT.Data[j*cc+c] = p
			}
		}
	}
	return feasible
}

// decode runs the decoder on the chunk's cc codes: Σ_d softplus of each
// code's logits (+Inf for an infeasible code: f = −∞) and the transposed
// hidden activations. A non-finite logit is an error naming it.
// O(cc·hidden·(N·K + D)).
func (ch *enumChunk) decode(net *nn.MLP, c0, cc int) error {
	logits := net.Forward(ch.onehot)
	D := logits.Cols
	for i, l := range logits.Data[:cc*D] {
		if math.IsNaN(float64(l)) || math.IsInf(float64(l), 0) {
			return fmt.Errorf("train: ExactLikelihood: decoder logit %d of code %d is %v", i%D, c0+i/D, l)
		}
	}
	nn.SoftplusRows(logits, nil, ch.sp32[:cc])
	for c := 0; c < cc; c++ {
		ch.sp[c] = float64(ch.sp32[c])
		if !ch.feasible[c] {
			ch.sp[c] = math.Inf(1)
		}
	}
	nn.Resize(&ch.ht, ch.ht.Rows, cc)
	nn.Transpose(ch.ht, net.Hidden())
	return nil
}

// enumSummary turns the per-image sums over all codes into the exact
// −log p(x) and the Gibbs NELBO and KL, averaged over the images, under the
// uniform prior over the feasible codes.
func enumSummary(acc []kernels.EnumSums, codes int) Likelihood {
	nlogK := math.Log(float64(codes)) // −log p(z) of the uniform prior
	var sumNLL, sumNELBO, sumKL float64
	for i := range acc {
		a := &acc[i]
		logpx := a.MF + math.Log(a.SF) - nlogK
		kl := a.TH/a.SH - math.Log(a.SH) + nlogK
		sumNLL -= logpx
		sumKL += kl
		sumNELBO += -a.TF/a.SH + kl
	}
	nb := float64(len(acc))
	return Likelihood{NLL: sumNLL / nb, Exact: true, GibbsNELBO: sumNELBO / nb, GibbsKL: sumKL / nb}
}

// run adds the codes of chunk ch (cc of them) to the sums of the worker's
// image rows, imgChunk rows per product. O((hi−lo)·cc·(hidden + N·K + P)).
func (wk *enumWorker) run(ctx context.Context, XW, W nn.Mat, xb []float64, ch *enumChunk, cc, imgChunk int, acc []kernels.EnumSums) {
	for i0 := wk.lo; i0 < wk.hi && ctx.Err() == nil; i0 += imgChunk {
		i1 := min(i0+imgChunk, wk.hi)
		nn.Resize(&wk.F, i1-i0, cc)
		nn.Resize(&wk.H, i1-i0, cc)
		nn.Gemm(false, false, 1, XW.Slice(i0, i1), ch.ht, 0, wk.F)
		nn.Gemm(false, false, 1, W.Slice(i0, i1), ch.phiT, 0, wk.H)
		for r := 0; r < i1-i0; r++ {
			acc[i0+r].Add(wk.F.Row(r), wk.H.Row(r), ch.sp[:cc], xb[i0+r], expCut)
		}
	}
}
