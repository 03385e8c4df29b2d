package train

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/argmaxvae/argmaxvae/decoder"
	"github.com/argmaxvae/argmaxvae/nn"
)

// withChunks sets the work sizes of ExactLikelihood and
// ImportanceLikelihood for the rest of the test.
func withChunks(t *testing.T, codes, images, iw int) {
	t.Helper()
	c, i, w := enumCodeChunk, enumImageChunk, iwRows
	enumCodeChunk, enumImageChunk, iwRows = codes, images, iw
	t.Cleanup(func() { enumCodeChunk, enumImageChunk, iwRows = c, i, w })
}

// sharpen multiplies the output weights of the encoder and decoder so that
// the scores and log-likelihoods of different codes differ by more.
func sharpen(v *VAE, enc, dec float32) {
	for i := range v.Enc.Net.L2.W {
		v.Enc.Net.L2.W[i] *= enc
	}
	for i := range v.Dec.Net.L2.W {
		v.Dec.Net.L2.W[i] *= dec
	}
}

// bruteLikelihood computes the exact per-example means by decoding one code
// at a time: NLL = −mean log Σ_z p(z)p(x|z), and for q_G ∝ exp h the
// negative ELBO and KL, all in float64 with explicit sums for h.
func bruteLikelihood(v *VAE, X nn.Mat) (nll, nelbo, kl float64) {
	n, k, nk, B := v.N, v.K, v.NK(), X.Rows
	sc := must(v.Enc.Forward(X))
	scores := nn.Mat{Rows: sc.Rows, Cols: sc.Cols, Data: append([]float32(nil), sc.Data...)}
	states := 1
	for i := 0; i < n; i++ {
		states *= k
	}
	F := make([][]float64, B) // F[b][c] = log p(x_b | z_c)
	H := make([][]float64, B) // H[b][c] = h(x_b, z_c)
	for b := range F {
		F[b], H[b] = make([]float64, states), make([]float64, states)
	}
	z := make([]int, n)
	codes := make([]int, B*n)
	onehot := nn.NewMat(B, nk)
	f := make([]float32, B)
	for c := 0; c < states; c++ {
		idx := c
		for i := range z {
			z[i], idx = idx%k, idx/k
		}
		for b := 0; b < B; b++ {
			copy(codes[b*n:], z)
		}
		noErr(decoder.OneHot(codes, n, k, onehot))
		nn.BernoulliLogLik(X, must(v.Dec.Forward(onehot)), f)
		for b := 0; b < B; b++ {
			F[b][c] = float64(f[b])
			row := scores.Row(b)
			h := 0.0
			for i := 0; i < n; i++ {
				h += float64(row[i*k+z[i]])
			}
			for e, ed := range v.S.(*argmax.Pairwise).Edges {
				h += float64(row[nk+e]) * float64(z[ed.I]*z[ed.J])
			}
			H[b][c] = h
		}
	}
	return bruteSums(F, H, -float64(n)*math.Log(float64(k)))
}

// bruteSums returns the per-example means of −log p(x), the Gibbs NELBO
// and the Gibbs KL from F[b][c] = log p(x_b|z_c) and H[b][c] = h(x_b, z_c)
// over a list of codes with prior log p(z) = logP each, in float64.
func bruteSums(F, H [][]float64, logP float64) (nll, nelbo, kl float64) {
	for b := range F {
		mf, mh := math.Inf(-1), math.Inf(-1)
		for c := range F[b] {
			mf, mh = math.Max(mf, F[b][c]), math.Max(mh, H[b][c])
		}
		sf, sh := 0.0, 0.0
		for c := range F[b] {
			sf += math.Exp(F[b][c] - mf)
			sh += math.Exp(H[b][c] - mh)
		}
		nll -= mf + math.Log(sf) + logP
		logZ := mh + math.Log(sh)
		eqf, klb := 0.0, 0.0
		for c := range F[b] {
			lq := H[b][c] - logZ
			q := math.Exp(lq)
			eqf += q * F[b][c]
			klb += q * (lq - logP)
		}
		kl += klb
		nelbo += -eqf + klb
	}
	nb := float64(len(F))
	return nll / nb, nelbo / nb, kl / nb
}

