package train

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/argmaxvae/argmaxvae/nn"
)

// DirectExact's z*(ε) must be the arg max over all 2ⁿ codes of
// h'(z) + γ(z) + ε·f(x, z), with f from a plain decoder pass on each code,
// for supermodular and general pairwise encoders, both KL modes; its z*
// must be the solver's arg max of h + γ, and its encoder gradient
// −(φ(z*(ε)) − φ(z*))/ε.
func TestDirectExactMatchesEnumeration(t *testing.T) {
	const n, d, B = 6, 10, 30
	for _, c := range []struct {
		super bool
		solve string
	}{{true, "maxflow"}, {false, "bnb"}} {
		for _, m := range []struct {
			mode KLMode
			eps  float64
		}{{KLNone, 2}, {KLFolded, 0.7}, {KLFolded, 0.05}} {
			v := tinyVAE(t, 6, d, n, 2, true, c.super, c.solve)
			for i := range v.Dec.Net.L2.W {
				v.Dec.Net.L2.W[i] *= 4
			}
			x := randomImages(7, B, d)
			h := append([]float32(nil), must(v.Enc.Forward(x)).Data[:B*v.S.Dim()]...)
			noise := make([]float64, B*v.NK())
			argmax.GumbelFill(noise, rand.New(rand.NewPCG(8, 8)))
			nn.ZeroGrad(v.Params())
			de := &DirectExact{KL: m.mode}
			if _, err := de.Step(context.Background(), v, x, rand.New(rand.NewPCG(8, 8)), m.eps); err != nil {
				t.Fatal(err)
			}
			shrink := 1.0
			if m.mode == KLFolded {
				shrink = 1 - m.eps
			}
			dim := v.S.Dim()
			w := make([]float64, dim)
			z := make([]int, n)
			oh := nn.NewMat(1, 2*n)
			f := make([]float32, 1)
			for b := 0; b < B; b++ {
				for j := range w {
					w[j] = shrink * float64(h[b*dim+j])
					if j < v.NK() {
						w[j] += noise[b*v.NK()+j]
					}
				}
				xb := repeatRow(x, b, 1)
				best, arg := math.Inf(-1), -1
				for code := 0; code < 1<<n; code++ {
					oh.Zero()
					for i := range z {
						z[i] = code >> i & 1
						oh.Data[2*i+z[i]] = 1
					}
					nn.BernoulliLogLik(xb, must(v.Dec.Forward(oh)), f)
					if s := scoreOf(t, v.S, w, z) + m.eps*float64(f[0]); s > best {
						best, arg = s, code
					}
				}
				got := 0
				for i := 0; i < n; i++ {
					got |= de.zeps[b*n+i] << i
				}
				if got != arg {
					t.Errorf("%s %s ε=%v example %d: z*(ε) = %06b, enumeration %06b", c.solve, m.mode, m.eps, b, got, arg)
				}
				// The gradient row: −(φ(z*(ε)) − φ(z*))/(ε·B).
				want := make([]float32, dim)
				v.S.AddFeatures(de.zeps[b*n:(b+1)*n], float32(-1/(m.eps*B)), want)
				v.S.AddFeatures(v.zstar[b*n:(b+1)*n], float32(1/(m.eps*B)), want)
				if m.mode == KLNone {
					for j, g := range want {
						if math.Abs(float64(g-v.ScoreGrad().At(b, j))) > 1e-6 {
							t.Fatalf("%s example %d: gradient %d = %v, want %v", c.solve, b, j, v.ScoreGrad().At(b, j), g)
						}
					}
				}
			}
		}
	}
}

// Too many codes are refused by the declaration (before any training) and
// by Step, naming the limit.
func TestDirectExactRefusesLargeSpaces(t *testing.T) {
	s := must(argmax.Complete(17, true))
	err := (&DirectExact{}).Needs().Check("direct-exact", s)
	if err == nil || !strings.Contains(err.Error(), "65536") {
		t.Fatalf("n = 17: got %v, want an error naming the limit 65536", err)
	}
	if err := (&DirectExact{}).Needs().Check("direct-exact", must(argmax.Complete(16, true))); err != nil {
		t.Fatalf("n = 16: %v", err)
	}
	v := tinyVAE(t, 1, 8, 17, 2, true, true, "maxflow")
	if _, err := (&DirectExact{}).Step(context.Background(), v, randomImages(1, 2, 8), rand.New(rand.NewPCG(1, 1)), 0.5); err == nil {
		t.Fatal("Step with n = 17 succeeded")
	}
}
