package experiment

import (
	"fmt"
	"strings"

	"github.com/argmaxvae/argmaxvae/argmax"
)

// A structureRow is one latent structure the commands train: its
// -structure name, what it reads from the spec, and its constructor.
// Adding a structure to every command (cmd/structured, the grids, the
// cost checks) is its argmax files plus one row of [structureTable].
type structureRow struct {
	name string
	doc  string // one line for -help
	// states is how the structure fixes K: "flag" (-k, at least 2),
	// "binary" (K = 2) or "n" (K = N, a permutation).
	states string
	// signs: pair weights signed by -signs (supermodular or general).
	signs bool
	// subset: reads -subset-k and -subset-parts.
	subset bool
	// pairwise: binary variables with pair weights, whose Gibbs
	// distribution exp(h)/Z is enumerated for the exact KL (-kl-exact).
	pairwise bool
	minN     int // the smallest -n it accepts
	// size returns, without building it, what the built structure's
	// argmax.Unary and Dim will be: the memory check runs before the
	// structure is allocated (-structure complete -n 100000 holds 5·10⁹
	// pairs).
	size  func(s *Spec) (unary, dim float64)
	build func(s *Spec) (argmax.Structure, error)
}

// pairs returns n(n−1)/2 for n as a float64 (no overflow).
func pairs(n int) float64 { return float64(n) * float64(n-1) / 2 }

// structureTable is every structure, in the order -help lists them. The
// first row that cmd/structured does not name explicitly is "complete":
// the paper's main job.
var structureTable = []structureRow{
	{name: "independent", doc: "n variables of -k states, unary scores only", states: "flag", minN: 1,
		size:  func(s *Spec) (float64, float64) { return float64(s.N) * float64(s.K), float64(s.N) * float64(s.K) },
		build: func(s *Spec) (argmax.Structure, error) { return argmax.Independent(s.N, s.K) }},
	{name: "complete", doc: "n bits and a weight on every pair, signed by -signs", states: "binary", signs: true, pairwise: true, minN: 1,
		size:  func(s *Spec) (float64, float64) { return 2 * float64(s.N), 2*float64(s.N) + pairs(s.N) },
		build: func(s *Spec) (argmax.Structure, error) { return argmax.Complete(s.N, s.Signs == "supermodular") }},
	{name: "grid", doc: "n bits on a 4-connected grid (10×10 for n = 100), a weight on each grid pair signed by -signs", states: "binary", signs: true, pairwise: true, minN: 1,
		size: func(s *Spec) (float64, float64) {
			r, c := GridShape(s.N)
			return 2 * float64(s.N), 2*float64(s.N) + float64(r*(c-1)+(r-1)*c)
		},
		build: func(s *Spec) (argmax.Structure, error) {
			rows, cols := GridShape(s.N)
			return argmax.Graph(s.N, argmax.GridPairs(rows, cols), s.Signs == "supermodular")
		}},
	{name: "chain", doc: "n variables of -k states with unary and transition scores (Viterbi)", states: "flag", minN: 1,
		size: func(s *Spec) (float64, float64) {
			nk := float64(s.N) * float64(s.K)
			return nk, nk + float64(s.N-1)*float64(s.K)*float64(s.K)
		},
		build: func(s *Spec) (argmax.Structure, error) { return argmax.NewChain(s.N, s.K) }},
	{name: "subset", doc: "-subset-k of n bits on (top-k); -subset-parts independent copies", states: "binary", subset: true, minN: 2,
		size: func(s *Spec) (float64, float64) {
			u := 2 * float64(s.N) * float64(max(1, s.Parts))
			return u, u
		},
		build: func(s *Spec) (argmax.Structure, error) {
			sub, err := argmax.NewKSubset(s.N, s.SubsetK)
			if err != nil || s.Parts <= 1 {
				return sub, err
			}
			return argmax.Repeat(sub, s.Parts) // Parts latent variables, each a k-of-N subset
		}},
	{name: "matching", doc: "a permutation of n: n variables of n states (Hungarian)", states: "n", minN: 2,
		size:  func(s *Spec) (float64, float64) { return float64(s.N) * float64(s.N), float64(s.N) * float64(s.N) },
		build: func(s *Spec) (argmax.Structure, error) { return argmax.NewMatching(s.N) }},
	{name: "tree", doc: "a spanning tree of the complete graph on n nodes, one bit per edge (Kruskal)", states: "binary", minN: 3, // 2 nodes have one tree: a constant latent
		size:  func(s *Spec) (float64, float64) { return 2 * pairs(s.N), 2 * pairs(s.N) },
		build: func(s *Spec) (argmax.Structure, error) { return argmax.NewSpanningTree(s.N, argmax.CompleteGraph(s.N)) }},
}

