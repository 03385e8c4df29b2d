package runfolder

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Diff compares a run's description old (the JSON of a config.json) with
// the description asked (a value encoding to a JSON object) field by
// field, skipping the top-level fields named in free, and returns one
// "name OLD, asked NEW" for each field that differs (sorted by name; a
// field on one side only counts as differing). Numbers compare by their
// JSON text, so 1 and 1.0 differ only if written differently.
func Diff(old []byte, asked any, free ...string) ([]string, error) {
	var a, b map[string]json.RawMessage
	if err := json.Unmarshal(old, &a); err != nil {
		return nil, err
	}
	nb, err := json.Marshal(asked)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(nb, &b); err != nil {
		return nil, fmt.Errorf("the asked run is not a JSON object: %w", err)
	}
	names := map[string]bool{}
	for k := range a {
		names[k] = true
	}
	for k := range b {
		names[k] = true
	}
	var diff []string
	for _, k := range slices.Sorted(maps.Keys(names)) {
		if slices.Contains(free, k) {
			continue
		}
		x, inA := a[k]
		y, inB := b[k]
		if inA && inB && bytes.Equal(compact(x), compact(y)) {
			continue
		}
		diff = append(diff, fmt.Sprintf("%s %s, asked %s", k, show(x, inA), show(y, inB)))
	}
	return diff, nil
}

func compact(r json.RawMessage) []byte {
	var buf bytes.Buffer
	if json.Compact(&buf, r) != nil {
		return r
	}
	return buf.Bytes()
}

// show renders a JSON value for a message: strings without quotes.
func show(r json.RawMessage, present bool) string {
	if !present {
		return "(absent)"
	}
	var s string
	if json.Unmarshal(r, &s) == nil {
		if s == "" {
			return `""`
		}
		return s
	}
	return string(compact(r))
}

// CheckConfig compares dir/ConfigFile, if there is one, with asked (see
// [Diff]) and returns an error naming the fields that differ (the first
// eight), saying how to proceed; a run of another command (the "command"
// fields differ, and so do settings) is named as such. A folder without a config.json passes.
func CheckConfig(dir string, asked any, free ...string) error {
	path := filepath.Join(dir, ConfigFile)
	old, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	d, err := Diff(old, asked, free...)
	if err != nil {
		return fmt.Errorf("%s: %w (remove the folder to train again)", path, err)
	}
	if len(d) == 0 {
		return nil
	}
	// Settings both runs have first: they say more than one side's absence.
	slices.SortStableFunc(d, func(x, y string) int {
		return cmp.Compare(strings.Count(x, "(absent)"), strings.Count(y, "(absent)"))
	})
	list := strings.Join(d[:min(len(d), maxListed)], "; ")
	if len(d) > maxListed {
		list += fmt.Sprintf("; and %d more", len(d)-maxListed)
	}
	if made, asking := command(old), command(asked); made != "" && made != asking {
		who := "this command"
		if asking != "" {
			who = asking
		}
		return Refused("%s holds a run of %s, not of %s (settings that differ: %s): choose another -out", dir, made, who, list)
	}
	return Refused("%s holds a different run (%s): refusing to reuse or resume it; use the same settings, or remove the folder or choose another -out",
		dir, list)
}

// maxListed bounds the differing fields a refusal lists.
const maxListed = 8

// command returns the "command" field of a config.json (JSON text, or a
// value encoding to a JSON object), or "".
func command(config any) string {
	b, ok := config.([]byte)
	if !ok {
		var err error
		if b, err = json.Marshal(config); err != nil {
			return ""
		}
	}
	var c struct {
		Command string `json:"command"`
	}
	json.Unmarshal(b, &c)
	return c.Command
}

// Finished reports whether dir holds a finished run of asked: its
// config.json matches asked ([CheckConfig], the error when not; nil asked
// skips the check) and its summary.json records epochs epochs, not
// interrupted. When it does, the summary is decoded into summary (a
// pointer, or nil).
func Finished(dir string, asked any, epochs int, summary any, free ...string) (bool, error) {
	if asked != nil {
		if err := CheckConfig(dir, asked, free...); err != nil {
			return false, err
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, SummaryFile))
	if err != nil {
		return false, nil
	}
	var s struct {
		Epochs      *int  `json:"epochs"`
		Interrupted *bool `json:"interrupted"`
	}
	if json.Unmarshal(b, &s) != nil || s.Epochs == nil || *s.Epochs != epochs || (s.Interrupted != nil && *s.Interrupted) {
		return false, nil
	}
	if summary != nil {
		if err := json.Unmarshal(b, summary); err != nil {
			return false, fmt.Errorf("%s: %w", filepath.Join(dir, SummaryFile), err)
		}
	}
	return true, nil
}
