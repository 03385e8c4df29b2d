package train

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/argmaxvae/argmaxvae/argmax"
)

// Every constructor of the package refuses bad input with an error that
// names the problem, and none panics (issue 17 item 6).
func TestConstructorsRefuseBadInput(t *testing.T) {
	r := func() *rand.Rand { return rand.New(rand.NewPCG(1, 1)) }
	bits, err := argmax.Independent(4, 2)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := argmax.Independent(2, 4)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		s    argmax.Structure
		d, h int
		r    *rand.Rand
		want string
	}{
		{"nil structure", nil, 10, 8, r(), "nil structure"},
		{"no pixels", bits, 0, 8, r(), "NewNetworks"},
		{"negative hidden", bits, 10, -1, r(), "NewNetworks"},
		{"nil random source", bits, 10, 8, nil, "NewNetworks"},
	} {
		if _, _, err := NewNetworks(c.s, c.d, c.h, c.r); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("NewNetworks, %s: error %v, want one naming %q", c.name, err, c.want)
		}
	}
	enc, dec, err := NewNetworks(bits, 10, 8, r())
	if err != nil {
		t.Fatal(err)
	}
	_, dec2, err := NewNetworks(cat, 10, 8, r()) // same N·K, other N and K
	if err != nil {
		t.Fatal(err)
	}
	three, err := argmax.Independent(3, 2)
	if err != nil {
		t.Fatal(err)
	}
	enc2, _, err := NewNetworks(three, 10, 8, r()) // 6 scores, not 8
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		f    func() (*VAE, error)
		want string
	}{
		{"nil encoder", func() (*VAE, error) { return NewVAE(nil, dec, bits, "", 1) }, "nil"},
		{"nil structure", func() (*VAE, error) { return NewVAE(enc, dec, nil, "", 1) }, "nil"},
		{"decoder of another structure", func() (*VAE, error) { return NewVAE(enc, dec2, bits, "", 1) }, "decoder"},
		{"encoder of another structure", func() (*VAE, error) { return NewVAE(enc2, dec, bits, "", 1) }, "encoder emits"},
		{"unknown solver", func() (*VAE, error) { return NewVAE(enc, dec, bits, "no-such-solver", 1) }, "no-such-solver"},
	} {
		if _, err := c.f(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("NewVAE, %s: error %v, want one naming %q", c.name, err, c.want)
		}
	}
	if _, err := NewEstimator("no-such-estimator", EstimatorOptions{}); err == nil || !strings.Contains(err.Error(), "no-such-estimator") {
		t.Errorf("NewEstimator: error %v", err)
	}
}
