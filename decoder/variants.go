package decoder

import (
	"fmt"

	"github.com/argmaxvae/argmaxvae/internal/kernels"
	"github.com/argmaxvae/argmaxvae/nn"
)

// chunkRows bounds the number of decoder rows [Decoder.Variants] evaluates
// at once (whole examples per chunk, at least one), and so its memory:
// about chunkRows·(hidden + D)·4 bytes.
var chunkRows = 4096

// variantBuffers are the reusable work areas of Variants.
type variantBuffers struct {
	w1t  nn.Mat            // W1ᵀ, (N·K)×hidden: column j of W1 as a contiguous row
	w2   nn.ForwardWeights // W2 for the forward-only product (bfloat16 when nn.BF16 says)
	code nn.Mat            // one-hot codes of the batch, B×(N·K)
	base nn.Mat            // first-layer pre-activation of each example's code, B×hidden
	h    nn.Mat            // hidden activations of a chunk's distinct codes
	lg   nn.Mat            // their logits (without bias)
	sp   []float32         // N = 1: Σ_d softplus of each state's logits
	f    []float32         // log-likelihood of each (example, variant) pair of a chunk
	fs   []float32         // the same, in the order of ord

	set        codeSet // distinct codes of a chunk (see distinct)
	row        []int32 // distinct row of each pair
	srcB, srcF []int32 // example and flip that define each distinct row
	off, cur   []int32 // pairs of row u: ord[off[u]:off[u+1]]
	ord        []int32 // pairs sorted by row
	xi, li     []int32 // example and row of each sorted pair

	zh, zl nn.Mat // hidden activations and logits (bias added) of each example's own code
	zs     []int  // the codes they belong to (B×N)
	zRows  int    // examples in zh and zl (0: none kept, or already used)

	// After ForwardVariants: the activations Backward uses in place of the
	// network's own (copies of zh and zl, which the next Variants
	// overwrites), and Backward's hidden gradient.
	adopted bool
	ah, al  nn.Mat
	dhid    nn.Mat
}

// Variants sets F[b, i·K+s] = f(x_b, z_b with latent i set to s, the others
// as in z_b), f = log p(x|z) = Σ_d x·l − softplus(l). x is B×D, z is B×N
// flat, F is B×(N·K); entries with s = z_bi all equal f(x_b, z_b). This is
// what the direct estimator (N = 1: f for every state) and the structured
// approximation f̃ (one flipped variable at a time) need.
//
// For N > 1 the first-layer pre-activations of the codes z_b come from
// one small product with the one-hot matrix; each variant changes one
// column of W1, so each of the B·(1 + N·(K−1)) rows costs O(hidden)
// (kernels.ShiftReLU) before the product with W2. A code that several rows
// share (one example's variant is another's own code, or two examples
// share a code) is decoded once per chunk of chunkRows rows and scored
// against each of them. Total O(U·hidden·D + B·N·K·D) for U ≤ B·N·K
// distinct codes.
//
// For N = 1 the logits depend on s alone: the K logit rows L (K×D) are
// computed once, and F = X·Lᵀ − 1·(Σ_d softplus(L_s,d))ᵀ is one
// (B×D)·(D×K) product, O(K·hidden·D + B·D·K).
//
// The product with W2 goes through [nn.ForwardWeights], W2 prepared once
// per call: in bfloat16 with float32 accumulation when [nn.BF16] says so
// (N > 1 only; each entry then differs from float32 decoding by at most
// 2⁻⁷·Σ_d Σ_j |h_j·W2_dj|, in practice far less: docs/results/bf16.md).
//
// Variants uses its own buffers, so it leaves the activations of the last
// Forward intact: it may run between Forward and Backward. Inconsistent
// shapes (z must hold B·N states) or a state outside [0, K) are an error
// naming them, found in O(B·N) before any work; it does not allocate once
// its buffers have grown.
func (d *Decoder) Variants(x nn.Mat, z []int, F nn.Mat) error {
	B := x.Rows
	if err := d.check("Variants: x", x, -1, d.D); err != nil {
		return err
	}
	if err := d.check("Variants: F", F, B, d.N*d.K); err != nil {
		return err
	}
	if len(z) != B*d.N {
		return fmt.Errorf("decoder: Variants: %d states for %d examples of %d latents, want %d", len(z), B, d.N, B*d.N)
	}
	for j, s := range z {
		if s < 0 || s >= d.K {
			return fmt.Errorf("decoder: Variants: state %d of latent %d in example %d outside [0, %d)", s, j%d.N, j/d.N, d.K)
		}
	}
	d.v.zRows = 0
	if d.N == 1 {
		d.variantsSingle(x, F)
		return nil
	}
	d.variantsGeneral(x, z, F)
	return nil
}

