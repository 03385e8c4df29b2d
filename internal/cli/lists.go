package cli

import (
	"flag"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// list is a comma-separated flag of values of type T: each occurrence
// replaces the whole list, empty items are dropped, and a list with no
// item or an item that does not parse is refused naming the item.
type list[T any] struct {
	v     *[]T
	parse func(string) (T, error)
}

func (l list[T]) String() string {
	if l.v == nil {
		return ""
	}
	s := make([]string, len(*l.v))
	for i, x := range *l.v {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, ",")
}

func (l list[T]) Set(s string) error {
	var out []T
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item == "" {
			continue
		}
		x, err := l.parse(item)
		if err != nil {
			return fmt.Errorf("%q: %w", item, err)
		}
		out = append(out, x)
	}
	if len(out) == 0 {
		return fmt.Errorf("want at least one value")
	}
	*l.v = out
	return nil
}

func newList[T any](fs *flag.FlagSet, name string, def []T, usage string, parse func(string) (T, error)) *[]T {
	v := append([]T(nil), def...)
	fs.Var(list[T]{&v, parse}, name, usage)
	return &v
}

// Strings registers a comma-separated list of words.
func Strings(fs *flag.FlagSet, name string, def []string, usage string) *[]string {
	return newList(fs, name, def, usage, func(s string) (string, error) { return s, nil })
}

// Ints registers a comma-separated list of integers, each at least min.
func Ints(fs *flag.FlagSet, name string, def []int, min int, usage string) *[]int {
	return newList(fs, name, def, usage, func(s string) (int, error) {
		v, err := strconv.Atoi(s)
		if err != nil {
			return 0, fmt.Errorf("not an integer")
		}
		if v < min {
			return 0, fmt.Errorf("want ≥ %d", min)
		}
		return v, nil
	})
}

// Uint64s registers a comma-separated list of unsigned integers (seeds).
func Uint64s(fs *flag.FlagSet, name string, def []uint64, usage string) *[]uint64 {
	return newList(fs, name, def, usage, func(s string) (uint64, error) {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("not an unsigned integer")
		}
		return v, nil
	})
}

// Floats registers a comma-separated list of finite numbers > 0
// (temperatures, scales).
func Floats(fs *flag.FlagSet, name string, def []float64, usage string) *[]float64 {
	return newList(fs, name, def, usage, func(s string) (float64, error) {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || !(v > 0) || math.IsInf(v, 0) {
			return 0, fmt.Errorf("want a finite number > 0")
		}
		return v, nil
	})
}

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
