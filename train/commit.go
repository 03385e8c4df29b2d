package train

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"os"
	"path/filepath"
)

// historyKey names the run history inside a checkpoint written by commit.
const historyKey = "fit.history"

// commit writes the trainer's state and the history so far to
// dir/CheckpointFile, and best (if non-nil) to dir/BestFile first, each
// through a temporary file, fsync and rename: the checkpoint's rename is
// the epoch's commit point, so a kill at any moment leaves the previous
// epoch's checkpoint or this one, never a torn file.
func (t *Trainer) commit(dir string, history []Epoch, best []byte) error {
	if best != nil {
		if err := writeAtomic(filepath.Join(dir, BestFile), best); err != nil {
			return err
		}
	}
	if commitHook != nil {
		commitHook("between best and checkpoint", len(history))
	}
	var h bytes.Buffer
	if err := gob.NewEncoder(&h).Encode(history); err != nil {
		return fmt.Errorf("train: encoding the history: %w", err)
	}
	var buf bytes.Buffer
	if err := t.save(&buf, map[string][]float32{historyKey: bytesToFloats(h.Bytes())}); err != nil {
		return err
	}
	return writeAtomic(filepath.Join(dir, CheckpointFile), buf.Bytes())
}

// loadCommitted restores the trainer from a checkpoint written by commit
// and returns its history.
func (t *Trainer) loadCommitted(path string) ([]Epoch, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	extra := map[string][]float32{}
	if err := t.load(f, extra); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	raw, ok := extra[historyKey]
	if !ok {
		return nil, fmt.Errorf("%s holds no run history (written by an older version, or not by Fit)", path)
	}
	var h []Epoch
	if err := gob.NewDecoder(bytes.NewReader(floatsToBytes(raw))).Decode(&h); err != nil {
		return nil, fmt.Errorf("%s: run history: %w", path, err)
	}
	if len(h) != t.Epoch {
		return nil, fmt.Errorf("%s: %d epochs of history for a trainer at epoch %d", path, len(h), t.Epoch)
	}
	return h, nil
}

// commitHook, when set (tests only), is called at the named points of an
// epoch's commit, so a test can kill the process exactly there.
var commitHook func(point string, epoch int)

// writeAtomic writes b to path through path.tmp, fsync and rename.
func writeAtomic(path string, b []byte) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", tmp, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