// variantsSingle handles N = 1: F = X·Lᵀ − softplus sums.
func (d *Decoder) variantsSingle(x, F nn.Mat) {
	v := &d.v
	l1, l2 := d.Net.L1, d.Net.L2
	K, H := d.K, l1.Out
	nn.Resize(&v.h, K, H)
	for s := 0; s < K; s++ {
		row := v.h.Row(s)
		for j := range row {
			a := l1.B[j] + l1.W[j*K+s]
			row[j] = max(a, 0)
		}
	}
	nn.Resize(&v.lg, K, d.D)
	l2.Forward(v.h, v.lg)
	if cap(v.sp) < K {
		v.sp = make([]float32, K)
	}
	v.sp = v.sp[:K]
	nn.SoftplusRows(v.lg, nil, v.sp)
	nn.Gemm(false, true, 1, x, v.lg, 0, F)
	for b := 0; b < F.Rows; b++ {
		row := F.Row(b)
		for s := range row {
			row[s] = float32(float64(row[s]) - float64(v.sp[s]))
		}
	}
}

// variantsGeneral handles N > 1 by chunks of whole examples: the distinct
// codes of a chunk (see codeSet) are decoded in bands, one per worker
// (the module's row splitter, internal/kernels); each worker builds its
// hidden rows, multiplies them by W2ᵀ ([nn.ForwardWeights.Product], on its
// own goroutine) and scores the logits against every example
// that needs them ([nn.BernoulliLogLikPairs]), with no barrier between
// the three. (Scoring the pairs in a second parallel pass instead, without
// distinct's sort of the pairs by row, measured 6% slower at 2 threads:
// BenchmarkVariantsVsGemm, AVX2 paths, 3 runs each.)
func (d *Decoder) variantsGeneral(x nn.Mat, z []int, F nn.Mat) {
	v := &d.v
	l1 := d.Net.L1
	N, K, H, NK := d.N, d.K, l1.Out, d.N*d.K
	per := 1 + N*(K-1)

	// W2 as the f̃ product will use it (rounded to bfloat16 once per call,
	// that is once per training step, when nn.BF16 is on).
	v.w2.Set(d.Net.L2.WMat())

	// W1 is H×NK; keep its columns as contiguous rows.
	nn.Resize(&v.w1t, NK, H)
	for j := 0; j < H; j++ {
		for c, w := range l1.W[j*NK : (j+1)*NK] {
			v.w1t.Data[c*H+j] = w
		}
	}

	// Pre-activations of every example's own code, b₁ + W1·onehot(z_b),
	// as one small product.
	nn.Resize(&v.code, x.Rows, NK)
	_ = OneHot(z[:x.Rows*N], N, K, v.code) // z checked by Variants
	nn.Resize(&v.base, x.Rows, H)
	for b := 0; b < x.Rows; b++ {
		copy(v.base.Row(b), l1.B)
	}
	nn.Gemm(false, true, 1, v.code, l1.WMat(), 1, v.base)

	nn.Resize(&v.zh, x.Rows, H)
	nn.Resize(&v.zl, x.Rows, d.D)
	v.zs = append(v.zs[:0], z[:x.Rows*N]...)
	eb := max(1, chunkRows/per) // examples per chunk
	for b0 := 0; b0 < x.Rows; b0 += eb {
		b1 := min(x.Rows, b0+eb)
		u := d.distinct(z, b0, b1)
		nn.Resize(&v.h, u, H)
		nn.Resize(&v.lg, u, d.D)
		if kernels.Workers() > 1 {
			kernels.ParallelRows(u, 1, u*H*d.D, func(lo, hi int) { d.decodeRange(x, z, lo, hi) })
		} else {
			d.decodeRange(x, z, 0, u)
		}
		bias := d.Net.L2.B
		f := v.f
		for b := b0; b < b1; b++ {
			own := v.row[(b-b0)*per]
			copy(v.zh.Row(b), v.h.Row(int(own)))
			for j, l := range v.lg.Row(int(own)) {
				v.zl.Data[b*d.D+j] = l + bias[j]
			}
			zb, fb := z[b*N:(b+1)*N], F.Row(b)
			r := (b - b0) * per
			f0 := f[r]
			r++
			for i, zi := range zb {
				for s := 0; s < K; s++ {
					if s == zi {
						fb[i*K+s] = f0
						continue
					}
					fb[i*K+s] = f[r]
					r++
				}
			}
		}
	}
	v.zRows = x.Rows
	if v.w2.Kernel() != "" {
		// bfloat16 logits rank codes only: the decoder's gradient at z*
		// is taken from a float32 Forward.
		v.zRows = 0
	}
}

