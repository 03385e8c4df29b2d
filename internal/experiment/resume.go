package experiment

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/argmaxvae/argmaxvae/internal/runfolder"
)

// CheckRun refuses, before any data is read, to continue (-resume) or
// score (-eval) the run in s.Out when the folder holds no run (no
// checkpoint) or a different one (naming the fields that differ); the
// driver checks again under the folder's lock. It reads only.
func CheckRun(s *Spec) error {
	if _, err := os.Stat(filepath.Join(s.Out, CheckpointFile)); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s holds no run (no %s)", s.Out, CheckpointFile)
	}
	return runfolder.CheckConfig(s.Out, configJSON(s), configFree(s)...)
}

// CheckNew refuses, before any data is read, a new run (no -resume) in
// s.Out when the folder holds a run ([runfolder.CheckNew]); the driver
// checks again under the folder's lock.
func CheckNew(s *Spec) error { return runfolder.CheckNew(s.Out) }

// CheckResume is [CheckRun] for -resume, and refuses as well a run that
// holds more epochs than s.Epochs ([runfolder.CheckResume]).
func CheckResume(s *Spec) error {
	if err := runfolder.Busy(s.Out); err != nil {
		return err
	}
	if err := CheckRun(s); err != nil {
		return err
	}
	return runfolder.CheckResume(s.Out, s.Epochs)
}
