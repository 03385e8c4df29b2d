package argmax_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/argmaxvae/argmaxvae/argmax"
)

// TestTreeFamilyWideGains checks log Z and log q of spanning trees against
// enumeration when the edge gains are hundreds of nats apart, as they are
// for a confident encoder: a determinant by Cholesky on the Laplacian
// cancels the light edges against the heavy ones there.
func TestTreeFamilyWideGains(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, n := range []int{4, 5, 6} {
		s, _ := argmax.NewSpanningTree(n, argmax.CompleteGraph(n))
		sm := argmax.SamplerOf(s)
		theta := make([]float64, argmax.Unary(s))
		for _, scale := range []float64{30, 100, 300, 1000} { // 300 and more: gains over 660 nats apart, the log-weight path
			for rep := 0; rep < 20; rep++ {
				for j := range theta {
					theta[j] = scale * rng.NormFloat64()
				}
				lz, err := sm.Set(theta)
				if err != nil {
					t.Fatalf("n %d, scale %v: %v", n, scale, err)
				}
				wantZ, logq := enumFamily(s, theta)
				if math.Abs(lz-wantZ) > 1e-9*(1+math.Abs(wantZ)) {
					t.Fatalf("n %d, scale %v: log Z = %v, enumeration %v", n, scale, lz, wantZ)
				}
				z := make([]int, s.Vars())
				for d := 0; d < 50; d++ {
					lq, err := sm.Sample(rng.Float64, z)
					if err != nil {
						t.Fatal(err)
					}
					want, ok := logq[codeIndex(z, s.States())]
					if !ok {
						t.Fatalf("n %d: infeasible sample %v", n, z)
					}
					if math.Abs(lq-want) > 1e-8*(1+math.Abs(want)) {
						t.Fatalf("n %d, scale %v: log q(%v) = %v, enumeration %v", n, scale, z, lq, want)
					}
				}
			}
		}
	}
}