// ForwardVariants is [Decoder.Forward] on code when code holds the one-hot
// codes of the z given to the last [Decoder.Variants] call: for N > 1
// Variants has computed their hidden activations and logits already, and
// they are used instead of decoding again (unless they were computed in
// bfloat16: then it is Forward, in float32). The logits then equal
// Forward's up to float32 rounding (the bias is added after the product
// rather than before). They can be used once, and only while the
// parameters are those Variants saw: call it in the same training step.
// They stay valid, and Backward uses them, until the next Forward or
// ForwardVariants.
// Otherwise (N = 1, other codes, a relaxed code, a second call) it is
// Forward, errors included. Backward follows as after Forward.
// O(B·(hidden + D + N·K)).
func (d *Decoder) ForwardVariants(code nn.Mat) (nn.Mat, error) {
	v := &d.v
	if v.zRows == 0 || code.Rows != v.zRows || code.Cols != d.N*d.K || code.Rows > len(code.Data)/max(code.Cols, 1) || !isOneHot(code, v.zs, d.N, d.K) {
		v.zRows = 0
		return d.Forward(code)
	}
	v.zRows = 0
	d.grouped = false
	d.fwd, d.fwdRows = true, code.Rows
	nn.Resize(&v.ah, code.Rows, v.zh.Cols)
	nn.Resize(&v.al, code.Rows, v.zl.Cols)
	copy(v.ah.Data, v.zh.Data[:code.Rows*v.zh.Cols])
	copy(v.al.Data, v.zl.Data[:code.Rows*v.zl.Cols])
	v.adopted = true
	return v.al, nil
}

// backwardAdopted is [Decoder.Backward] after ForwardVariants: the
// network's backward pass (nn.MLP.Backward: the second layer, the ReLU's
// mask, the first layer, the same operations in the same order) on the
// activations Variants computed. O(B·hidden·(N·K + D)).
func (d *Decoder) backwardAdopted(z, dlogits, dz nn.Mat) {
	v := &d.v
	l1, l2 := d.Net.L1, d.Net.L2
	nn.Resize(&v.dhid, z.Rows, l1.Out)
	l2.Backward(v.ah, dlogits, v.dhid)
	for i, h := range v.ah.Data[:z.Rows*l1.Out] {
		if h <= 0 {
			v.dhid.Data[i] = 0
		}
	}
	l1.Backward(z, v.dhid, dz)
}

// isOneHot reports whether code (B×N·K) is exactly the one-hot encoding
// of z (B×N). O(B·N·K).
func isOneHot(code nn.Mat, z []int, n, k int) bool {
	for b := 0; b < code.Rows; b++ {
		row := code.Row(b)
		for i := 0; i < n; i++ {
			zi := z[b*n+i]
			for s, c := range row[i*k : (i+1)*k] {
				if (s == zi) != (c == 1) || (s != zi && c != 0) {
					return false
				}
			}
		}
	}
	return true
}

