package semisup

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/argmaxvae/argmaxvae/nn"
)

// tiny returns a small model and a batch of binary images with labels
// (half of them unlabelled).
func tiny(t *testing.T) (*Model, nn.Mat, []int) {
	t.Helper()
	r := rand.New(rand.NewPCG(7, 8))
	m, err := New(Sizes{D: 12, K: 4, C: 3, Hidden: 9, Base: 7, DiscHidden: 5, ContHidden: 4, ContMid: 6, DecHidden: 8}, r)
	if err != nil {
		t.Fatal(err)
	}
	x := nn.NewMat(6, 12)
	for i := range x.Data {
		if r.Float64() < 0.4 {
			x.Data[i] = 1
		}
	}
	return m, x, []int{2, -1, 0, -1, 3, -1}
}

// stepLoss returns a loss function for GradCheck: est's loss on (x, labels)
// with the noise of seed, leaving the gradients in place.
func stepLoss(m *Model, est Estimator, x nn.Mat, labels []int, temp float64) func() float64 {
	ps := m.Params()
	return func() float64 {
		saved := make([][]float32, len(ps))
		for i, p := range ps {
			saved[i] = append([]float32(nil), p.G...)
		}
		l := est.Step(m, x, labels, temp, rand.New(rand.NewPCG(1, 1)))
		for i, p := range ps {
			copy(p.G, saved[i])
		}
		return l
	}
}

// only keeps the parameters whose names start with one of prefixes.
func only(ps []nn.Param, prefixes ...string) []nn.Param {
	var out []nn.Param
	for _, p := range ps {
		for _, pre := range prefixes {
			if strings.HasPrefix(p.Name, pre) {
				out = append(out, p)
			}
		}
	}
	return out
}

// TestGSMGradientIsExact: Gumbel-Softmax's gradients are the exact
// gradients of its relaxed loss at fixed noise, supervision included, so
// they match central differences for every parameter.
func TestGSMGradientIsExact(t *testing.T) {
	m, x, labels := tiny(t)
	ps := m.Params()
	nn.ZeroGrad(ps)
	est := GSM{Alpha: 3}
	est.Step(m, x, labels, 0.7, rand.New(rand.NewPCG(1, 1)))
	if err := nn.GradCheck(stepLoss(m, est, x, labels, 0.7), ps, 2e-3, 3e-2, rand.New(rand.NewPCG(2, 2)), 400); err != nil {
		t.Fatal(err)
	}
}

// TestDirectReparameterizedGradients: direct's gradients for the decoder
// and the Gaussian encoder are exact gradients of f(x, z*) + KL at fixed
// noise (those parameters do not move h, so z* stays put).
func TestDirectReparameterizedGradients(t *testing.T) {
	m, x, labels := tiny(t)
	ps := m.Params()
	nn.ZeroGrad(ps)
	est := Direct{}
	est.Step(m, x, labels, 0.5, rand.New(rand.NewPCG(1, 1)))
	sub := only(ps, "dec.", "cont.", "contin.")
	if len(sub) != 10 {
		t.Fatalf("%d decoder and Gaussian-head parameters, want 10", len(sub))
	}
	if err := nn.GradCheck(stepLoss(m, est, x, labels, 0.5), sub, 1e-3, 2e-2, rand.New(rand.NewPCG(3, 3)), 300); err != nil {
		t.Fatal(err)
	}
}

// TestDirectCodesMeanGradient compares the Monte-Carlo mean of direct's
// score gradient (1[z*] − 1[z*(ε)])/ε with its closed form
// (q − softmax((1−ε)h − εf))/ε, and at small ε with the exact gradient of
// Σ_k q_k f_k + KL(q ‖ uniform); for a labelled example the mean is
// (q − 1[label])/ε.
func TestDirectCodesMeanGradient(t *testing.T) {
	h := []float32{0.3, -0.5, 1.1, 0.2}
	f := []float64{3, 1.5, 2.2, 0.4}
	const K, n = 4, 400000
	q := make([]float64, K)
	nn.LogSoftmax(h, q)
	for k := range q {
		q[k] = math.Exp(q[k])
	}
	mean := func(eps float64, label int) []float64 {
		r := rand.New(rand.NewPCG(5, 6))
		g, pert := make([]float64, K), make([]float64, K)
		sum := make([]float64, K)
		for i := 0; i < n; i++ {
			argmax.GumbelFill(g, r)
			zs, ze := directCodes(h, g, f, eps, label, pert)
			sum[zs] += 1 / eps
			sum[ze] -= 1 / eps
		}
		for k := range sum {
			sum[k] /= n
		}
		return sum
	}
	for _, eps := range []float64{1, 0.3} {
		got := mean(eps, -1)
		p := make([]float64, K)
		for k := range p {
			p[k] = (1-eps)*float64(h[k]) - eps*f[k]
		}
		nn.SoftmaxInPlace(p)
		for k := range got {
			want := (q[k] - p[k]) / eps
			if math.Abs(got[k]-want) > 5*math.Sqrt(2/float64(n))/eps {
				t.Errorf("ε = %g: mean gradient[%d] = %.4f, closed form %.4f", eps, k, got[k], want)
			}
		}
	}
	// Small ε: the closed form tends to the exact gradient.
	var qf, qlq float64
	for k := range q {
		qf += q[k] * f[k]
		qlq += q[k] * math.Log(q[k])
	}
	eps := 1e-4
	p := make([]float64, K)
	for k := range p {
		p[k] = (1-eps)*float64(h[k]) - eps*f[k]
	}
	nn.SoftmaxInPlace(p)
	for k := range q {
		exact := q[k]*(f[k]-qf) + q[k]*(math.Log(q[k])-qlq)
		if d := (q[k] - p[k]) / eps; math.Abs(d-exact) > 1e-3 {
			t.Errorf("ε → 0: closed form[%d] = %.5f, exact gradient %.5f", k, d, exact)
		}
	}
	got := mean(0.5, 1)
	for k := range got {
		want := q[k] / 0.5
		if k == 1 {
			want -= 1 / 0.5
		}
		if math.Abs(got[k]-want) > 5*math.Sqrt(2/float64(n))/0.5 {
			t.Errorf("labelled: mean gradient[%d] = %.4f, want %.4f", k, got[k], want)
		}
	}
}