// closeTo reports whether a and b agree to rel relative to max(1, |b|).
func closeTo(a, b, rel float64) bool {
	return math.Abs(a-b) <= rel*math.Max(1, math.Abs(b))
}

// ExactLikelihood agrees with decoding and summing every code one at a
// time, for a categorical latent, independent K-ary latents and binary
// latents with a complete pairwise structure, with chunk sizes small enough
// that several code chunks and image chunks (and both workers) take part.
func TestExactLikelihoodMatchesBruteForce(t *testing.T) {
	cases := []struct {
		name           string
		n, k           int
		pairs, supermd bool
	}{
		{"categorical K=7", 1, 7, false, false},
		{"categorical K=50", 1, 50, false, false},
		{"independent N=3 K=3", 3, 3, false, false},
		{"pairwise N=5 general", 5, 2, true, false},
		{"pairwise N=5 supermodular", 5, 2, true, true},
	}
	const d, rows = 12, 37
	for ci, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := tinyVAE(t, uint64(10+ci), d, tc.n, tc.k, tc.pairs, tc.supermd, "")
			sharpen(v, 4, 3)
			X := randomImages(uint64(20+ci), rows, d)
			wantNLL, wantNELBO, wantKL := bruteLikelihood(v, X)

			withChunks(t, 5, 4, iwRows)
			got, err := ExactLikelihood(context.Background(), v, X)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("NLL %.6f (brute %.6f), Gibbs NELBO %.6f (%.6f), KL %.6f (%.6f)", got.NLL, wantNLL, got.GibbsNELBO, wantNELBO, got.GibbsKL, wantKL)
			if !got.Exact || got.Samples != 0 || got.NLLStdErr != 0 || got.Seconds <= 0 {
				t.Errorf("Exact %v, Samples %d, NLLStdErr %v, Seconds %v: want true, 0, 0, > 0", got.Exact, got.Samples, got.NLLStdErr, got.Seconds)
			}
			const rel = 1e-4
			if !closeTo(got.NLL, wantNLL, rel) || !closeTo(got.GibbsNELBO, wantNELBO, rel) || !closeTo(got.GibbsKL, wantKL, rel) {
				t.Errorf("got NLL %.6f, NELBO %.6f, KL %.6f; brute force %.6f, %.6f, %.6f", got.NLL, got.GibbsNELBO, got.GibbsKL, wantNLL, wantNELBO, wantKL)
			}
			if got.GibbsNELBO < got.NLL {
				t.Errorf("Gibbs NELBO %.6f below the NLL %.6f it bounds", got.GibbsNELBO, got.NLL)
			}
			if wantNELBO-wantNLL < 1e-3 || wantKL < 1e-3 {
				t.Errorf("test too weak: NELBO − NLL = %.2g, KL = %.2g", wantNELBO-wantNLL, wantKL)
			}

			// The default chunk sizes (one code chunk, one image chunk
			// per worker) give the same numbers.
			enumCodeChunk, enumImageChunk = 2048, 256
			def, err := ExactLikelihood(context.Background(), v, X)
			if err != nil {
				t.Fatal(err)
			}
			if !closeTo(def.NLL, got.NLL, 1e-6) || !closeTo(def.GibbsNELBO, got.GibbsNELBO, 1e-6) || !closeTo(def.GibbsKL, got.GibbsKL, 1e-6) {
				t.Errorf("default chunks: %+v; tiny chunks: %+v", def, got)
			}

			if !tc.pairs {
				// Without edges q_G is the product of per-latent softmaxes.
				scores := must(v.Enc.Forward(X))
				kl := make([]float64, rows)
				klUnary(v, scores, tc.n, tc.k, kl, nn.Mat{}, 0)
				mean := 0.0
				for _, x := range kl {
					mean += x / rows
				}
				if !closeTo(got.GibbsKL, mean, 1e-5) {
					t.Errorf("GibbsKL %.6f, unary-factor KL %.6f", got.GibbsKL, mean)
				}
				return
			}
			one, err := ExactLikelihood(context.Background(), v, X.Slice(0, 1))
			if err != nil {
				t.Fatal(err)
			}
			want, err := gibbsKLOf(unperturbed(v, must(v.Enc.Forward(X.Slice(0, 1))), 0))
			if err != nil {
				t.Fatal(err)
			}
			if !closeTo(one.GibbsKL, want, 1e-5) {
				t.Errorf("GibbsKL of example 0: %.6f, gibbsKLOf(model) %.6f", one.GibbsKL, want)
			}
		})
	}
}

