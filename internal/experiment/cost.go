package experiment

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strings"
	"sync/atomic"
	"time"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/argmaxvae/argmaxvae/dataset"
	"github.com/argmaxvae/argmaxvae/train"
)

// Cost limits: an epoch or the final evaluation estimated beyond
// MaxSeconds is refused unless -allow-slow; the estimate is printed when
// any part of it exceeds noteSeconds.
const (
	MaxSeconds  = 3600
	noteSeconds = 10
	// opsPerSecond calibrates the evaluation estimates per thread: the
	// exact −log p(x) of 2¹⁵ codes on 10,000 images (2.6·10¹¹ pixel-code
	// terms) took about 12 s on two threads.
	opsPerSecond = 1e10
)

// probeWait is how long the solver probe waits for one solve; a variable
// so that a test can make "the probe gave up" independent of the speed of
// the machine it runs on.
var probeWait = 2 * time.Second

// Sizes are the numbers of images a run trains and evaluates on.
type Sizes struct{ Train, Valid, Test int }

// Cost is a run's estimated time, before any training: what an epoch
// spends in the solver (and, for direct-exact, decoding every code), and
// what the evaluations whose cost grows exponentially with n spend.
type Cost struct {
	SolveSeconds float64 // one arg max on random weights, measured
	SolveDone    bool    // false: the probe gave up waiting (SolveSeconds is a lower bound)
	EpochSeconds float64 // per epoch: solves, direct-exact decoding, exact Gibbs KL
	EvalSeconds  float64 // at the end: exact or importance-weighted −log p(x), over the run
	parts        []string
}

// String is the estimate as one line, naming each part.
func (c Cost) String() string {
	return fmt.Sprintf("about %s an epoch and %s of final evaluation (%s)", seconds(c.EpochSeconds), seconds(c.EvalSeconds), strings.Join(c.parts, "; "))
}

func seconds(s float64) string {
	switch {
	case s >= 100*3600:
		return fmt.Sprintf("%.0f h", s/3600)
	case s >= 3600:
		return fmt.Sprintf("%.1f h", s/3600)
	case s >= 60:
		return fmt.Sprintf("%.0f min", s/60)
	case s >= 1:
		return fmt.Sprintf("%.0f s", s)
	}
	return fmt.Sprintf("%.2g s", s)
}

// Cost estimates what the run will spend: it times the solver on random
// weights of the structure (at most about two seconds) and counts the
// work of the exponential evaluations. Solves per epoch are two per
// training image (z* and z*(ε)) and one per validation and test sample.
func (b *Built) Cost(n Sizes) Cost {
	s, st := b.Spec, b.Structure
	threads := float64(max(s.Threads, 1))
	var c Cost
	c.SolveSeconds, c.SolveDone = probeSolve(st, s.Solver, s.Seed)
	solves := float64(2*n.Train + n.Valid + n.Test*max(s.Samples, 1))
	solve := c.SolveSeconds * solves / threads
	c.EpochSeconds += solve
	bound := ""
	if !c.SolveDone {
		bound = "more than "
	}
	c.parts = append(c.parts, fmt.Sprintf("solver %s: %s%s a solve × %.0f solves", s.Solver, bound, seconds(c.SolveSeconds), solves))
	d, h := float64(dataset.Pixels), float64(s.Hidden)
	nk := float64(argmax.Unary(st))
	decode := nk*h + h*d // one code through the decoder
	codes, enumerable := jointCodes(st)
	if s.Estimator == "direct-exact" && enumerable {
		steps := math.Ceil(float64(n.Train) / float64(s.Batch))
		t := steps * (codes*decode + float64(s.Batch)*codes*d) / (opsPerSecond * threads)
		c.EpochSeconds += t
		c.parts = append(c.parts, fmt.Sprintf("direct-exact decodes %.0f codes a step: %s an epoch", codes, seconds(t)))
	}
	if b.row.pairwise && s.ExactKL > 0 {
		t := float64(s.ExactKL) * math.Exp2(float64(st.Vars())) * float64(st.Vars()) / (opsPerSecond / 30 * threads)
		c.EpochSeconds += t
		c.parts = append(c.parts, fmt.Sprintf("exact Gibbs KL of %d test images over 2^%d codes: %s an epoch", s.ExactKL, st.Vars(), seconds(t)))
	}
	switch {
	case enumerable:
		times := 2.0 // the last epoch, and the best-validation epoch's parameters
		if s.NLLEvery > 0 {
			times += float64(s.Epochs / s.NLLEvery)
		}
		t := times * (codes*decode + codes*float64(n.Test)*d) / (opsPerSecond * threads)
		c.EvalSeconds += t
		c.parts = append(c.parts, fmt.Sprintf("exact −log p(x) over %.0f codes, %.0f times: %s", codes, times, seconds(t)))
	case !enumerable && s.IWSamples > 0:
		draws := float64(s.IWSamples * n.Test)
		t := 2 * (draws*(decode+d)/(opsPerSecond*threads) + draws*c.SolveSeconds/threads)
		c.EvalSeconds += t
		c.parts = append(c.parts, fmt.Sprintf("importance-weighted −log p(x), %d samples × %d images, twice: %s", s.IWSamples, n.Test, seconds(t)))
	}
	return c
}

