package decoder

import (
	"fmt"
	"math"
	"os"
	"testing"
	"time"

	"github.com/argmaxvae/argmaxvae/internal/kernels"
	"github.com/argmaxvae/argmaxvae/nn"
)

// TestMain pins the f̃ products to float32: the package's tests and
// examples compare Variants with float32 decoding to 1e-5. The bfloat16
// path is tested on its own below, against its own bound.
func TestMain(m *testing.M) {
	nn.SetBF16(false)
	os.Exit(m.Run())
}

// TestVariantsBF16 compares Variants with the bfloat16 product against
// the float32 one: every entry within the bound the rounding allows.
// Each logit moves by at most 2⁻⁷·Σ_p |h_p·w_dp| (nn's
// TestBF16AgreesWithFP32) and log p(x|l) = Σ_d x_d·l_d − softplus(l_d) is
// 1-Lipschitz in each logit, so |ΔF| ≤ 2⁻⁷·Σ_d Σ_p |h_p·w_dp|, with h
// the variant's float32 hidden activations. Also: the logits of z* are not
// handed to ForwardVariants (they are bfloat16), so it decodes in float32.
func TestVariantsBF16(t *testing.T) {
	defer nn.SetBF16(nn.SetBF16(true))
	if nn.BF16() == "" {
		t.Skip("no bfloat16 kernel on this CPU or build")
	}
	defer nn.SetThreads(nn.Threads())
	for _, threads := range []int{1, 2} {
		nn.SetThreads(threads)
		for _, c := range []struct{ n, k int }{{5, 2}, {4, 3}, {15, 2}} {
			t.Run(fmt.Sprintf("N%d_K%d_threads%d", c.n, c.k, threads), func(t *testing.T) {
				r := newRand(uint64(90 + c.n*c.k + threads))
				d := must(New(c.n, c.k, 64, 100, r))
				B := 20
				x := binMat(r, B, 100)
				z := randStates(r, B, c.n, c.k)
				F16, F32 := nn.NewMat(B, c.n*c.k), nn.NewMat(B, c.n*c.k)
				nn.SetBF16(false)
				noErr(d.Variants(x, z, F32))
				nn.SetBF16(true)
				noErr(d.Variants(x, z, F16))
				if d.v.zRows != 0 {
					t.Error("bfloat16 logits of z* kept for ForwardVariants")
				}
				l1, l2 := d.Net.L1, d.Net.L2
				NK, H := c.n*c.k, l1.Out
				code := make([]int, c.n)
				h := make([]float64, H)
				worst := 0.0
				for b := 0; b < B; b++ {
					for i := 0; i < c.n; i++ {
						for s := 0; s < c.k; s++ {
							copy(code, z[b*c.n:(b+1)*c.n])
							code[i] = s
							for j := range h {
								a := float64(l1.B[j])
								for q, zq := range code {
									a += float64(l1.W[j*NK+q*c.k+zq])
								}
								h[j] = max(a, 0)
							}
							bound := 0.0
							for dd := 0; dd < d.D; dd++ {
								for j, hj := range h {
									bound += math.Abs(hj * float64(l2.W[dd*H+j]))
								}
							}
							bound /= 128
							e := b*NK + i*c.k + s
							diff := math.Abs(float64(F16.Data[e]) - float64(F32.Data[e]))
							if diff > bound {
								t.Fatalf("F[%d,%d]: bf16 %v, fp32 %v: |difference| %.3g above the bound %.3g", b, i*c.k+s, F16.Data[e], F32.Data[e], diff, bound)
							}
							worst = max(worst, diff/bound)
						}
					}
				}
				t.Logf("largest |ΔF| / bound: %.3f", worst)
			})
		}
	}
}

// BenchmarkVariantsBF16 times the f̃ pass (N = 15, K = 2, batch 100:
// 1,600 decoder rows of random codes) with the bfloat16 product and that
// product alone at the same shape ((1600×300)·(300×784) in bfloat16, split
// across the workers as the pass splits its rows), alternately in one
// loop, and reports both rates and the pass's share of the product's
// ("of-tile"), then the same in float32 against gemmSerial bands, and the
// two passes' ratio. Run with:
//
//	go test -run XXX -bench VariantsBF16 -benchtime 100x ./decoder/
func BenchmarkVariantsBF16(b *testing.B) {
	defer nn.SetThreads(nn.Threads())
	defer nn.SetBF16(nn.SetBF16(true))
	if nn.BF16() == "" {
		b.Skip("no bfloat16 kernel on this CPU or build")
	}
	for _, threads := range []int{1, 2} {
		b.Run(fmt.Sprintf("threads%d", threads), func(b *testing.B) {
			nn.SetThreads(threads)
			r := newRand(32)
			d := must(New(15, 2, 300, 784, r))
			x := binMat(r, 100, 784)
			z := randStates(r, 100, 15, 2)
			F := nn.NewMat(100, 30)
			h, c := nn.NewMat(1600, 300), nn.NewMat(1600, 784)
			for i := range h.Data {
				h.Data[i] = float32(max(r.NormFloat64(), 0))
			}
			var w16, w32 nn.ForwardWeights
			w16.Set(d.Net.L2.WMat())
			nn.SetBF16(false)
			w32.Set(d.Net.L2.WMat())
			prod := func(w *nn.ForwardWeights) {
				kernels.ParallelRows(1600, 1, 1600*300*784, func(lo, hi int) { w.Product(h.Slice(lo, hi), c.Slice(lo, hi)) })
			}
			var tv16, tp16, tv32, tp32 time.Duration
			for b.Loop() {
				t0 := time.Now()
				nn.SetBF16(true)
				noErr(d.Variants(x, z, F))
				t1 := time.Now()
				prod(&w16)
				t2 := time.Now()
				nn.SetBF16(false)
				noErr(d.Variants(x, z, F))
				t3 := time.Now()
				prod(&w32)
				t4 := time.Now()
				tv16, tp16, tv32, tp32 = tv16+t1.Sub(t0), tp16+t2.Sub(t1), tv32+t3.Sub(t2), tp32+t4.Sub(t3)
			}
			nn.SetBF16(true)
			rate := func(t time.Duration) float64 { return 2 * 1600 * 300 * 784 * float64(b.N) / t.Seconds() / 1e9 }
			b.ReportMetric(rate(tv16), "bf16-pass-GFLOP/s")
			b.ReportMetric(rate(tp16), "bf16-tile-GFLOP/s")
			b.ReportMetric(tp16.Seconds()/tv16.Seconds(), "bf16-of-tile")
			b.ReportMetric(rate(tv32), "fp32-pass-GFLOP/s")
			b.ReportMetric(rate(tp32), "fp32-gemm-GFLOP/s")
			b.ReportMetric(tp32.Seconds()/tv32.Seconds(), "fp32-of-gemm")
			b.ReportMetric(tv32.Seconds()/tv16.Seconds(), "pass-speedup")
			b.ReportMetric(0, "ns/op")
		})
	}
}
