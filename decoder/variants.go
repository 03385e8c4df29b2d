package decoder

import (
	"fmt"

	"github.com/argmaxvae/argmaxvae/nn"
)

// ChunkRows bounds the number of decoder rows [Decoder.Variants] evaluates
// at once (whole examples per chunk, at least one), and so its memory:
// about ChunkRows·(hidden + D)·4 bytes.
var ChunkRows = 1024

// variantBuffers are the reusable work areas of Variants.
type variantBuffers struct {
	w1t  nn.Mat    // W1ᵀ, (N·K)×hidden: column j of W1 as a contiguous row
	code nn.Mat    // one-hot codes of the batch, B×(N·K)
	base nn.Mat    // first-layer pre-activation of each example's code, B×hidden
	h    nn.Mat    // hidden activations of a chunk of rows
	lg   nn.Mat    // logits (without bias) of a chunk of rows
	sp   []float32 // N = 1: Σ_d softplus of each state's logits
	f    []float32 // log-likelihood of each row of a chunk
}

// Variants sets F[b, i·K+s] = f(x_b, z_b with latent i set to s, the others
// as in z_b), f = log p(x|z) = Σ_d x·l − softplus(l). x is B×D, z is B×N
// flat, F is B×(N·K); entries with s = z_bi all equal f(x_b, z_b). This is
// what the direct estimator (N = 1: f for every state) and the structured
// approximation f̃ (one flipped variable at a time) need.
//
// For N > 1 the first-layer pre-activations of the codes z_b come from
// one small product with the one-hot matrix; each variant changes one
// column of W1, so the B·(1 + N·(K−1)) distinct rows cost O(hidden) each
// ([nn.ShiftReLU]) before one GEMM with W2 per chunk of ChunkRows rows.
// Total O(B·N·K·hidden·D).
//
// For N = 1 the logits depend on s alone: the K logit rows L (K×D) are
// computed once, and F = X·Lᵀ − 1·(Σ_d softplus(L_s,d))ᵀ is one
// (B×D)·(D×K) product, O(K·hidden·D + B·D·K).
//
// Variants uses its own buffers, so it leaves the activations of the last
// Forward intact: it may run between Forward and Backward. It panics,
// naming the problem, on inconsistent shapes or a state outside [0, K), and
// does not allocate once its buffers have grown.
func (d *Decoder) Variants(x nn.Mat, z []int, F nn.Mat) {
	B := x.Rows
	if x.Cols != d.D || len(x.Data) < B*d.D || len(z) < B*d.N ||
		F.Rows != B || F.Cols != d.N*d.K || len(F.Data) < B*F.Cols {
		panic(fmt.Sprintf("decoder: Variants: x %d×%d (D=%d), %d states (N=%d), F %d×%d (want %d×%d)",
			x.Rows, x.Cols, d.D, len(z), d.N, F.Rows, F.Cols, B, d.N*d.K))
	}
	for j, s := range z[:B*d.N] {
		if s < 0 || s >= d.K {
			panic(fmt.Sprintf("decoder: Variants: state %d of latent %d in example %d outside [0, %d)", s, j%d.N, j/d.N, d.K))
		}
	}
	if d.N == 1 {
		d.variantsSingle(x, F)
		return
	}
	d.variantsGeneral(x, z, F)
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

// variantsGeneral handles N > 1 by chunks of whole examples.
func (d *Decoder) variantsGeneral(x nn.Mat, z []int, F nn.Mat) {
	v := &d.v
	l1, l2 := d.Net.L1, d.Net.L2
	N, K, H, NK := d.N, d.K, l1.Out, d.N*d.K
	per := 1 + N*(K-1)

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
	OneHot(z[:x.Rows*N], N, K, v.code)
	nn.Resize(&v.base, x.Rows, H)
	for b := 0; b < x.Rows; b++ {
		copy(v.base.Row(b), l1.B)
	}
	nn.Gemm(false, true, 1, v.code, l1.WMat(), 1, v.base)

	eb := max(1, ChunkRows/per) // examples per chunk
	for b0 := 0; b0 < x.Rows; b0 += eb {
		b1 := min(x.Rows, b0+eb)
		rows := (b1 - b0) * per
		nn.Resize(&v.h, rows, H)
		nn.Resize(&v.lg, rows, d.D)
		if nn.Workers() > 1 {
			nn.ParallelRows(b1-b0, 1, rows*H, func(lo, hi int) { d.variantRows(z, b0, b0+lo, b0+hi) })
		} else {
			d.variantRows(z, b0, b0, b1)
		}
		nn.Gemm(false, true, 1, v.h, l2.WMat(), 0, v.lg)
		if cap(v.f) < rows {
			v.f = make([]float32, rows)
		}
		f := v.f[:rows]
		nn.BernoulliLogLikRows(x.Slice(b0, b1), per, v.lg, l2.B, f)
		for b := b0; b < b1; b++ {
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
}

// variantRows fills the hidden activations of examples [lo, hi) of the
// chunk that starts at example b0: for each, its own code's row, then one
// row per other state of each latent (1 + N·(K−1) rows). O(rows·hidden).
func (d *Decoder) variantRows(z []int, b0, lo, hi int) {
	v := &d.v
	N, K := d.N, d.K
	per := 1 + N*(K-1)
	for b := lo; b < hi; b++ {
		zb, base := z[b*N:(b+1)*N], v.base.Row(b)
		r := (b - b0) * per
		hr := v.h.Row(r)
		copy(hr, base)
		nn.ReLU(hr)
		r++
		for i, zi := range zb {
			old := v.w1t.Row(i*K + zi)
			for s := 0; s < K; s++ {
				if s == zi {
					continue
				}
				nn.ShiftReLU(v.h.Row(r), base, old, v.w1t.Row(i*K+s))
				r++
			}
		}
	}
}
