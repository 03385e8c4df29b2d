package argmax

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestTopKSelectFallback drives selectK with every partition budget from
// 0 (heapsort at once) up, on tied and distinct gains, and checks that
// items[:k] are the first k in the ranking; heapSort alone must sort.
func TestTopKSelectFallback(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	tk := &TopK{rng: 1}
	for trial := 0; trial < 300; trial++ {
		n := 2 + rng.IntN(60)
		k := 1 + rng.IntN(n-1)
		items := make([]topkItem, n)
		for i := range items {
			g := rng.NormFloat64()
			if trial%2 == 0 {
				g = float64(rng.IntN(4))
			}
			items[i] = topkItem{g: g, i: i}
		}
		sorted := slices.Clone(items)
		slices.SortFunc(sorted, rankItems)
		want := make([]int, k)
		for j, it := range sorted[:k] {
			want[j] = it.i
		}
		slices.Sort(want)
		for budget := 0; budget < 8; budget++ {
			a := slices.Clone(items)
			rng.Shuffle(n, func(i, j int) { a[i], a[j] = a[j], a[i] })
			tk.selectK(a, k, budget)
			got := make([]int, k)
			for j, it := range a[:k] {
				got[j] = it.i
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Fatalf("n = %d, k = %d, budget %d: chose %v, want %v", n, k, budget, got, want)
			}
		}
		h := slices.Clone(items)
		heapSort(h)
		if !slices.Equal(h, sorted) {
			t.Fatalf("heapSort: %v, want %v", h, sorted)
		}
	}
}
