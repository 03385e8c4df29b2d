package experiment

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/argmaxvae/argmaxvae/internal/cli"
)

// ReadRun reads the Spec in the run folder dir's config.json, for a
// command (reader) that reads the runs of the training commands listed in
// reads. A missing config.json, and one of a run that is not a Spec (one
// of semisup, or with no command or structure), are cli.UsageErrors that
// say so; the caller checks the Spec itself ([Check]).
func ReadRun(dir, reader, reads string) (*Spec, error) {
	b, err := os.ReadFile(filepath.Join(dir, ConfigFile))
	if err != nil {
		return nil, cli.Usage(fmt.Errorf("-run: %w", err))
	}
	s := &Spec{}
	if err := json.Unmarshal(b, s); err != nil {
		return nil, fmt.Errorf("-run: %s: %w", filepath.Join(dir, ConfigFile), err)
	}
	if s.Command == "" || s.Command == "semisup" || s.Structure == "" {
		made := "another command (it names no command or structure: semisup's?)"
		if s.Command != "" {
			made = s.Command
		}
		return nil, cli.Usagef("-run %s: its %s describes a run of %s; %s reads the runs of %s", dir, ConfigFile, made, reader, reads)
	}
	return s, nil
}