// The importance-weighted estimate approaches the exact NLL as the number
// of samples grows, is not below it beyond its standard error (it is a
// stochastic upper bound on the NLL), and depends only on the seed.
func TestImportanceLikelihoodConverges(t *testing.T) {
	const d, rows = 16, 37
	v := tinyVAE(t, 31, d, 4, 2, true, false, "")
	sharpen(v, 1, 4)
	X := randomImages(32, rows, d)
	exact, err := ExactLikelihood(context.Background(), v, X)
	if err != nil {
		t.Fatal(err)
	}
	iw := func(s int, seed uint64) Likelihood {
		t.Helper()
		l, err := ImportanceLikelihood(context.Background(), v, X, s, rand.New(rand.NewPCG(seed, 7)))
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	prev := math.Inf(1)
	var at10 Likelihood
	for _, s := range []int{1, 10, 1000} {
		l := iw(s, 5)
		gap := l.NLL - exact.NLL
		t.Logf("S = %4d: IW NLL %.5f ± %.5f, exact %.5f, error %.5f", s, l.NLL, l.NLLStdErr, exact.NLL, gap)
		if l.Exact || l.Samples != s || !math.IsNaN(l.GibbsNELBO) || !math.IsNaN(l.GibbsKL) {
			t.Errorf("S = %d: Exact %v, Samples %d, GibbsNELBO %v, GibbsKL %v", s, l.Exact, l.Samples, l.GibbsNELBO, l.GibbsKL)
		}
		if s == 1 {
			if !math.IsNaN(l.NLLStdErr) {
				t.Errorf("S = 1: standard error %v, want NaN", l.NLLStdErr)
			}
			if gap < 0 {
				t.Errorf("S = 1: IW NLL %.5f below the exact %.5f", l.NLL, exact.NLL)
			}
		} else {
			if !(l.NLLStdErr > 0) {
				t.Errorf("S = %d: standard error %v, want > 0", s, l.NLLStdErr)
			}
			if gap < -4*l.NLLStdErr {
				t.Errorf("S = %d: IW NLL %.5f below the exact %.5f by more than 4 standard errors (%.5f)", s, l.NLL, exact.NLL, l.NLLStdErr)
			}
		}
		if math.Abs(gap) >= prev {
			t.Errorf("S = %d: error %.5f did not shrink from %.5f", s, math.Abs(gap), prev)
		}
		prev = math.Abs(gap)
		if s == 1000 && math.Abs(gap) > 4*l.NLLStdErr+1e-3 {
			t.Errorf("S = 1000: error %.5f exceeds 4 standard errors (%.5f) + 1e-3", gap, l.NLLStdErr)
		}
		if s == 10 {
			at10 = l
		}
	}
	if again := iw(10, 5); again.NLL != at10.NLL || again.NLLStdErr != at10.NLLStdErr {
		t.Errorf("same seed: %v ± %v, then %v ± %v", at10.NLL, at10.NLLStdErr, again.NLL, again.NLLStdErr)
	}
	if other := iw(10, 6); other.NLL == at10.NLL {
		t.Errorf("seeds 5 and 6 gave the same estimate %v", other.NLL)
	}
	// Batches of 7 rows split examples' samples across decoder passes; the
	// draws, and so the estimate, are the same.
	withChunks(t, enumCodeChunk, enumImageChunk, 7)
	if small := iw(10, 5); !closeTo(small.NLL, at10.NLL, 1e-6) || !closeTo(small.NLLStdErr, at10.NLLStdErr, 1e-4) {
		t.Errorf("batches of 7 rows: %v ± %v; of 4096: %v ± %v", small.NLL, small.NLLStdErr, at10.NLL, at10.NLLStdErr)
	}
}

// seedSpread returns the mean and standard deviation of the estimates of
// ImportanceLikelihood over seeds 1…seeds, and the mean reported standard
// error.
func seedSpread(t *testing.T, v *VAE, X nn.Mat, samples, seeds int) (mean, sd, reported float64) {
	t.Helper()
	est := make([]float64, seeds)
	for i := range est {
		l, err := ImportanceLikelihood(context.Background(), v, X, samples, rand.New(rand.NewPCG(uint64(i+1), 9)))
		if err != nil {
			t.Fatal(err)
		}
		est[i] = l.NLL
		mean += l.NLL / float64(seeds)
		reported += l.NLLStdErr / float64(seeds)
	}
	for _, e := range est {
		sd += (e - mean) * (e - mean)
	}
	return mean, math.Sqrt(sd / float64(seeds-1)), reported
}

// With one sample per example the estimate averages −log w(z) over
// z ~ r(z|x), whose expectation is the negative ELBO of the proposal r;
// without edges r is the Gibbs distribution, so the average must match
// ExactLikelihood's GibbsNELBO. This checks the sampler against the log r
// that the weights use.
func TestImportanceLikelihoodOneSampleIsGibbsNELBO(t *testing.T) {
	const d = 16
	for i, nk := range [][2]int{{4, 2}, {2, 5}} {
		v := tinyVAE(t, uint64(51+i), d, nk[0], nk[1], false, false, "")
		sharpen(v, 3, 8)
		x := randomImages(uint64(55+i), 1, d)
		exact, err := ExactLikelihood(context.Background(), v, x)
		if err != nil {
			t.Fatal(err)
		}
		mean, sd, _ := seedSpread(t, v, repeatRow(x, 0, 20000), 1, 10)
		se := sd / math.Sqrt(10)
		t.Logf("N = %d, K = %d: S = 1 average %.5f ± %.5f; Gibbs NELBO %.5f, NLL %.5f", nk[0], nk[1], mean, se, exact.GibbsNELBO, exact.NLL)
		if math.Abs(mean-exact.GibbsNELBO) > 4*se {
			t.Errorf("N = %d, K = %d: one-sample average %.5f differs from the Gibbs NELBO %.5f by more than 4 standard errors (%.5f)", nk[0], nk[1], mean, exact.GibbsNELBO, se)
		}
		if se > 0.1*(exact.GibbsNELBO-exact.NLL) {
			t.Errorf("N = %d, K = %d: test too weak: standard error %.5f against NELBO − NLL = %.5f", nk[0], nk[1], se, exact.GibbsNELBO-exact.NLL)
		}
	}
}

// The streaming sums of importance weights equal the direct sums of w and
// w², whatever order the largest weight arrives in.
func TestIWAccumulator(t *testing.T) {
	for _, lws := range [][]float64{
		{0, 1, 2, -1, 5, 3},
		{-700, -650, -702, -600, -601},
		{3, 3, 3},
		{10, -30, 9.5},
	} {
		a := iwAcc{m: math.Inf(-1)}
		var s1, s2 float64
		for _, lw := range lws {
			a.add(lw)
			s1 += math.Exp(lw - lws[0]) // the values are within 100 of lws[0]
			s2 += math.Exp(2 * (lw - lws[0]))
		}
		got1 := a.m - lws[0] + math.Log(a.s1)
		got2 := 2*(a.m-lws[0]) + math.Log(a.s2)
		if math.Abs(got1-math.Log(s1)) > 1e-12 || math.Abs(got2-math.Log(s2)) > 1e-12 {
			t.Errorf("%v: log Σw − %v = %v, log Σw² − %v = %v; want %v, %v", lws, lws[0], got1, 2*lws[0], got2, math.Log(s1), math.Log(s2))
		}
	}
}

// The delta-method standard error matches the spread of the estimate over
// seeds.
func TestImportanceLikelihoodStdErr(t *testing.T) {
	const d, rows = 16, 37
	v := tinyVAE(t, 61, d, 4, 2, true, false, "")
	sharpen(v, 1, 4)
	X := randomImages(62, rows, d)
	_, sd, reported := seedSpread(t, v, X, 100, 30)
	t.Logf("S = 100: spread over 30 seeds %.5f, reported standard error %.5f", sd, reported)
	if ratio := reported / sd; ratio < 0.6 || ratio > 1.6 {
		t.Errorf("reported standard error %.5f, spread over seeds %.5f (ratio %.2f)", reported, sd, ratio)
	}
}

// Oversized latent spaces, data of the wrong width, non-finite pixels, no
// examples and a sample count below one are errors, not panics.
func TestLikelihoodErrors(t *testing.T) {
	big := tinyVAE(t, 41, 8, 21, 2, false, false, "")
	if Enumerable(big) {
		t.Error("2^21 states reported enumerable")
	}
	_, err := ExactLikelihood(context.Background(), big, randomImages(42, 3, 8))
	if err == nil || !strings.Contains(err.Error(), "MaxEnumStates") || !strings.Contains(err.Error(), "21") {
		t.Errorf("N = 21 binary: error %v, want one naming N and MaxEnumStates", err)
	}
	if edge := tinyVAE(t, 43, 8, 20, 2, false, false, ""); !Enumerable(edge) {
		t.Error("2^20 = MaxEnumStates states reported not enumerable")
	}
	if cat := tinyVAE(t, 44, 8, 4, 33, false, false, ""); Enumerable(cat) {
		t.Error("33^4 > 2^20 states reported enumerable")
	}

	v := tinyVAE(t, 45, 8, 2, 3, false, false, "")
	rng := rand.New(rand.NewPCG(1, 2))
	wide := randomImages(46, 3, 9)
	if _, err := ExactLikelihood(context.Background(), v, wide); err == nil || !strings.Contains(err.Error(), "9 columns") {
		t.Errorf("ExactLikelihood on 9 columns for 8 pixels: error %v", err)
	}
	if _, err := ImportanceLikelihood(context.Background(), v, wide, 10, rng); err == nil || !strings.Contains(err.Error(), "9 columns") {
		t.Errorf("ImportanceLikelihood on 9 columns for 8 pixels: error %v", err)
	}
	X := randomImages(47, 3, 8)
	for _, s := range []int{0, -1} {
		if _, err := ImportanceLikelihood(context.Background(), v, X, s, rng); err == nil || !strings.Contains(err.Error(), "sample") {
			t.Errorf("samples = %d: error %v", s, err)
		}
	}
	bad := randomImages(48, 3, 8)
	bad.Data[13] = float32(math.NaN())
	if _, err := ExactLikelihood(context.Background(), v, bad); err == nil || !strings.Contains(err.Error(), "NaN") {
		t.Errorf("ExactLikelihood of NaN pixels: error %v", err)
	}
	if _, err := ImportanceLikelihood(context.Background(), v, bad, 2, rng); err == nil || !strings.Contains(err.Error(), "NaN") {
		t.Errorf("ImportanceLikelihood of NaN pixels: error %v", err)
	}
	empty := nn.NewMat(0, 8)
	if _, err := ExactLikelihood(context.Background(), v, empty); err == nil {
		t.Error("ExactLikelihood of no examples: no error")
	}
	if _, err := ImportanceLikelihood(context.Background(), v, empty, 1, rng); err == nil {
		t.Error("ImportanceLikelihood of no examples: no error")
	}
}

// BenchmarkExactLikelihood scores 1000 random images under a model of the
// structured experiments' size: 15 binary latents (32,768 codes) with a
// complete pairwise structure (105 edges), hidden 300, 784 pixels.
func BenchmarkExactLikelihood(b *testing.B) {
	defer nn.SetThreads(nn.Threads())
	for _, threads := range []int{1, 2} {
		b.Run(fmt.Sprintf("threads%d", threads), func(b *testing.B) {
			nn.SetThreads(threads)
			benchExactLikelihood(b)
		})
	}
}

func benchExactLikelihood(b *testing.B) {
	const n, hidden, d, rows = 15, 300, 784, 1000
	r := rand.New(rand.NewPCG(1, 2))
	s := must(argmax.Complete(n, true))
	enc, dec, err := NewNetworks(s, d, hidden, r)
	if err != nil {
		b.Fatal(err)
	}
	v, err := NewVAE(enc, dec, s, "", 1)
	if err != nil {
		b.Fatal(err)
	}
	X := randomImages(3, rows, d)
	b.ResetTimer()
	var l Likelihood
	for range b.N {
		if l, err = ExactLikelihood(context.Background(), v, X); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*rows), "ns/image")
	b.Logf("NLL %.3f, Gibbs NELBO %.3f, Gibbs KL %.3f, %.2f s", l.NLL, l.GibbsNELBO, l.GibbsKL, l.Seconds)
}
