package nn

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkBF16VsFP32 times the forward-only product C = A·Wᵀ at the f̃
// pass's shapes (m rows × hidden 300 → D 784, on one goroutine, as each
// decoder worker runs it) in float32 (gemmSerial) and in bfloat16
// (ForwardWeights with the bf16 kernel), alternately in one loop so that
// both see the same load, and reports each one's GFLOP/s and their ratio.
// Skipped without a bfloat16 kernel. Run with:
//
//	go test -run XXX -bench BF16VsFP32 -benchtime 100x ./nn/
func BenchmarkBF16VsFP32(b *testing.B) {
	old := SetBF16(true)
	defer SetBF16(old)
	if BF16() == "" {
		b.Skip("no bfloat16 kernel on this CPU or build")
	}
	r := newRand(23)
	for _, m := range []int{100, 700, 1400} {
		b.Run(fmt.Sprintf("%dx300x784", m), func(b *testing.B) {
			a, w := randMat(r, m, 300), randMat(r, 784, 300)
			relu(a.Data)
			c := NewMat(m, 784)
			var f32, f16 ForwardWeights
			SetBF16(false)
			f32.Set(w)
			SetBF16(true)
			f16.Set(w)
			var t32, t16, u32, u16 time.Duration
			for b.Loop() {
				t0, c0 := time.Now(), cpuTime()
				f32.Product(a, c)
				t1, c1 := time.Now(), cpuTime()
				f16.Product(a, c)
				t32, t16 = t32+t1.Sub(t0), t16+time.Since(t1)
				u32, u16 = u32+c1-c0, u16+cpuTime()-c1
			}
			flop := 2 * float64(m) * 300 * 784 * float64(b.N)
			b.ReportMetric(flop/t32.Seconds()/1e9, "fp32-GFLOP/s")
			b.ReportMetric(flop/t16.Seconds()/1e9, "bf16-GFLOP/s")
			b.ReportMetric(t32.Seconds()/t16.Seconds(), "speedup")
			// CPU time is less disturbed by other processes than wall time.
			b.ReportMetric(flop/u32.Seconds()/1e9, "fp32-GFLOP/cpu-s")
			b.ReportMetric(flop/u16.Seconds()/1e9, "bf16-GFLOP/cpu-s")
			b.ReportMetric(0, "ns/op")
		})
	}
	// Register-resident instruction rates on one core: the ceiling of
	// each kernel.
	b.Run("peak", func(b *testing.B) {
		const iters = 1 << 16
		var t16, t32, u16, u32 time.Duration
		for b.Loop() {
			t0, c0 := time.Now(), cpuTime()
			bf16Peak(iters)
			t1, c1 := time.Now(), cpuTime()
			fp32Peak(iters)
			t16, t32 = t16+t1.Sub(t0), t32+time.Since(t1)
			u16, u32 = u16+c1-c0, u32+cpuTime()-c1
		}
		n := float64(b.N) * iters * 24
		b.ReportMetric(n*64/t16.Seconds()/1e9, "bf16-GFLOP/s")
		b.ReportMetric(n*32/t32.Seconds()/1e9, "fp32-GFLOP/s")
		b.ReportMetric(n*64/u16.Seconds()/1e9, "bf16-GFLOP/cpu-s")
		b.ReportMetric(n*32/u32.Seconds()/1e9, "fp32-GFLOP/cpu-s")
		b.ReportMetric(0, "ns/op")
	})
	b.Run("set", func(b *testing.B) {
		w := randMat(r, 784, 300)
		var f ForwardWeights
		for b.Loop() {
			f.Set(w)
		}
	})
}
