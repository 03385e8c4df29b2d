package main

import (
	"context"
	"strings"
	"testing"
)

// The constrained structures' rows (full table only): one row per solver
// at the experiments' sizes, checked against enumeration, without
// allocation.
func TestStructureRows(t *testing.T) {
	if testing.Short() {
		t.Skip("enumerates 2^20 codes per subset instance")
	}
	var log strings.Builder
	const row = "%-18s %-24s %7s %7s %12s %10s %8s\n"
	rs, err := runStructures(context.Background(), 1, &log, row)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"topk": "subset-10-of-20", "hungarian": "matching-6x6", "kruskal": "spanning-tree-complete-8"}
	if len(rs) != len(want) {
		t.Fatalf("%d rows, want %d:\n%s", len(rs), len(want), log.String())
	}
	for _, r := range rs {
		if want[r.Solver] != r.Structure || !r.CheckedExact || r.AllocsPerOp != 0 || r.MedianNs <= 0 {
			t.Errorf("row %+v", r)
		}
	}
	t.Logf("\n%s", log.String())
}
