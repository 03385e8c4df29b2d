package memory

import (
	"strings"
	"testing"
)

// Check passes what fits, and refuses what does not naming the largest
// term's flags, the total and the machine's memory.
func TestCheck(t *testing.T) {
	b := Budget()
	if b == 0 {
		t.Skip("this system does not report its memory")
	}
	if err := Check(Term{1 << 20, "-a"}, Term{float64(b) / 4, "-b"}); err != nil {
		t.Errorf("a quarter of the budget refused: %v", err)
	}
	err := Check(Term{float64(b) / 2, "-small"}, Term{float64(b), "-big"})
	if err == nil || !strings.HasPrefix(err.Error(), "-big: ") || !strings.Contains(err.Error(), "more than half of this machine's") {
		t.Errorf("one and a half budgets: %v", err)
	}
	if err := Check(); err != nil {
		t.Errorf("no terms: %v", err)
	}
}
