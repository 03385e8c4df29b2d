package experiment

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/argmaxvae/argmaxvae/dataset"
)

// checkMemory refuses a spec whose training would hold more than half of
// the machine's memory, before anything is allocated, naming the flags
// that make it big (categorical -k 100000 would otherwise allocate a
// K×K matrix of 40 GB and die with a runtime stack trace). The estimate
// counts float32s: the parameters with their gradients, Adam moments and
// the kept best state (×6), a minibatch's activations, and the decoder
// pass over every state of one categorical latent or over every local
// change f̃ of the others.
func (b *Built) checkMemory() error {
	budget := memoryBudget()
	if budget == 0 {
		return nil // unknown: nothing to check against
	}
	s, st := b.Spec, b.Structure
	d := float64(dataset.Pixels)
	h, dim, n, k, batch := float64(s.Hidden), float64(st.Dim()), float64(st.Vars()), float64(st.States()), float64(s.Batch)
	nk := float64(argmax.Unary(st))
	params := d*h + h + h*dim + dim + nk*h + h + h*d + d
	type term struct {
		floats float64
		flags  string
	}
	terms := []term{
		{6 * params, "-hidden, -n, -k"},
		{4 * batch * (h + dim + nk + d), "-batch, -hidden"},
	}
	if n == 1 {
		terms = append(terms, term{k*k + k*(h+d) + batch*k, "-k (one latent: every state is decoded as a one-hot code of K)"})
	} else {
		terms = append(terms, term{batch * nk * d, "-batch, -n, -k (f̃ decodes every local change of a code)"})
	}
	total, big := 0.0, 0
	for i, t := range terms {
		total += t.floats
		if t.floats > terms[big].floats {
			big = i
		}
	}
	if bytes := 4 * total; bytes > float64(budget) {
		return fmt.Errorf("%s: training would hold about %s, more than half of this machine's %s; use smaller values",
			terms[big].flags, gib(bytes), gib(float64(2*budget)))
	}
	return nil
}

func gib(b float64) string {
	if b >= 1<<30 {
		return fmt.Sprintf("%.1f GB", b/(1<<30))
	}
	return fmt.Sprintf("%.0f MB", b/(1<<20))
}

var (
	budgetOnce sync.Once
	budget     uint64
)

// memoryBudget returns half the machine's memory in bytes (MemTotal of
// /proc/meminfo), or 0 where it cannot be read.
func memoryBudget() uint64 {
	budgetOnce.Do(func() {
		f, err := os.Open("/proc/meminfo")
		if err != nil {
			return
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) >= 2 && fields[0] == "MemTotal:" {
				if kb, err := strconv.ParseUint(fields[1], 10, 64); err == nil {
					budget = kb * 1024 / 2
				}
				return
			}
		}
	})
	return budget
}
