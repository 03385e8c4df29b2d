package cli

import (
	"flag"
	"fmt"
	"math"
	"strconv"
)

// rangeInt is an integer flag bounded to [lo, hi].
type rangeInt struct {
	v      *int
	lo, hi int
	note   string
}

func (r rangeInt) String() string {
	if r.v == nil {
		return "0"
	}
	return strconv.Itoa(*r.v)
}

func (r rangeInt) Set(s string) error {
	v, err := strconv.Atoi(s)
	if err != nil {
		return fmt.Errorf("not an integer")
	}
	if v < r.lo || v > r.hi {
		msg := fmt.Sprintf("want %d to %d", r.lo, r.hi)
		if r.hi == math.MaxInt {
			msg = fmt.Sprintf("want ≥ %d", r.lo)
		}
		if r.note != "" {
			msg += " (" + r.note + ")"
		}
		return fmt.Errorf("%s", msg)
	}
	*r.v = v
	return nil
}

// IntIn registers an integer flag that parsing refuses outside [lo, hi],
// with note saying why the bound is where it is (may be empty).
func IntIn(fs *flag.FlagSet, p *int, name string, def, lo, hi int, note, usage string) {
	*p = def
	fs.Var(rangeInt{p, lo, hi, note}, name, usage)
}

// Range is the interval a float flag accepts: from Lo (excluded when
// OpenLo) to Hi (included; +Inf for any finite number). NaN and the
// infinities are never accepted.
type Range struct {
	Lo, Hi float64
	OpenLo bool
}

// The ranges most float flags want.
var (
	Positive    = Range{Lo: 0, Hi: math.Inf(1), OpenLo: true} // finite, > 0
	NonNegative = Range{Lo: 0, Hi: math.Inf(1)}               // finite, ≥ 0
	Fraction    = Range{Lo: 0, Hi: 1, OpenLo: true}           // in (0, 1]
)

func (r Range) contains(v float64) bool {
	if math.IsNaN(v) || math.IsInf(v, 0) || v > r.Hi {
		return false
	}
	if r.OpenLo {
		return v > r.Lo
	}
	return v >= r.Lo
}

func (r Range) String() string {
	lo := "≥ "
	if r.OpenLo {
		lo = "> "
	}
	if math.IsInf(r.Hi, 1) {
		return "a finite number " + lo + strconv.FormatFloat(r.Lo, 'g', -1, 64)
	}
	open := "["
	if r.OpenLo {
		open = "("
	}
	return "a number in " + open + strconv.FormatFloat(r.Lo, 'g', -1, 64) + ", " + strconv.FormatFloat(r.Hi, 'g', -1, 64) + "]"
}

// rangeFloat is a float flag bounded to a Range.
type rangeFloat struct {
	v *float64
	r Range
}

func (f rangeFloat) String() string {
	if f.v == nil {
		return "0"
	}
	return strconv.FormatFloat(*f.v, 'g', -1, 64)
}

func (f rangeFloat) Set(s string) error {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil && !errorsIsRange(err) {
		return fmt.Errorf("not a number")
	}
	if !f.r.contains(v) {
		return fmt.Errorf("want %v", f.r)
	}
	*f.v = v
	return nil
}

// errorsIsRange reports a ParseFloat overflow (1e999), whose ±Inf the
// range then refuses with the range's message.
func errorsIsRange(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// FloatIn registers a float flag that parsing refuses outside r, naming
// the flag and the range: NaN, ±Inf and overflowing numbers included.
func FloatIn(fs *flag.FlagSet, p *float64, name string, def float64, r Range, usage string) {
	*p = def
	fs.Var(rangeFloat{p, r}, name, usage)
}