// distinct numbers the codes of examples [b0, b1): pair p = (b−b0)·per + r
// (r = 0 the example's own code, then each other state of each latent in
// order) is decoded as distinct row v.row[p]; row u comes from example
// v.srcB[u] with flip v.srcF[u] (−1: none, else i·K+s). It also sorts the
// pairs by row (v.ord, with v.xi and v.li the example and row of each and
// v.off the start of each row's pairs) and returns the number of rows.
// O(pairs) expected.
func (d *Decoder) distinct(z []int, b0, b1 int) int {
	v := &d.v
	N, K := d.N, d.K
	per := 1 + N*(K-1)
	pairs := (b1 - b0) * per
	v.row = growI32(v.row, pairs)
	v.srcB = growI32(v.srcB, pairs)
	v.srcF = growI32(v.srcF, pairs)
	u := int32(0)
	add := func(p int, key uint64, use bool, b, flip int) {
		if use {
			r, added := v.set.insert(key, u)
			v.row[p] = r
			if !added {
				return
			}
		} else {
			v.row[p] = u
		}
		v.srcB[u], v.srcF[u] = int32(b), int32(flip)
		u++
	}
	w := packBits(N, K)
	use := w > 0
	if use {
		v.set.reset(pairs)
	}
	mask := uint64(1)<<w - 1
	for b := b0; b < b1; b++ {
		zb := z[b*N : (b+1)*N]
		var key uint64
		if use {
			for i, zi := range zb {
				key |= uint64(zi) << (uint(i) * w)
			}
		}
		p := (b - b0) * per
		add(p, key, use, b, -1)
		p++
		for i, zi := range zb {
			for s := 0; s < K; s++ {
				if s == zi {
					continue
				}
				sh := uint(i) * w
				add(p, key&^(mask<<sh)|uint64(s)<<sh, use, b, i*K+s)
				p++
			}
		}
	}
	U := int(u)
	// Pairs by row: counting sort, stable in p.
	v.off = growI32(v.off, U+1)
	clear(v.off)
	for _, r := range v.row[:pairs] {
		v.off[r+1]++
	}
	for i := 0; i < U; i++ {
		v.off[i+1] += v.off[i]
	}
	v.ord = growI32(v.ord, pairs)
	v.xi = growI32(v.xi, pairs)
	v.li = growI32(v.li, pairs)
	v.cur = growI32(v.cur, U)
	copy(v.cur, v.off[:U])
	for p, r := range v.row[:pairs] {
		q := v.cur[r]
		v.cur[r]++
		v.ord[q], v.xi[q], v.li[q] = int32(p), int32(b0+p/per), r
	}
	if cap(v.f) < pairs {
		v.f = make([]float32, pairs)
		v.fs = make([]float32, pairs)
	}
	v.f, v.fs = v.f[:pairs], v.fs[:pairs]
	return U
}

// decodeRange decodes distinct rows [lo, hi) of the chunk numbered by
// distinct: hidden activations (ReLU of the example's pre-activation,
// shifted by one column of W1 for a flip), logits h·W2ᵀ in one product,
// and the log-likelihood of every pair decoded by those rows, written to
// v.f. Bands of different workers write disjoint rows and pairs.
// O((hi−lo)·hidden·D + pairs·D).
func (d *Decoder) decodeRange(x nn.Mat, z []int, lo, hi int) {
	v := &d.v
	N, K := d.N, d.K
	for u := lo; u < hi; u++ {
		b, flip := int(v.srcB[u]), int(v.srcF[u])
		hr, base := v.h.Row(u), v.base.Row(b)
		if flip < 0 {
			copy(hr, base)
			nn.ReLU(hr)
			continue
		}
		i := flip / K
		kernels.ShiftReLU(hr, base, v.w1t.Row(i*K+z[b*N+i]), v.w1t.Row(flip))
	}
	v.w2.Product(v.h.Slice(lo, hi), v.lg.Slice(lo, hi))
	q0, q1 := v.off[lo], v.off[hi]
	nn.BernoulliLogLikPairs(x, v.xi[q0:q1], v.lg, v.li[q0:q1], d.Net.L2.B, v.fs[q0:q1])
	for q := q0; q < q1; q++ {
		v.f[v.ord[q]] = v.fs[q]
	}
}

// growI32 returns s resized to n, reallocated only when too short.
func growI32(s []int32, n int) []int32 {
	if cap(s) < n {
		return make([]int32, n)
	}
	return s[:n]
}
