package argmax

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// Every UnarySampler's Sample refuses, with an error and without a panic,
// a call before any Set, a call after a failed Set (it must not draw from
// the θ of an earlier one), a nil source of uniforms and a z of another
// length; after a good Set it samples.
func TestUnarySamplerMisuse(t *testing.T) {
	sub, err := NewKSubset(5, 2)
	if err != nil {
		t.Fatal(err)
	}
	tree, err := NewSpanningTree(4, CompleteGraph(4))
	if err != nil {
		t.Fatal(err)
	}
	prod, err := NewProduct(sub, tree)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, s := range []Structure{sub, tree, prod} {
		sm := SamplerOf(s)
		if sm == nil {
			t.Fatalf("%s: no sampler", s.Name())
		}
		z := make([]int, s.Vars())
		theta := make([]float64, s.Vars()*s.States())
		call := func(what, want string, u func() float64, z []int) {
			t.Helper()
			var err error
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Errorf("%s, %s: panic %v", s.Name(), what, p)
					}
				}()
				_, err = sm.Sample(u, z)
			}()
			if want == "" {
				if err != nil {
					t.Errorf("%s, %s: %v", s.Name(), what, err)
				}
			} else if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%s, %s: error %v, want one containing %q", s.Name(), what, err, want)
			}
		}
		call("before Set", "before a successful Set", rng.Float64, z)
		if _, err := sm.Set(theta); err != nil {
			t.Fatal(err)
		}
		call("after Set", "", rng.Float64, z)
		call("nil u", "nil source of uniforms", nil, z)
		call("short z", "len(z)", rng.Float64, z[:len(z)-1])
		if _, err := sm.Sample(rng.Float64, append(z, 0)); !errors.Is(err, ErrShape) {
			t.Errorf("%s, long z: %v, want ErrShape", s.Name(), err)
		}
		bad := append([]float64(nil), theta...)
		bad[0] = math.NaN()
		if _, err := sm.Set(bad); err == nil {
			t.Fatalf("%s: Set of a NaN accepted", s.Name())
		}
		call("after a failed Set", "before a successful Set", rng.Float64, z)
		if _, err := sm.Set(theta[:1]); err == nil {
			t.Fatalf("%s: Set of a short θ accepted", s.Name())
		}
		call("after a short Set", "before a successful Set", rng.Float64, z)
	}
}
