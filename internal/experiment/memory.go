package experiment

import (
	"github.com/argmaxvae/argmaxvae/dataset"
	"github.com/argmaxvae/argmaxvae/internal/memory"
)

// checkMemory refuses a spec whose training would hold more than half of
// the machine's memory ([memory.Check]), naming the flags that make it
// big, before anything is allocated: the structure's size comes from its
// row's formula, not from building it (categorical -k 100000 would
// otherwise allocate a K×K matrix of 40 GB, and structured -n 100000 the
// 5·10⁹ pairs of a complete graph, and die with a runtime stack trace).
// The estimate counts the structure's scores (32 bytes each, with the
// solver's working copies), and float32s: the parameters with their
// gradients, Adam moments and the kept best state (×6), a minibatch's
// activations, and the decoder pass over every state of one categorical
// latent or over every local change f̃ of the others.
func (s *Spec) checkMemory(row *structureRow) error {
	nk, dim := row.size(s)
	d := float64(dataset.Pixels)
	h, k, batch := float64(s.Hidden), float64(s.K), float64(s.Batch)
	params := d*h + h + h*dim + dim + nk*h + h + h*d + d
	size := "-n" // the flags the structure's size grows with
	switch {
	case row.subset:
		size = "-n, -subset-parts"
	case row.states == "flag":
		size = "-n, -k"
	}
	const f32 = 4
	terms := []memory.Term{
		{Bytes: 32 * dim, Flags: size + " (the structure's scores)"},
		{Bytes: f32 * 6 * params, Flags: "-hidden, " + size},
		{Bytes: f32 * 4 * batch * (h + dim + nk + d), Flags: "-batch, -hidden"},
	}
	if s.N == 1 && row.states == "flag" {
		terms = append(terms, memory.Term{Bytes: f32 * (k*k + k*(h+d) + batch*k), Flags: "-k (one latent: every state is decoded as a one-hot code of K)"})
	} else {
		terms = append(terms, memory.Term{Bytes: f32 * batch * nk * d, Flags: "-batch, " + size + " (f̃ decodes every local change of a code)"})
	}
	return memory.Check(terms...)
}
