package train

// The estimators commands can name, in the order their help lists them:
// adding one is its file plus a line here.
func init() {
	for _, e := range []EstimatorInfo{
		{"direct", "direct optimization through arg max, any structure", func(o EstimatorOptions) Estimator { return &Direct{KL: o.KL} }},
		{"direct-exact", "direct with the exact perturbed arg max over all K^N ≤ 2¹⁶ codes instead of f̃", func(o EstimatorOptions) Estimator { return &DirectExact{KL: o.KL} }},
		{"gsm", "Gumbel-Softmax (straight-through unless relaxed), independent latents", func(o EstimatorOptions) Estimator { return &GumbelSoftmax{Relaxed: o.Relaxed} }},
		{"exact", "the exact gradient, one categorical latent", func(EstimatorOptions) Estimator { return &Exact{} }},
		{"arm", "ARM, independent bits", func(EstimatorOptions) Estimator { return &ARM{} }},
		{"disarm", "DisARM, independent bits", func(EstimatorOptions) Estimator { return &DisARM{} }},
		{"reinforce", "REINFORCE with a learned baseline, independent bits", func(EstimatorOptions) Estimator { return &Reinforce{} }},
		{"rebar", "REBAR, independent bits", func(EstimatorOptions) Estimator { return &Rebar{} }},
		{"relax", "RELAX: REBAR's relaxation scaled by a learned η plus a learned control-variate network, tuned online for low variance, independent bits", func(EstimatorOptions) Estimator { return &Relax{} }},
		{"imle", "I-MLE / blackbox differentiation (λ, default 10), any structure", func(o EstimatorOptions) Estimator { return &IMLE{Lambda: o.Lambda} }},
		{"perturbed", "perturbed optimizer (Gaussian noise σ, M solves, default 10), any structure", func(o EstimatorOptions) Estimator { return &Perturbed{M: o.Solves} }},
		{"imle-sog", "I-MLE with sum-of-Gamma noise (λ, default 10), k-subsets and products of them", func(o EstimatorOptions) Estimator { return &IMLE{SumOfGamma: true, Lambda: o.Lambda} }},
		{"st-topk", "straight-through Gumbel-top-k (successive-softmax relaxation, τ), k-subsets and products of them", func(EstimatorOptions) Estimator { return &STTopK{} }},
	} {
		if err := RegisterEstimator(e); err != nil {
			panic(err) // a programming error in the list above
		}
	}
}
