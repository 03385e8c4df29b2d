package kernels

import "testing"

// TestParallelRowsCovers checks that ParallelRows cuts [0, n) into disjoint ranges
// aligned to whole groups, one per worker, and runs small work serially.
func TestParallelRowsCovers(t *testing.T) {
	defer SetWorkers(Workers())
	for _, w := range []int{1, 2, 3, 7} {
		SetWorkers(w)
		for _, c := range []struct{ n, align int }{{1, 1}, {5, 1}, {100, 6}, {1600, 16}, {13, 4}, {3, 16}} {
			seen := make([]int, c.n)
			var ranges [][2]int
			ch := make(chan [2]int, 64)
			ParallelRows(c.n, c.align, MinParWork, func(lo, hi int) { ch <- [2]int{lo, hi} })
			close(ch)
			for r := range ch {
				ranges = append(ranges, r)
				if r[0]%c.align != 0 {
					t.Errorf("w %d n %d align %d: range %v starts inside a group", w, c.n, c.align, r)
				}
				for i := r[0]; i < r[1]; i++ {
					seen[i]++
				}
			}
			for i, s := range seen {
				if s != 1 {
					t.Fatalf("w %d n %d align %d: row %d covered %d times (ranges %v)", w, c.n, c.align, i, s, ranges)
				}
			}
			groups := (c.n + c.align - 1) / c.align
			if want := min(w, groups); len(ranges) != want {
				t.Errorf("w %d n %d align %d: %d ranges, want %d", w, c.n, c.align, len(ranges), want)
			}
		}
	}
	SetWorkers(2)
	calls := 0
	ParallelRows(1000, 1, MinParWork-1, func(lo, hi int) {
		calls++
		if lo != 0 || hi != 1000 {
			t.Errorf("small work split into [%d, %d)", lo, hi)
		}
	})
	if calls != 1 {
		t.Errorf("small work: %d calls, want 1", calls)
	}
}
