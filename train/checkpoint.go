package train

import (
	"errors"
	"fmt"
	"io"

	"github.com/argmaxvae/argmaxvae/nn"
)

// Save writes the trainer's full state — parameters, Adam moments, epoch and
// iteration counters, the random generator, and a REINFORCE baseline if
// there is one — so that [Trainer.Load] resumes exactly where it stopped.
func (t *Trainer) Save(w io.Writer) error {
	if err := t.usable(); err != nil {
		return err
	}
	if w == nil {
		return errors.New("train: Trainer.Save: nil writer")
	}
	return t.save(w, nil)
}

// save is Save with extra named vectors.
func (t *Trainer) save(w io.Writer, more map[string][]float32) error {
	rng, err := t.pcg.MarshalBinary()
	if err != nil {
		return err
	}
	extra := map[string][]float32{
		"trainer.epoch": {float32(t.epoch)},
		"trainer.iter":  splitInt(t.iter),
		"trainer.rng":   bytesToFloats(rng),
	}
	if st, ok := t.est.(Stateful); ok {
		for k, v := range st.SaveState() {
			extra[k] = v
		}
	}
	for k, v := range more {
		extra[k] = v
	}
	return nn.Save(w, append(t.params, t.opt.State()...), extra)
}

// Load restores a state written by [Trainer.Save] for the same model and
// estimator; a mismatch in names or shapes is an error.
func (t *Trainer) Load(r io.Reader) error {
	if err := t.usable(); err != nil {
		return err
	}
	if r == nil {
		return errors.New("train: Trainer.Load: nil reader")
	}
	return t.load(r, nil)
}

// load is Load that also returns the checkpoint's other entries in more.
func (t *Trainer) load(r io.Reader, more map[string][]float32) error {
	extra := map[string][]float32{"trainer.epoch": nil, "trainer.iter": nil, "trainer.rng": nil}
	st, stateful := t.est.(Stateful)
	if stateful {
		for _, k := range st.StateKeys() {
			extra[k] = nil
		}
	}
	if err := nn.Load(r, append(t.params, t.opt.State()...), extra); err != nil {
		return err
	}
	if len(extra["trainer.epoch"]) != 1 || len(extra["trainer.iter"]) != 2 {
		return fmt.Errorf("train: checkpoint counters have the wrong length")
	}
	for k, v := range extra {
		if more != nil {
			more[k] = v
		}
	}
	t.epoch = int(extra["trainer.epoch"][0])
	t.iter = joinInt(extra["trainer.iter"])
	if err := t.pcg.UnmarshalBinary(floatsToBytes(extra["trainer.rng"])); err != nil {
		return fmt.Errorf("train: checkpoint generator state: %w", err)
	}
	if stateful {
		state := map[string][]float32{}
		for _, k := range st.StateKeys() {
			state[k] = extra[k]
		}
		if err := st.LoadState(state); err != nil {
			return err
		}
	}
	return nil
}

// splitInt stores a non-negative int below 2⁴⁸ exactly as two float32s.
func splitInt(v int) []float32 { return []float32{float32(v >> 24), float32(v & 0xffffff)} }

func joinInt(f []float32) int { return int(f[0])<<24 | int(f[1]) }

func bytesToFloats(b []byte) []float32 {
	f := make([]float32, len(b))
	for i, c := range b {
		f[i] = float32(c)
	}
	return f
}

func floatsToBytes(f []float32) []byte {
	b := make([]byte, len(f))
	for i, v := range f {
		b[i] = byte(v)
	}
	return b
}
