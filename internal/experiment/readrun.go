package experiment

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/argmaxvae/argmaxvae/internal/cli"
	"github.com/argmaxvae/argmaxvae/internal/runfolder"
	"github.com/argmaxvae/argmaxvae/nn"
	"github.com/argmaxvae/argmaxvae/train"
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

// LoadVAE returns the VAE in the file at path for data of width columns:
// a model file (train.VAE.WriteModel) read on its own and checked against
// width, or a run's checkpoint.bin (its last epoch) or best.bin loaded
// into the networks b builds from the run's config.json.
func (b *Built) LoadVAE(path string, width int) (*train.VAE, error) {
	state, err := runfolder.ReadState(path) // a checkpoint's last state, or the whole file
	if err != nil {
		return nil, err
	}
	return b.VAEOf(state, path, width)
}

// VAEOf is [Built.LoadVAE] of the contents of the file at path, read
// already (a checkpoint's State, for one).
func (b *Built) VAEOf(state []byte, path string, width int) (*train.VAE, error) {
	if !bytes.HasPrefix(state, []byte("ARGMAXNN")) { // not a state file (nn.Save): a model file
		v, err := train.ReadModel(bytes.NewReader(state), train.ModelOptions{DataWidth: width, Threads: b.Spec.Threads})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return v, nil
	}
	v, err := b.VAE(width)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ConfigFile, err)
	}
	if err := nn.Load(bytes.NewReader(state), v.Params()); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return v, nil
}
