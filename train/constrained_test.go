package train

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/argmaxvae/argmaxvae/decoder"
	"github.com/argmaxvae/argmaxvae/nn"
)

// constrainedVAE builds a tiny VAE whose latent is the constrained
// structure s, with the library's own constructors.
func constrainedVAE(t *testing.T, s argmax.Structure, seed uint64, d int) *VAE {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 1))
	enc, dec, err := NewNetworks(s, d, 16, r)
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewVAE(enc, dec, s, "", 1)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// bruteConstrained computes the exact per-example means by decoding one
// code at a time, over the codes of v.S that are feasible when feasibleOnly
// (else over all K^N): NLL = −mean log Σ_z p(z)·p(x|z) with the uniform
// prior over the codes visited, and for q_G ∝ exp h, h = argmax.Score of
// the encoder's scores, the negative ELBO and the KL. It returns the number
// of codes visited.
func bruteConstrained(v *VAE, X nn.Mat, feasibleOnly bool) (nll, nelbo, kl float64, codes int) {
	n, k, nk, B := v.N, v.K, v.NK(), X.Rows
	sc := must(v.Enc.Forward(X))
	w := make([][]float64, B)
	for b := range w {
		w[b] = make([]float64, sc.Cols)
		for j, x := range sc.Row(b) {
			w[b][j] = float64(x)
		}
	}
	F := make([][]float64, B) // F[b][c] = log p(x_b | z_c)
	H := make([][]float64, B) // H[b][c] = h(x_b, z_c)
	z := make([]int, n)
	batch := make([]int, B*n)
	onehot := nn.NewMat(B, nk)
	f := make([]float32, B)
	for {
		if !feasibleOnly || argmax.Feasible(v.S, z) {
			codes++
			for b := 0; b < B; b++ {
				copy(batch[b*n:], z)
			}
			noErr(decoder.OneHot(batch, n, k, onehot))
			nn.BernoulliLogLik(X, must(v.Dec.Forward(onehot)), f)
			for b := 0; b < B; b++ {
				F[b] = append(F[b], float64(f[b]))
				H[b] = append(H[b], must(argmax.Score(v.S, w[b], z)))
			}
		}
		i := 0
		for ; i < n; i++ {
			if z[i]++; z[i] < k {
				break
			}
			z[i] = 0
		}
		if i == n {
			break
		}
	}
	nll, nelbo, kl = bruteSums(F, H, -math.Log(float64(codes)))
	return nll, nelbo, kl, codes
}

