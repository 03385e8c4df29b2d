package lab

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/argmaxvae/argmaxvae/nn"
	"github.com/argmaxvae/argmaxvae/train"
)

// labRow returns the row named name (prefix) at ε.
func labRow(t *testing.T, res *Result, name string, eps float64) Row {
	t.Helper()
	for _, r := range res.Rows {
		if strings.HasPrefix(r.Estimator, name) && r.Eps == eps {
			return r
		}
	}
	t.Fatalf("no row %q at ε = %v", name, eps)
	return Row{}
}

// On independent latents the conditional Monte-Carlo reference must agree
// with the closed form, and every unbiased estimator (the noise-level
// REINFORCE and ARM, and the training estimators ARM, DisARM, REINFORCE,
// REBAR and RELAX) must be within its noise floor of it, while direct at a
// large ε is visibly biased.
func TestStructuredLabIndependent(t *testing.T) {
	const n, d, B = 5, 10, 4
	v := tinyVAE(t, 4, d, n, 2, false, false, "")
	for i := range v.Dec.Net.L2.W {
		v.Dec.Net.L2.W[i] *= 6
	}
	x := randomImages(5, B, d)
	res, err := Structured(context.Background(), v, x, Config{Eps: []float64{3, 0.1}, Reps: 3000, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Reference != "closed form" || res.ClosedDiff > 4*res.ClosedSE+1e-9 {
		t.Errorf("reference %s: conditional MC is %.4g from the closed form (se %.4g)", res.Reference, res.ClosedDiff, res.ClosedSE)
	}
	for _, r := range res.Rows {
		t.Logf("%-45s ε=%-4v bias %.4f raw %.4f floor %.4f std %.3f cos %.3f f̃−exact %.4f±%.4f (‖∇‖ %.3f)", r.Estimator, r.Eps, r.Bias, r.Raw, r.Floor, r.Std, r.Cos, r.UnaryDiff, r.UnaryFloor, res.RefNorm)
		if !strings.HasPrefix(r.Estimator, "direct") && r.Raw > 1.6*r.Floor+1e-6 {
			t.Errorf("%s: %.4f from the exact gradient, noise floor %.4f", r.Estimator, r.Raw, r.Floor)
		}
	}
	// f̃ is exact for independent latents as ε → 0: at ε = 0.1 it is close
	// to direct with the exact z*(ε) at the same noise.
	if r := labRow(t, res, "direct, f̃", 0.1); r.UnaryDiff > 2*r.UnaryFloor+0.05*res.RefNorm {
		t.Errorf("independent, ε = 0.1: f̃ − exact = %.4f (floor %.4f, ‖∇‖ %.4f)", r.UnaryDiff, r.UnaryFloor, res.RefNorm)
	}
	if big := labRow(t, res, "direct, f̃", 3); big.Raw < 4*big.Floor {
		t.Errorf("test too weak: direct at ε = 3 is within noise (%.4f, floor %.4f)", big.Raw, big.Floor)
	}
}

// On a pairwise encoder the reference (conditional Monte Carlo) and ARM on
// the noise, unbiased by two different arguments, must agree within the
// paired noise floor; so must direct with the exact z*(ε) at a small ε, up
// to its O(ε) bias.
func TestStructuredLabPairwise(t *testing.T) {
	const n, d, B = 5, 10, 4
	for _, c := range []struct {
		super bool
		solve string
	}{{true, "maxflow"}, {false, "bnb"}} {
		v := tinyVAE(t, 6, d, n, 2, true, c.super, c.solve)
		for i := range v.Dec.Net.L2.W {
			v.Dec.Net.L2.W[i] *= 6
		}
		x := randomImages(7, B, d)
		res, err := Structured(context.Background(), v, x, Config{Eps: []float64{0.03}, Reps: 4000, Seed: 2})
		if err != nil {
			t.Fatal(err)
		}
		if res.Reference != "conditional Monte Carlo" || res.RefSE > 0.05*res.RefNorm {
			t.Errorf("%s: reference %s, ‖∇‖ %.4f ± %.4f", c.solve, res.Reference, res.RefNorm, res.RefSE)
		}
		for _, r := range res.Rows {
			t.Logf("%s %-45s ε=%-4v bias %.4f raw %.4f floor %.4f std %.3f cos %.3f f̃−exact %.4f±%.4f pairs %.4f±%.4f (‖∇‖ %.3f)", c.solve, r.Estimator, r.Eps, r.Bias, r.Raw, r.Floor, r.Std, r.Cos, r.UnaryDiff, r.UnaryFloor, r.PairDiff, r.PairFloor, res.RefNorm)
		}
		for _, name := range []string{"ARM on the noise", "REINFORCE on the noise"} {
			if r := labRow(t, res, name, 0); r.Raw > 1.6*r.Floor+1e-6 {
				t.Errorf("%s %s: %.4f from the reference, noise floor %.4f", c.solve, name, r.Raw, r.Floor)
			}
		}
		if r := labRow(t, res, "direct, exact", 0.03); r.Raw > 1.6*r.Floor+0.1*res.RefNorm {
			t.Errorf("%s direct exact at ε = 0.03: %.4f from the reference (floor %.4f, ‖∇‖ %.4f)", c.solve, r.Raw, r.Floor, res.RefNorm)
		}
	}
}

// The laboratory's direct f̃ and exact samples at one noise draw must be
// the gradients Direct (KL ignored) and DirectExact compute on the same
// noise with the solver.
func TestStructuredLabMatchesSteps(t *testing.T) {
	const n, d, B, eps = 6, 10, 12, 0.4
	v := tinyVAE(t, 6, d, n, 2, true, false, "bnb")
	for i := range v.Dec.Net.L2.W {
		v.Dec.Net.L2.W[i] *= 4
	}
	x := randomImages(7, B, d)
	tb, err := newTables(v, x, 1)
	if err != nil {
		t.Fatal(err)
	}
	m := newMeasurement(tb, []float64{eps})
	argmax.GumbelFill(m.noise, rand.New(rand.NewPCG(3, 3)))
	wk := newWork(tb)
	for b := 0; b < B; b++ {
		m.sample(b, wk)
	}
	est := m.estRows
	for k, e := range []train.Estimator{&train.Direct{KL: train.KLNone}, &train.DirectExact{KL: train.KLNone}} {
		nn.ZeroGrad(v.Params())
		if _, err := e.Step(context.Background(), v, x, rand.New(rand.NewPCG(3, 3)), eps); err != nil {
			t.Fatal(err)
		}
		for b := 0; b < B; b++ {
			for i := 0; i < n; i++ {
				got := float64(B) * float64(v.ScoreGrad().At(b, 2*i+1))
				if math.Abs(got-est[k][b*n+i]) > 1e-4 {
					t.Fatalf("%s example %d bit %d: Step %v, laboratory %v", e.Name(), b, i, got, est[k][b*n+i])
				}
			}
		}
	}
}

// The laboratory's numbers do not depend on the threads: 8 examples of 12
// pairwise bits are enough work to be split across 2 (and 3) threads, and
// every figure equals the one-thread run's.
func TestStructuredLabThreadsAgree(t *testing.T) {
	defer nn.SetThreads(nn.Threads())
	var first string
	for _, threads := range []int{1, 2, 3} {
		v := tinyVAEThreads(t, 6, 10, 12, 2, true, true, "maxflow", threads)
		x := randomImages(7, 8, 10)
		res, err := Structured(context.Background(), v, x, Config{Eps: []float64{0.1, 1}, Reps: 3, Seed: 2})
		if err != nil {
			t.Fatal(err)
		}
		got := fmt.Sprintf("%+v", *res)
		if first == "" {
			first = got
		} else if got != first {
			t.Errorf("%d threads:\n%s\n1 thread:\n%s", threads, got, first)
		}
	}
}

// countdown is a context whose Err turns to Canceled after n calls: a
// cancel that arrives in the middle of a run.
type countdown struct {
	context.Context
	n atomic.Int64
}

func (c *countdown) Err() error {
	if c.n.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

// Structured checks its context between noise draws and between the
// training estimators' steps: a cancel in the middle of either phase
// stops it with ctx's error.
func TestStructuredLabHonoursCancel(t *testing.T) {
	v := tinyVAE(t, 3, 10, 4, 2, false, false, "")
	x := randomImages(7, 3, 10)
	const reps = 50
	for _, after := range []int64{10, reps + 20} { // in the draws; in the training estimators
		ctx := &countdown{Context: context.Background()}
		ctx.n.Store(after)
		if _, err := Structured(ctx, v, x, Config{Eps: []float64{0.5}, Reps: reps, Seed: 1}); !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled after %d checks: error %v, want context.Canceled", after, err)
		}
	}
	if _, err := Structured(context.Background(), v, x, Config{Eps: []float64{0.5}, Reps: reps, Seed: 1}); err != nil {
		t.Fatal(err)
	}
}
