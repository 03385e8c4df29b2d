package experiment

import (
	"runtime"
	"strings"
	"testing"

	"github.com/argmaxvae/argmaxvae/argmax"
	"github.com/argmaxvae/argmaxvae/internal/memory"
)

// Every row's size formula gives what the built structure reports, so
// the memory check, which runs before anything is built, counts what
// will be allocated.
func TestStructureSizeFormulas(t *testing.T) {
	for _, r := range structureTable {
		for _, n := range []int{2, 3, 4, 6, 7, 12} {
			for _, parts := range []int{0, 3} {
				if parts > 0 && !r.subset || n < r.minN {
					continue
				}
				s := &Spec{Structure: r.name, N: n, K: 3, Parts: parts, Signs: "general"}
				if r.subset {
					s.SubsetK = 1
				}
				if _, err := s.resolveStructure(nil); err != nil {
					t.Fatal(err)
				}
				st, err := r.build(s)
				if err != nil {
					t.Fatal(err)
				}
				u, d := r.size(s)
				if int(u) != argmax.Unary(st) || int(d) != st.Dim() {
					t.Errorf("%s n=%d parts=%d: formula unary %v dim %v, built %d %d", r.name, n, parts, u, d, argmax.Unary(st), st.Dim())
				}
			}
		}
	}
}

// Issue 18 item 3, the class: a structure, a -k or a -hidden too large
// for any machine is refused by Check naming the flag, before its
// structure, networks or buffers are allocated.
func TestCheckRefusesWhatCannotFit(t *testing.T) {
	if memory.Budget() == 0 {
		t.Skip("this system does not report its memory")
	}
	const big = 1 << 24 // the flags' largest value
	cases := []struct {
		edit func(*Spec)
		want string
	}{
		{func(s *Spec) { s.K = big }, "-k (one latent"},
		{func(s *Spec) { s.N, s.K, s.Solver = big, big, "" }, "-n, -k"},
		{func(s *Spec) { s.Hidden = big }, "-hidden"},
		{func(s *Spec) { s.N, s.Structure, s.Signs, s.Solver = big, "complete", "general", "" }, "-n"},
		{func(s *Spec) { s.N, s.Structure, s.Signs, s.Solver = big, "grid", "general", "" }, "-n"},
		{func(s *Spec) { s.N, s.K, s.Structure, s.Solver = big, big, "chain", "" }, "-n"},
		{func(s *Spec) { s.N, s.Structure, s.Solver = big, "matching", "" }, "-n"},
		{func(s *Spec) { s.N, s.Structure, s.Solver = big, "tree", "" }, "-n"},
		{func(s *Spec) { s.N, s.Structure, s.Solver, s.SubsetK, s.Parts = 20, "subset", "", 10, big }, "-subset-parts"},
		{func(s *Spec) { s.N, s.Structure, s.Signs, s.Solver, s.Batch = 100, "complete", "general", "", big }, "-batch"},
	}
	for _, c := range cases {
		s := validSpec()
		c.edit(&s)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := Check(&s, nil)
		runtime.ReadMemStats(&after)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "more than half of this machine's") {
			t.Errorf("%s n=%d k=%d: err = %v, want a memory refusal naming %q", s.Structure, s.N, s.K, err, c.want)
		}
		if a := after.TotalAlloc - before.TotalAlloc; a > 1<<20 {
			t.Errorf("%s n=%d k=%d: %d bytes allocated before the refusal", s.Structure, s.N, s.K, a)
		}
	}
}
