package runfolder

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
)

// Files of a run folder kept by the driver.
const (
	CheckpointFile = "checkpoint.bin"
	BestFile       = "best.bin"
	ConfigFile     = "config.json"
	SummaryFile    = "summary.json"
)

// Checkpoint is what an epoch's commit writes to CheckpointFile: the
// model's state, the state at the best epoch so far (nil when it is the
// same epoch, or when no epoch is best) and the run's history, encoded
// by the caller.
type Checkpoint struct {
	State     []byte
	Best      []byte
	Epochs    int // epochs done: the history's length
	BestIndex int // the best epoch's index in the history; -1 when none
	History   []byte
}

// Checkpoint format (integers little-endian):
//
//	"ARGMAXRF" | version u32 = 1 | epochs i64 | best index i64
//	state, best, history: each length u64 | bytes
//	CRC-32C of every preceding byte, u32
const (
	magic   = "ARGMAXRF"
	version = 1
)

var (
	// ErrDamaged is wrapped by the error [Load] returns for a checkpoint
	// that is truncated or fails its checksum.
	ErrDamaged = errors.New("damaged")
	// ErrOldFormat is wrapped by the error [Load] returns for a checkpoint
	// written before this format.
	ErrOldFormat = errors.New("written by an older version")
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Commit writes c to dir/CheckpointFile with [WriteFile]: the rename is
// the epoch's commit point.
func Commit(dir string, c Checkpoint) error {
	n := len(magic) + 4 + 2*8 + 3*8 + len(c.State) + len(c.Best) + len(c.History) + 4
	b := make([]byte, 0, n)
	b = append(b, magic...)
	b = binary.LittleEndian.AppendUint32(b, version)
	b = binary.LittleEndian.AppendUint64(b, uint64(int64(c.Epochs)))
	b = binary.LittleEndian.AppendUint64(b, uint64(int64(c.BestIndex)))
	for _, s := range [][]byte{c.State, c.Best, c.History} {
		b = binary.LittleEndian.AppendUint64(b, uint64(len(s)))
		b = append(b, s...)
	}
	b = binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, castagnoli))
	return WriteFile(filepath.Join(dir, CheckpointFile), b)
}

