package experiment

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/argmaxvae/argmaxvae/train"
)

// RunOrReuse is how the grid commands (table1, figure3) run one cell: if
// s.Out already holds a finished run of the same spec (summary.json with
// s.Epochs epochs, not interrupted, and a config.json that matches s) it
// returns that summary without training; otherwise it trains the run that
// layout builds, resuming from the checkpoint an interrupted run left in
// s.Out. A folder whose config.json describes a different run (another
// estimator, KL mode, seed, schedule, …) is refused with an error naming
// the differences: it is never silently reused, resumed or overwritten.
func RunOrReuse(ctx context.Context, s *Spec, data *Data, layout func(t *train.Trainer) *Run) (Summary, error) {
	if done, ok, err := Finished(s); err != nil || ok {
		return done, err
	}
	_, statErr := os.Stat(filepath.Join(s.Out, CheckpointFile))
	t, err := NewTrainer(s, data.Train.Cols)
	if err != nil {
		return Summary{}, Usage(err)
	}
	return layout(t).Execute(ctx, statErr == nil)
}

// Finished reports whether s.Out holds a finished run of s (same spec, all
// s.Epochs epochs, not interrupted) and returns its summary. A folder
// holding a different spec is an error.
func Finished(s *Spec) (Summary, bool, error) {
	if err := sameConfig(s); err != nil {
		return Summary{}, false, err
	}
	var done Summary
	if b, err := os.ReadFile(filepath.Join(s.Out, SummaryFile)); err == nil &&
		json.Unmarshal(b, &done) == nil && done.Epochs == s.Epochs && !done.Interrupted {
		return done, true, nil
	}
	return Summary{}, false, nil
}

// sameConfig compares s with the config.json in s.Out, if there is one,
// on every field that changes what is trained or measured (all but the
// output folder, the thread count, the command name and the derived
// test_nll_kind). A longer or shorter run of the same spec is allowed:
// it resumes or is reused.
func sameConfig(s *Spec) error {
	b, err := os.ReadFile(filepath.Join(s.Out, ConfigFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var old Spec
	if err := json.Unmarshal(b, &old); err != nil {
		return fmt.Errorf("%s: %w (remove the folder to rerun)", filepath.Join(s.Out, ConfigFile), err)
	}
	if d := specDiff(&old, s); len(d) > 0 {
		return fmt.Errorf("%s holds a different run (%s): refusing to reuse or resume it; remove the folder or choose another -out",
			s.Out, strings.Join(d, ", "))
	}
	return nil
}

// specDiff lists the JSON names of the fields where a and b differ,
// ignoring the fields sameConfig ignores.
func specDiff(a, b *Spec) []string {
	ignore := map[string]bool{"out": true, "threads": true, "command": true, "test_nll_kind": true, "epochs": true}
	va, vb := reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem()
	var diff []string
	for i := 0; i < va.NumField(); i++ {
		f := va.Type().Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "" || ignore[name] {
			continue
		}
		x, y := va.Field(i).Interface(), vb.Field(i).Interface()
		if name == "direct_kl" && a.Estimator != "direct" && b.Estimator != "direct" {
			continue // only direct reads it
		}
		if !reflect.DeepEqual(x, y) {
			diff = append(diff, fmt.Sprintf("%s %v, asked %v", name, x, y))
		}
	}
	return diff
}
