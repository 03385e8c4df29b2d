package report

import (
	"bytes"
	"testing"
	"time"
)

// fakeClock returns times advanced by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func TestProgress(t *testing.T) {
	clk := &fakeClock{t: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	var buf bytes.Buffer
	p := NewProgressClock(&buf, 50, "train", clk.now)
	p.Step(0, "")
	clk.t = clk.t.Add(4100 * time.Millisecond)
	p.Step(1, "loss 98.1")
	clk.t = clk.t.Add(8200 * time.Millisecond)
	p.Step(3, "loss 97.5  acc 0.9")
	clk.t = clk.t.Add(3 * time.Hour)
	p.Step(49, "")
	p.Step(50, "")
	want := "train epoch 0/50  elapsed 0.0s  left ?\n" +
		"train epoch 1/50  loss 98.1  elapsed 4.1s  left ~3m21s\n" + // 4.1 s × 49
		"train epoch 3/50  loss 97.5  acc 0.9  elapsed 12.3s  left ~3m13s\n" + // 4.1 s × 47 = 192.7 s
		"train epoch 49/50  elapsed 3h00m  left ~3m41s\n" + // (10812.3 s / 49) = 220.66 s
		"train epoch 50/50  elapsed 3h00m  left 0s\n"
	if got := buf.String(); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}

	// Resume: the rate counts only units done in this session.
	buf.Reset()
	q := NewProgressClock(&buf, 10, "", clk.now)
	q.Unit = "batch"
	q.Resume(6)
	clk.t = clk.t.Add(2 * time.Second)
	q.Step(7, "x")
	if got, want := buf.String(), "batch 7/10  x  elapsed 2.0s  left ~6.0s\n"; got != want {
		t.Fatalf("resume: got %q want %q", got, want)
	}
}

func TestFormatDuration(t *testing.T) {
	cases := map[time.Duration]string{
		-time.Second:                            "0.0s",
		0:                                       "0.0s",
		40 * time.Millisecond:                   "0.0s",
		12345 * time.Millisecond:                "12.3s",
		59940 * time.Millisecond:                "59.9s",
		59960 * time.Millisecond:                "1m00s",
		190 * time.Second:                       "3m10s",
		3599*time.Second + 600*time.Millisecond: "1h00m",
		2*time.Hour + 5*time.Minute:             "2h05m",
		49*time.Hour + 29*time.Minute + 31*time.Second: "49h30m",
	}
	for d, want := range cases {
		if got := FormatDuration(d); got != want {
			t.Errorf("FormatDuration(%v) = %q, want %q", d, got, want)
		}
	}
}
