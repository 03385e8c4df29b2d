package bench

import (
	"fmt"
	"time"
)

// Duration formats nanoseconds for a table.
func Duration(ns float64) string {
	return time.Duration(ns).Round(time.Duration(max(1, ns/1000))).String()
}

// Ratios states the speed ratios the project targets, from results measured
// in one run: at n = 15 max-flow against MILP (≥ 300×) and against the
// yourbasic backend (≥ 10×, on the same integer-weight models), branch and
// bound against enumeration on general signs (≥ 10×), and the 512×512 grid
// time (< 0.5 s).
func Ratios(rs []Result) []string {
	find := func(solver, structure string, n int) (float64, bool) {
		for _, r := range rs {
			if r.Solver == solver && r.Structure == structure && r.N == n {
				return r.MedianNs, true
			}
		}
		return 0, false
	}
	var lines []string
	ratio := func(label, a, sa, b, sb string, n int, target float64) {
		x, ok1 := find(a, sa, n)
		y, ok2 := find(b, sb, n)
		if !ok1 || !ok2 {
			return
		}
		verdict := "meets"
		if y/x < target {
			verdict = "MISSES"
		}
		lines = append(lines, fmt.Sprintf("%-44s %8.1f×  (target ≥ %g×: %s)", label, y/x, target, verdict))
	}
	ratio("n=15 maxflow vs MILP (supermodular)", "maxflow", "dense-supermodular", "milp", "dense-supermodular", 15, 300)
	ratio("n=15 maxflow vs MILP (general signs)", "maxflow", "dense-supermodular", "milp", "dense-general", 15, 300)
	ratio("n=15 maxflow vs yourbasic (real, scaled 1e6)", "maxflow", "dense-supermodular", "maxflow-yourbasic", "dense-supermodular", 15, 10)
	ratio("n=15 maxflow vs yourbasic (integer weights)", "maxflow", "dense-supermodular-int", "maxflow-yourbasic", "dense-supermodular-int", 15, 10)
	ratio("n=15 bnb vs exhaustive (general signs)", "bnb", "dense-general", "exhaustive", "dense-general", 15, 10)
	ratio("n=15 bnb vs MILP (general signs)", "bnb", "dense-general", "milp", "dense-general", 15, 1)
	if t, ok := find("maxflow", "grid-512x512", 512*512); ok {
		verdict := "meets"
		if t >= 0.5e9 {
			verdict = "MISSES"
		}
		lines = append(lines, fmt.Sprintf("%-44s %9s  (target < 0.5s: %s)", "maxflow 512×512 4-connected grid", Duration(t), verdict))
	}
	return lines
}
