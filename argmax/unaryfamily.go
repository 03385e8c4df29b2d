package argmax

// UnaryFamily is implemented by structures whose exponential family on the
// unary scores,
//
//	q_θ(z) = exp(Σᵢ θ[i·K+zᵢ]) / Z(θ)  over the feasible codes z,
//
// is tractable: its normalizer Z(θ) can be computed and it can be sampled
// exactly. With θ = 0 it is the uniform distribution over the feasible
// codes, and log Z(0) is the log of their number. Importance-weighted
// likelihoods use it as a proposal (the encoder's unary scores as θ) where
// the codes are too many to enumerate.
type UnaryFamily interface {
	// NewUnarySampler returns a sampler (one per goroutine: it keeps
	// buffers), or nil when the family is not tractable after all (a
	// [Product] with a part that is not a UnaryFamily).
	NewUnarySampler() UnarySampler
}

// SamplerOf returns a new sampler of s's unary family, or nil when s has
// none (or is nil).
func SamplerOf(s Structure) UnarySampler {
	if checkStructure(s) != nil {
		return nil
	}
	if f, ok := s.(UnaryFamily); ok {
		return f.NewUnarySampler()
	}
	return nil
}

// UnarySampler samples the exponential family of a [UnaryFamily].
type UnarySampler interface {
	// Set loads θ (length N·K, finite) and returns log Z(θ).
	Set(theta []float64) (float64, error)
	// Sample draws z (length N) from q_θ of the last Set, reading uniforms
	// in [0, 1) from u in a fixed order, and returns log q_θ(z). A Sample
	// with no successful Set before it (the last Set failed, or there was
	// none), a nil u or a z of another length is an error.
	Sample(u func() float64, z []int) (float64, error)
}