// Load reads dir/CheckpointFile. A missing file wraps fs.ErrNotExist; a
// damaged one [ErrDamaged]; one from before this format [ErrOldFormat];
// each error names the file and says what can be done.
func Load(dir string) (Checkpoint, error) {
	path := filepath.Join(dir, CheckpointFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Checkpoint{}, fmt.Errorf("no checkpoint %s to resume from: %w", path, err)
	}
	if err != nil {
		return Checkpoint{}, err
	}
	c, err := decode(b)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

func decode(b []byte) (Checkpoint, error) {
	if !bytes.HasPrefix(b, []byte(magic)) {
		if bytes.HasPrefix(b, []byte("ARGMAXNN")) {
			return Checkpoint{}, fmt.Errorf("%w (a trainer state with the history inside, the format before run folders): this version cannot resume it; train again in another folder, or finish it with the version that started it", ErrOldFormat)
		}
		return Checkpoint{}, fmt.Errorf("%w, or not a run checkpoint (semisup's gob checkpoints before run folders are refused too): this version cannot resume it; train again in another folder", ErrOldFormat)
	}
	const head = len(magic) + 4 + 2*8
	if len(b) < head+3*8+4 {
		return Checkpoint{}, fmt.Errorf("%w: %d bytes, truncated; train again in another folder or after removing this one (the same seed gives the same run)", ErrDamaged, len(b))
	}
	body, sum := b[:len(b)-4], binary.LittleEndian.Uint32(b[len(b)-4:])
	if crc32.Checksum(body, castagnoli) != sum {
		return Checkpoint{}, fmt.Errorf("%w: checksum mismatch (truncated or altered); train again in another folder or after removing this one (the same seed gives the same run)", ErrDamaged)
	}
	if v := binary.LittleEndian.Uint32(b[len(magic):]); v != version {
		return Checkpoint{}, fmt.Errorf("format version %d, this version reads %d", v, version)
	}
	c := Checkpoint{Epochs: int(int64(binary.LittleEndian.Uint64(b[len(magic)+4:]))),
		BestIndex: int(int64(binary.LittleEndian.Uint64(b[len(magic)+12:])))}
	rest := body[head:]
	for _, dst := range []*[]byte{&c.State, &c.Best, &c.History} {
		if len(rest) < 8 {
			return Checkpoint{}, fmt.Errorf("%w: section lengths run past the end", ErrDamaged)
		}
		n := binary.LittleEndian.Uint64(rest)
		rest = rest[8:]
		if n > uint64(len(rest)) {
			return Checkpoint{}, fmt.Errorf("%w: a %d-byte section in %d bytes", ErrDamaged, n, len(rest))
		}
		if n > 0 {
			*dst = rest[:n:n]
		}
		rest = rest[n:]
	}
	if len(rest) != 0 {
		return Checkpoint{}, fmt.Errorf("%w: %d stray bytes after the sections", ErrDamaged, len(rest))
	}
	return c, nil
}

// ReadState returns the model state in the file at path: the last
// epoch's state of a checkpoint, or the whole file for a plain state file
// (best.bin, or a checkpoint from before this format). A path that is not
// a regular file is refused ([ReadRegular]).
func ReadState(path string) ([]byte, error) {
	b, err := ReadRegular(path)
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(b, []byte(magic)) {
		return b, nil
	}
	c, err := decode(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c.State, nil
}

// CheckNew refuses a new run in dir when another process holds its lock
// ([Busy]) or dir holds a run: a checkpoint, readable or not (an error matching [ErrRefused] that says to resume it
// or to choose another folder). A missing dir passes. It reads only, so
// commands call it before the data are read; the driver calls it again
// under the folder's lock.
func CheckNew(dir string) error {
	if err := Busy(dir); err != nil {
		return err
	}
	c, err := Load(dir)
	switch {
	case err == nil:
		return Refused("%s already holds a run of %d epochs (%s): continue it with -resume, or remove the folder or choose another -out to start afresh",
			dir, c.Epochs, CheckpointFile)
	case !errors.Is(err, fs.ErrNotExist):
		return Refused("%s holds a run that cannot be resumed (%v): remove the folder or choose another -out to start afresh", dir, err)
	}
	return nil
}

// CheckEpochs refuses to resume the run in dir, whose checkpoint is c, up
// to epochs when it holds more (a run is never cut short): an error
// matching [ErrRefused] that says what to ask for.
func (c Checkpoint) CheckEpochs(dir string, epochs int) error {
	if c.Epochs <= epochs {
		return nil
	}
	kept := ""
	if c.BestIndex >= 0 {
		kept = "; its best epoch is kept in " + BestFile
	}
	return Refused("%s holds %d epochs, more than the %d asked: ask for %d or more (a run is never cut short%s)", dir, c.Epochs, epochs, c.Epochs, kept)
}

// CheckResume refuses, reading only, to resume the run in dir up to
// epochs: the run in progress in another process ([Busy]), no readable
// checkpoint, or one of more epochs
// ([Checkpoint.CheckEpochs]). Commands call it before the data are read;
// the driver checks again under the folder's lock.
func CheckResume(dir string, epochs int) error {
	if err := Busy(dir); err != nil {
		return err
	}
	c, err := Load(dir)
	if err != nil {
		return err
	}
	return c.CheckEpochs(dir, epochs)
}

// ErrRefused is matched (errors.Is) by the errors of a folder that must
// not be trained in as asked: it holds a different run, or a run that a
// new one would replace.
var ErrRefused = errors.New("run folder refused")

// Refused returns an error with msg's text that matches [ErrRefused].
func Refused(format string, args ...any) error { return refused{fmt.Errorf(format, args...)} }

type refused struct{ error }

func (refused) Is(target error) bool { return target == ErrRefused }
func (r refused) Unwrap() error      { return r.error }

// ReadRegular is os.ReadFile for a file the user names, refusing (before
// opening it) anything but a regular file: a folder, a FIFO that would
// block the read until someone writes it, a device such as /dev/zero
// that would fill the memory.
func ReadRegular(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file (%s)", path, kind(fi.Mode()))
	}
	return os.ReadFile(path)
}

// kind names a file mode's type for a message.
func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return m.Type().String()
}
