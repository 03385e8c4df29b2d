package nn

import "math"

// Diagonal Gaussian latents: the reparameterized sample, its KL divergence
// to N(0, I) and the gradients of both. A row of mu and logvar holds one
// Gaussian's mean and log-variance (c entries each).

// GaussianSample sets z = mu + exp(logvar/2)·noise element-wise (the
// reparameterization trick; noise is standard normal). All four matrices
// have the same shape; z may alias noise. O(rows·c).
func GaussianSample(mu, logvar, noise, z Mat) {
	checkSame("GaussianSample", mu, logvar)
	checkSame("GaussianSample", mu, noise)
	checkSame("GaussianSample", mu, z)
	n := mu.Rows * mu.Cols
	for i := 0; i < n; i++ {
		z.Data[i] = mu.Data[i] + float32(math.Exp(0.5*float64(logvar.Data[i])))*noise.Data[i]
	}
}

// GaussianKL sets out[r] = KL(N(mu_r, diag exp(logvar_r)) ‖ N(0, I)) =
// ½ Σ_j (mu² + exp(logvar) − 1 − logvar), accumulated in float64.
// O(rows·c).
func GaussianKL(mu, logvar Mat, out []float64) {
	checkSame("GaussianKL", mu, logvar)
	for r := 0; r < mu.Rows; r++ {
		m, lv := mu.Row(r), logvar.Row(r)
		var s float64
		for j, v := range m {
			l := float64(lv[j])
			s += float64(v)*float64(v) + math.Exp(l) - 1 - l
		}
		out[r] = 0.5 * s
	}
}

// GaussianBackward accumulates into dmu and dlogvar the gradient of
// Σ_r dz_r·z_r + klScale[r]·KL_r, where z = mu + exp(logvar/2)·noise was
// drawn by [GaussianSample] and KL_r is [GaussianKL]'s row r:
//
//	dmu     += dz + klScale·mu
//	dlogvar += ½·dz·noise·exp(logvar/2) + ½·klScale·(exp(logvar) − 1).
//
// A nil klScale means no KL term; rows whose klScale is zero and whose dz
// is zero get nothing. O(rows·c).
func GaussianBackward(mu, logvar, noise, dz Mat, klScale []float32, dmu, dlogvar Mat) {
	checkSame("GaussianBackward", mu, logvar)
	checkSame("GaussianBackward", mu, noise)
	checkSame("GaussianBackward", mu, dz)
	checkSame("GaussianBackward", mu, dmu)
	checkSame("GaussianBackward", mu, dlogvar)
	for r := 0; r < mu.Rows; r++ {
		var k float64
		if klScale != nil {
			k = float64(klScale[r])
		}
		m, lv, e, g := mu.Row(r), logvar.Row(r), noise.Row(r), dz.Row(r)
		gm, gl := dmu.Row(r), dlogvar.Row(r)
		for j := range m {
			sd := math.Exp(0.5 * float64(lv[j]))
			gm[j] += g[j] + float32(k*float64(m[j]))
			gl[j] += float32(0.5*float64(g[j])*float64(e[j])*sd + 0.5*k*(sd*sd-1))
		}
	}
}