// ExactLikelihood on constrained latents (a 2-of-5 subset, 10 of 32
// codes; a 3×3 matching, 6 of 27) equals the brute-force sums over the
// feasible codes only, with the uniform prior over them (log p(z) =
// −log |F|), with tiny chunks (feasible and infeasible codes spread over
// several chunks) and the default ones. The sums over all K^N codes
// differ, so the test can tell the two apart.
func TestExactLikelihoodConstrained(t *testing.T) {
	subset, err := argmax.NewKSubset(5, 2)
	if err != nil {
		t.Fatal(err)
	}
	matching, err := argmax.NewMatching(3)
	if err != nil {
		t.Fatal(err)
	}
	const d, rows = 12, 29
	for ci, tc := range []struct {
		s     argmax.Structure
		codes int
	}{{subset, 10}, {matching, 6}} {
		t.Run(tc.s.Name(), func(t *testing.T) {
			v := constrainedVAE(t, tc.s, uint64(40+ci), d)
			sharpen(v, 4, 3)
			X := randomImages(uint64(50+ci), rows, d)
			wantNLL, wantNELBO, wantKL, codes := bruteConstrained(v, X, true)
			if codes != tc.codes {
				t.Fatalf("%d feasible codes, want %d", codes, tc.codes)
			}
			allNLL, allNELBO, _, _ := bruteConstrained(v, X, false)

			withChunks(t, 4, 5, iwRows)
			got, err := ExactLikelihood(context.Background(), v, X)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("NLL %.6f (brute %.6f, over all K^N codes %.6f), Gibbs NELBO %.6f (%.6f, all %.6f), KL %.6f (%.6f)",
				got.NLL, wantNLL, allNLL, got.GibbsNELBO, wantNELBO, allNELBO, got.GibbsKL, wantKL)
			const rel = 1e-4
			if !got.Exact || !closeTo(got.NLL, wantNLL, rel) || !closeTo(got.GibbsNELBO, wantNELBO, rel) || !closeTo(got.GibbsKL, wantKL, rel) {
				t.Errorf("got NLL %.6f, NELBO %.6f, KL %.6f (exact %v); brute force over feasible codes %.6f, %.6f, %.6f",
					got.NLL, got.GibbsNELBO, got.GibbsKL, got.Exact, wantNLL, wantNELBO, wantKL)
			}
			if closeTo(allNLL, wantNLL, 10*rel) || closeTo(allNELBO, wantNELBO, 10*rel) {
				t.Errorf("test too weak: all-codes NLL %.6f / NELBO %.6f ≈ feasible-codes %.6f / %.6f", allNLL, allNELBO, wantNLL, wantNELBO)
			}
			if wantNELBO-wantNLL < 1e-3 || wantKL < 1e-3 {
				t.Errorf("test too weak: NELBO − NLL = %.2g, KL = %.2g", wantNELBO-wantNLL, wantKL)
			}
			enumCodeChunk, enumImageChunk = 2048, 256
			def, err := ExactLikelihood(context.Background(), v, X)
			if err != nil {
				t.Fatal(err)
			}
			if !closeTo(def.NLL, got.NLL, 1e-6) || !closeTo(def.GibbsNELBO, got.GibbsNELBO, 1e-6) || !closeTo(def.GibbsKL, got.GibbsKL, 1e-6) {
				t.Errorf("default chunks: %+v; tiny chunks: %+v", def, got)
			}
		})
	}
}

// A direct step on a constrained latent samples feasible codes: z* and
// z*(ε) (B×N flat in v.zstar and v.zeps) are k-subsets or permutations in
// every example of every step, and the loss is finite.
func TestDirectStepConstrainedFeasible(t *testing.T) {
	subset, err := argmax.NewKSubset(5, 2)
	if err != nil {
		t.Fatal(err)
	}
	matching, err := argmax.NewMatching(3)
	if err != nil {
		t.Fatal(err)
	}
	tree, err := argmax.NewSpanningTree(4, argmax.CompleteGraph(4))
	if err != nil {
		t.Fatal(err)
	}
	const d, rows = 12, 16
	for ci, s := range []argmax.Structure{subset, matching, tree} {
		t.Run(s.Name(), func(t *testing.T) {
			v := constrainedVAE(t, s, uint64(60+ci), d)
			X := randomImages(uint64(70+ci), rows, d)
			rng := rand.New(rand.NewPCG(uint64(80+ci), 3))
			n := v.N
			for step := 0; step < 5; step++ {
				st, err := (&Direct{}).Step(context.Background(), v, X, rng, 0.5)
				if err != nil {
					t.Fatalf("step %d: %v", step, err)
				}
				if math.IsNaN(st.Loss) || math.IsInf(st.Loss, 0) {
					t.Fatalf("step %d: loss %v", step, st.Loss)
				}
				if len(v.zstar) != rows*n || len(v.zeps) != rows*n {
					t.Fatalf("zstar %d, zeps %d values, want %d", len(v.zstar), len(v.zeps), rows*n)
				}
				for b := 0; b < rows; b++ {
					zs, ze := v.zstar[b*n:(b+1)*n], v.zeps[b*n:(b+1)*n]
					if !argmax.Feasible(s, zs) || !argmax.Feasible(s, ze) {
						t.Fatalf("step %d, example %d: z* = %v (feasible %v), z*(ε) = %v (feasible %v)", step, b, zs, argmax.Feasible(s, zs), ze, argmax.Feasible(s, ze))
					}
				}
			}
		})
	}
}
