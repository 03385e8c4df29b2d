package argmax

// Categorical solves models without edges: each variable independently
// takes its highest-scoring state, ties going to the lowest state. This
// covers one categorical latent (N = 1), N categorical latents, and n
// independent bits (K = 2), where zᵢ = 1 exactly when θᵢ > 0.
//
// It runs in O(N·K) time and does not allocate.
type Categorical struct{}

// Solve implements [PairwiseSolver]. A model with edges is an error.
func (Categorical) Solve(m *Model, z []int) (float64, error) {
	if err := m.Validate(); err != nil {
		return 0, err
	}
	if err := checkOut(m, z); err != nil {
		return 0, err
	}
	if len(m.Edges) > 0 {
		return 0, errEdges(m)
	}
	total := 0.0
	for i := 0; i < m.N; i++ {
		row := m.Unary[i*m.K : (i+1)*m.K]
		best, arg := row[0], 0
		for s := 1; s < len(row); s++ {
			if row[s] > best {
				best, arg = row[s], s
			}
		}
		z[i] = arg
		total += best
	}
	return total, nil
}
