package cli

import (
	"errors"
	"regexp"
	"strings"
)

// flagToken is a flag name in a message: a dash and a lower-case word at
// the start or after a space, parenthesis or comma.
var flagToken = regexp.MustCompile(`(^|[\s(,])-([a-z][a-z0-9-]*)`)

// RenameFlags returns err with the flags its message names spelled as the
// command spells them: names maps a flag (without its dash) to the text
// that replaces it, dash included. A grid that sets a spec's -n from its
// own -matching-n passes {"n": "-matching-n"}; a flag the command does
// not have at all maps to "" and is dropped from the message, with the
// comma that joined it to a list. The result is a [UsageError] when err
// is one; it no longer wraps err's chain, so use it on errors about the
// command line only.
func RenameFlags(err error, names map[string]string) error {
	if err == nil {
		return nil
	}
	const dropped = "\x00"
	msg := flagToken.ReplaceAllStringFunc(err.Error(), func(tok string) string {
		m := flagToken.FindStringSubmatch(tok)
		to, ok := names[m[2]]
		switch {
		case !ok:
			return tok
		case to == "":
			return m[1] + dropped
		}
		return m[1] + to
	})
	msg = strings.NewReplacer(", "+dropped, "", dropped+", ", "", dropped, "").Replace(msg)
	out := errors.New(msg)
	if IsUsage(err) {
		return UsageError{out}
	}
	return out
}
