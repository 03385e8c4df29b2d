package cli

import (
	"flag"
	"fmt"
	"strconv"
	"strings"
)

// list is a comma-separated flag of values of type T: each occurrence
// replaces the whole list, empty items are dropped, and a list with no
// item (unless [MayBeEmpty] allowed it), an item that does not parse or an
// item given twice (a grid would run or count it twice) is refused naming
// the item.
type list[T any] struct {
	v        *[]T
	parse    func(string) (T, error)
	optional bool
}

func (l *list[T]) allowEmpty() { l.optional = true }

func (l *list[T]) String() string {
	if l.v == nil {
		return ""
	}
	s := make([]string, len(*l.v))
	for i, x := range *l.v {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, ",")
}

func (l *list[T]) Set(s string) error {
	var out []T
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item == "" {
			continue
		}
		x, err := l.parse(item)
		if err != nil {
			return fmt.Errorf("%q: %w", item, err)
		}
		for _, y := range out {
			if fmt.Sprint(y) == fmt.Sprint(x) {
				return fmt.Errorf("%q: given twice", item)
			}
		}
		out = append(out, x)
	}
	if len(out) == 0 && !l.optional {
		return fmt.Errorf("want at least one value")
	}
	*l.v = out
	return nil
}

func newList[T any](fs *flag.FlagSet, name string, def []T, usage string, parse func(string) (T, error)) *[]T {
	v := append([]T(nil), def...)
	fs.Var(&list[T]{v: &v, parse: parse}, name, usage)
	return &v
}

// MayBeEmpty lets the list flags named accept an empty value ("" or ","),
// which gives an empty list: for a grid's optional part, such as a
// figure's panel, that a user may skip. The command checks that something
// is left to run. A name that is not a list flag registered in fs panics,
// as flag's own misuse does.
func MayBeEmpty(fs *flag.FlagSet, names ...string) {
	for _, n := range names {
		var l interface{ allowEmpty() }
		ok := false
		if f := fs.Lookup(n); f != nil {
			l, ok = f.Value.(interface{ allowEmpty() })
		}
		if !ok {
			panic("cli.MayBeEmpty: -" + n + " is not a list flag")
		}
		l.allowEmpty()
	}
}

// Strings registers a comma-separated list of words.
func Strings(fs *flag.FlagSet, name string, def []string, usage string) *[]string {
	return newList(fs, name, def, usage, func(s string) (string, error) { return s, nil })
}

// Names registers a comma-separated list of words that valid accepts (a
// nil error): names looked up in a table, refused while parsing with the
// flag and valid's reason.
func Names(fs *flag.FlagSet, name string, def []string, valid func(string) error, usage string) *[]string {
	return newList(fs, name, def, usage, func(s string) (string, error) { return s, valid(s) })
}

// Ints registers a comma-separated list of integers, each in [lo, hi].
func Ints(fs *flag.FlagSet, name string, def []int, lo, hi int, usage string) *[]int {
	return newList(fs, name, def, usage, func(s string) (int, error) {
		v, err := strconv.Atoi(s)
		if err != nil {
			return 0, fmt.Errorf("not an integer")
		}
		if v < lo || v > hi {
			return 0, fmt.Errorf("want %d to %d", lo, hi)
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

// Floats registers a comma-separated list of numbers, each in r
// (temperatures, scales, fractions).
func Floats(fs *flag.FlagSet, name string, def []float64, r Range, usage string) *[]float64 {
	return newList(fs, name, def, usage, func(s string) (float64, error) {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil && !errorsIsRange(err) {
			return 0, fmt.Errorf("not a number")
		}
		if !r.contains(v) {
			return 0, fmt.Errorf("want %v", r)
		}
		return v, nil
	})
}
