package argmax

import "fmt"

// NewUnarySampler implements [UnaryFamily] when every part does, and
// returns nil otherwise: the family of a product is the product of the
// parts' families, so log Z is the sum of the parts' and each part is
// sampled on its own, in order.
func (p *Product) NewUnarySampler() UnarySampler {
	ps := &productSampler{p: p, parts: make([]UnarySampler, len(p.parts))}
	for i, s := range p.parts {
		if ps.parts[i] = SamplerOf(s); ps.parts[i] == nil {
			return nil
		}
	}
	return ps
}

// productSampler samples a [Product] part by part.
type productSampler struct {
	p     *Product
	parts []UnarySampler
	ready bool // the last Set succeeded
}

// Set implements [UnarySampler].
func (t *productSampler) Set(theta []float64) (float64, error) {
	t.ready = false
	if len(theta) != t.p.Vars()*t.p.k {
		return 0, fmt.Errorf("%w: %s: len(θ) = %d, want N·K = %d", ErrShape, t.p.Name(), len(theta), t.p.Vars()*t.p.k)
	}
	total := 0.0
	for i, s := range t.parts {
		lo, hi := t.p.unary(i)
		lz, err := s.Set(theta[lo:hi])
		if err != nil {
			return 0, fmt.Errorf("argmax: %s, part %d: %w", t.p.Name(), i, err)
		}
		total += lz
	}
	t.ready = true
	return total, nil
}

// Sample implements [UnarySampler].
func (t *productSampler) Sample(u func() float64, z []int) (float64, error) {
	if err := checkSample(t.p.Name(), t.ready, u, z, t.p.Vars()); err != nil {
		return 0, err
	}
	total := 0.0
	for i, s := range t.parts {
		lq, err := s.Sample(u, z[t.p.vOff[i]:t.p.vOff[i+1]])
		if err != nil {
			return 0, fmt.Errorf("argmax: %s, part %d: %w", t.p.Name(), i, err)
		}
		total += lq
	}
	return total, nil
}

// checkSample returns the error of a [UnarySampler]'s Sample for a
// sampler of the structure named name with n variables: not ready (no
// successful Set), a nil u, or a z of another length. O(1).
func checkSample(name string, ready bool, u func() float64, z []int, n int) error {
	switch {
	case !ready:
		return fmt.Errorf("argmax: %s sampler: Sample before a successful Set", name)
	case u == nil:
		return fmt.Errorf("argmax: %s sampler: nil source of uniforms", name)
	case len(z) != n:
		return fmt.Errorf("%w: %s sampler: len(z) = %d, want %d", ErrShape, name, len(z), n)
	}
	return nil
}