// jointCodes returns K^N for st when it is at most train.MaxEnumStates
// (the exact evaluations enumerate them), else false.
func jointCodes(st argmax.Structure) (float64, bool) {
	codes := math.Pow(float64(st.States()), float64(st.Vars()))
	return codes, codes <= train.MaxEnumStates
}

// CheckCost estimates the run's cost (see [Built.Cost]) for data of the
// given sizes, prints it to log when a part of it is long, and refuses,
// naming -allow-slow, an epoch or a final evaluation estimated beyond
// MaxSeconds unless the spec allows slow runs.
func (b *Built) CheckCost(n Sizes, log io.Writer) error {
	c := b.Cost(n)
	if c.EpochSeconds < noteSeconds && c.EvalSeconds < noteSeconds {
		return nil
	}
	if (c.EpochSeconds > MaxSeconds || c.EvalSeconds > MaxSeconds) && !b.Spec.AllowSlow {
		return fmt.Errorf("an epoch would take %s and the final evaluation %s, beyond the limit of %s (%s): use a faster -solver, a smaller -n, fewer -kl-exact or -iw-samples, or -allow-slow to run anyway",
			seconds(c.EpochSeconds), seconds(c.EvalSeconds), seconds(MaxSeconds), strings.Join(c.parts, "; "))
	}
	fmt.Fprintf(log, "%s: cost estimate: %s\n", b.Spec.Command, c) // a refusal says it once, in its error
	return nil
}

// probeSolve times the solver named solver on random weights of st (unit
// normal, absolute values where st wants them nonnegative): solves until
// half a second has passed or 20 were done, and returns the mean time of
// one. When the first solve has not returned after probeWait it returns
// probeWait and false: the solve goes on in the background, and the
// probe stops after it.
func probeSolve(st argmax.Structure, solver string, seed uint64) (float64, bool) {
	m, err := st.NewSolver(solver)
	if err != nil {
		return 0, true // Check has vetted the name; nothing to time
	}
	r := rand.New(rand.NewPCG(seed, 0xc057))
	signs := st.Signs()
	w := make([]float64, st.Dim())
	z := make([]int, st.Vars())
	var stop atomic.Bool
	first := make(chan time.Duration, 1)
	done := make(chan float64, 1)
	go func() {
		start := time.Now()
		n := 0
		for ; n < 20 && !stop.Load(); n++ {
			for j := range w {
				w[j] = r.NormFloat64()
				if signs[j] == argmax.NonNegative {
					w[j] = math.Abs(w[j])
				}
			}
			t0 := time.Now()
			m.Maximize(w, z)
			if n == 0 {
				first <- time.Since(t0)
			}
			if time.Since(start) > time.Second/2 {
				n++
				break
			}
		}
		done <- time.Since(start).Seconds() / float64(max(n, 1))
	}()
	select {
	case <-first:
		return <-done, true
	case <-time.After(probeWait):
		stop.Store(true)
		return probeWait.Seconds(), false
	}
}