// Structures lists the -structure names.
func Structures() []string {
	names := make([]string, len(structureTable))
	for i, r := range structureTable {
		names[i] = r.name
	}
	return names
}

// StructureHelp is the -structure flag's help: one line per structure.
func StructureHelp() string {
	var b strings.Builder
	b.WriteString("latent structure:")
	for _, r := range structureTable {
		fmt.Fprintf(&b, "\n  %-12s %s", r.name, r.doc)
	}
	return b.String()
}

// Signs are the values of -signs.
var Signs = []string{"supermodular", "general"}

// StructureReads returns the flags beside -n that the structure name
// reads: "k" (its states), "signs", "subset-k" and "subset-parts"; a grid
// gives a cell only the flags its structure reads.
func StructureReads(name string) ([]string, error) {
	r, err := lookupStructure(name)
	if err != nil {
		return nil, err
	}
	var flags []string
	if r.states == "flag" {
		flags = append(flags, "k")
	}
	if r.signs {
		flags = append(flags, "signs")
	}
	if r.subset {
		flags = append(flags, "subset-k", "subset-parts")
	}
	return flags, nil
}

func lookupStructure(name string) (*structureRow, error) {
	for i := range structureTable {
		if structureTable[i].name == name {
			return &structureTable[i], nil
		}
	}
	return nil, fmt.Errorf("-structure %q: want %s", name, strings.Join(Structures(), ", "))
}

// GridShape returns the rows × cols grid of n variables for the grid
// structure: rows the largest divisor of n at most √n (10 × 10 for
// n = 100; a 1 × n chain for a prime n).
func GridShape(n int) (rows, cols int) {
	rows = 1
	for d := 1; d*d <= n; d++ {
		if n%d == 0 {
			rows = d
		}
	}
	return rows, n / rows
}

// resolveStructure checks the structure's own flags and sets what it
// fixes (K). given, when not nil, reports which flags the command line
// set: a flag the structure does not read is refused rather than ignored.
func (s *Spec) resolveStructure(given func(string) bool) (*structureRow, error) {
	r, err := lookupStructure(s.Structure)
	if err != nil {
		return nil, err
	}
	set := func(name string) bool { return given != nil && given(name) }
	if s.N < r.minN {
		return nil, fmt.Errorf("-n %d: -structure %s wants n ≥ %d", s.N, r.name, r.minN)
	}
	switch r.states {
	case "flag":
		if s.K < 2 {
			return nil, fmt.Errorf("-k %d: want at least 2 states", s.K)
		}
	case "binary":
		if set("k") {
			return nil, fmt.Errorf("-k %d: -structure %s has binary variables; leave -k out", s.K, r.name)
		}
		s.K = 2
	case "n":
		if set("k") {
			return nil, fmt.Errorf("-k: -structure %s has n states per variable (a permutation of n); leave -k out", r.name)
		}
		s.K = s.N
	}
	if r.signs {
		if s.Signs == "" {
			s.Signs = "supermodular"
		}
		if s.Signs != "supermodular" && s.Signs != "general" {
			return nil, fmt.Errorf("-signs %q: want supermodular or general", s.Signs)
		}
	} else {
		if set("signs") {
			return nil, fmt.Errorf("-signs applies to -structure complete and grid, not %s", r.name)
		}
		s.Signs = ""
	}
	if r.subset {
		if s.SubsetK < 1 || s.SubsetK >= s.N {
			return nil, fmt.Errorf("-subset-k %d: -structure subset wants 1 ≤ k < n = %d (k = 0 or n leaves one code: a constant latent)", s.SubsetK, s.N)
		}
		if s.Parts < 0 {
			return nil, fmt.Errorf("-subset-parts %d: want ≥ 1", s.Parts)
		}
	} else if set("subset-k") || set("subset-parts") || s.SubsetK != 0 || s.Parts > 1 {
		return nil, fmt.Errorf("-subset-k and -subset-parts apply to -structure subset only, not %s", r.name)
	}
	return r, nil
}
