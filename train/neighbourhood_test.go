package train

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/argmaxvae/argmaxvae/nn"
)

// swapSubset is a k-subset whose f̃ neighbourhood is feasible: latent i in
// the other state is reached by swapping it with the nearest item after it
// (cyclically) that is in that state.
type swapSubset struct {
	*argmax.KSubset
	calls int
}

func (s *swapSubset) Neighbour(z []int, i, st int, dst []int) bool {
	s.calls++
	copy(dst, z)
	if z[i] == st {
		return true
	}
	for d := 1; d < len(z); d++ {
		if j := (i + d) % len(z); z[j] == st {
			dst[i], dst[j] = st, z[i]
			return true
		}
	}
	return false
}

// A structure that supplies its own neighbourhood gets f̃ evaluated at the
// codes it names: every value LocalLogLik returns is log p(x|code) of a
// feasible k-subset, decoded here one at a time, and a direct step on it
// samples feasible codes and uses the neighbourhood (its estimate differs
// from the one-variable-changed default's at the same noise).
func TestLocalLogLikUsesTheStructuresNeighbourhood(t *testing.T) {
	ks, err := argmax.NewKSubset(6, 2)
	if err != nil {
		t.Fatal(err)
	}
	s := &swapSubset{KSubset: ks}
	const d, rows = 10, 5
	v := constrainedVAE(t, s, 91, d)
	x := randomImages(92, rows, d)
	_, zstar, err := v.SampleArgmax(context.Background(), x, rand.New(rand.NewPCG(93, 1)))
	if err != nil {
		t.Fatal(err)
	}
	zstar = slices.Clone(zstar)
	F := must(v.LocalLogLik(x, zstar))
	n, k := v.N, v.K
	if s.calls != rows*n*k {
		t.Fatalf("Neighbour called %d times, want %d", s.calls, rows*n*k)
	}
	nb := make([]int, n)
	oh := nn.NewMat(1, n*k)
	f := make([]float32, 1)
	for b := 0; b < rows; b++ {
		z := zstar[b*n : (b+1)*n]
		for i := 0; i < n; i++ {
			for st := 0; st < k; st++ {
				if !s.Neighbour(z, i, st, nb) || !ks.Feasible(nb) || nb[i] != st {
					t.Fatalf("example %d: neighbour (%d, %d) of %v is %v", b, i, st, z, nb)
				}
				oh.Zero()
				for j, zj := range nb {
					oh.Data[j*k+zj] = 1
				}
				nn.BernoulliLogLik(repeatRow(x, b, 1), must(v.Dec.Forward(oh)), f)
				if got := F.At(b, i*k+st); math.Abs(float64(got-f[0])) > 1e-4*math.Max(1, math.Abs(float64(f[0]))) {
					t.Fatalf("example %d, latent %d in state %d: f̃ %v, decoder at %v gives %v", b, i, st, got, nb, f[0])
				}
			}
		}
	}

	grad := func(st argmax.Structure) []float32 {
		v := constrainedVAE(t, st, 91, d)
		for i := range v.Dec.Net.L2.W { // f differs by nats between codes
			v.Dec.Net.L2.W[i] *= 8
		}
		if _, err := (&Direct{KL: KLNone}).Step(context.Background(), v, x, rand.New(rand.NewPCG(94, 1)), 5); err != nil {
			t.Fatal(err)
		}
		for b := 0; b < rows; b++ {
			if z := v.zeps[b*n : (b+1)*n]; !ks.Feasible(z) {
				t.Fatalf("%s: z*(ε) = %v is not a 2-subset", st.Name(), z)
			}
		}
		return slices.Clone(v.ScoreGrad().Data)
	}
	own, def := grad(s), grad(ks)
	if slices.Equal(own, def) {
		t.Errorf("the direct estimate with the swap neighbourhood equals the default's: the neighbourhood is not used")
	}
}
