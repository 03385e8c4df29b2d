// Package driver is the one training driver: it runs the epochs of any
// model that can train an epoch, evaluate it and marshal its state — the
// VAE of package train ([train.Fit]) and the semi-supervised model of
// package semisup ([semisup.Run]) — keeping the run folder (lock,
// config.json, a checkpoint committed atomically after every epoch, the
// best epoch's state in best.bin), resuming from it, reporting to
// recorders, honouring interruption and stopping a run that diverges, in
// the manner of gonum's optimize.Minimize: one driver, small interfaces.
//
// A run killed at any moment resumes from its last committed epoch, and a
// resumed run equals an uninterrupted one when the model is deterministic
// given its state. [History] reads a folder's committed epochs back (the
// grids tabulate finished cells from it). The driver writes nothing but
// the run folder's own files; metrics, plots and progress lines are the
// caller's [Recorder]s.
package driver

import (
	"bytes"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"

	"github.com/argmaxvae/argmaxvae/internal/runfolder"
)

// Model is what [Run] trains. E is the model's record of one epoch.
type Model[E any] interface {
	// Epoch returns the number of epochs trained.
	Epoch() int
	// TrainEpoch trains one epoch and returns its record so far; history
	// holds the records of the epochs before it. When ctx is cancelled it
	// returns ctx's error (the model may be left mid-epoch: Run puts it
	// back to the last completed epoch).
	TrainEpoch(ctx context.Context, history []E) (E, error)
	// Evaluate completes the record of the epoch just trained.
	Evaluate(ctx context.Context, e *E) error
	// MarshalBinary and UnmarshalBinary save and restore the whole state
	// training continues from.
	MarshalBinary() ([]byte, error)
	UnmarshalBinary([]byte) error
}

// Recorder receives a run's progress: Start once with the epochs a
// resumed run already has (empty for a new run), then Record after every
// epoch, once it is committed.
type Recorder[E any] interface {
	Start(history []E) error
	Record(e E) error
}

// Ender is a [Recorder] that acts at the end of a run, also after an
// interrupt: [Run] calls End with the whole history before
// Settings.Finish.
type Ender[E any] interface {
	End(history []E, interrupted bool) error
}

// Settings configure [Run].
type Settings[E any] struct {
	// Epochs is the total number of epochs, counting those a resumed run
	// has done; it must be at least 1.
	Epochs int
	// Dir, if set, is the run folder (see the package doc); Resume
	// continues the run it holds. Without Dir nothing is written.
	Dir    string
	Resume bool
	// Config, if set, is the run's description: written to config.json
	// once the folder is locked and every check has passed; a resume is
	// refused when the folder's config.json differs in a field not listed
	// in Free (runfolder.CheckConfig).
	Config any
	Free   []string
	// Score, if set, picks the best epoch (lowest score; NaN never best),
	// whose state is kept in best.bin and in the checkpoint.
	Score func(E) float64
	// Loss, if set, is the epoch's training loss: a run stops with an
	// error when it is not finite or, with MaxLoss > 0, above MaxLoss.
	Loss    func(E) float64
	MaxLoss float64
	// Finish, if set, is called at the end, also after an interrupt,
	// while the folder is still locked.
	Finish func(Result[E]) error
	// Log receives notes (a best.bin rewritten); nil means os.Stderr.
	Log io.Writer
}

// Result is what [Run] returns.
type Result[E any] struct {
	History     []E
	Interrupted bool
	// Best is the state at the best epoch, History[BestIndex]; nil and -1
	// when there is none.
	Best      []byte
	BestIndex int
}

// Hook, when set (tests only), is called at the named points of an
// epoch's commit, so a test can kill the process exactly there.
var Hook func(point string, epoch int)

// DieAt is for the child processes of kill tests: it sets [Hook] to end
// the process at once, with status 9 and no cleanup (as kill -9 would),
// when the commit reaches at, written "POINT@EPOCH" (for example
// "between best and checkpoint@3"). An empty at does nothing.
func DieAt(at string) {
	if at == "" {
		return
	}
	Hook = func(point string, epoch int) {
		if fmt.Sprintf("%s@%d", point, epoch) == at {
			os.Exit(9)
		}
	}
}

// Run trains m until s.Epochs epochs are done, evaluating after each,
// committing it to the run folder and then reporting it to the
// recorders. When ctx is cancelled it drops the epoch in progress, puts m
// back to the last completed epoch, calls Finish and returns the result
// with ctx's error, so that resuming gives exactly the run an
// uninterrupted one would have.
//
// Before any training it refuses, with an error naming the folder and
// what to do: a folder locked by another process; a new run in a folder
// that holds one (runfolder.ErrRefused); a resume of a folder that does
// not exist, holds another run or more epochs than asked, or whose
// checkpoint is missing, damaged or from an older version. Locking also
// removes the temporary files a killed writer left (runfolder.Lock). Nothing is written before these checks pass.
func Run[E any](ctx context.Context, m Model[E], s Settings[E], recs ...Recorder[E]) (Result[E], error) {
	res := Result[E]{BestIndex: -1}
	if s.Epochs < 1 {
		return res, fmt.Errorf("driver: %d epochs, want ≥ 1", s.Epochs)
	}
	if s.Resume && s.Dir == "" {
		return res, errors.New("driver: Resume needs a run folder (Settings.Dir)")
	}
	log := s.Log
	if log == nil {
		log = os.Stderr
	}
	state, err := m.MarshalBinary()
	if err != nil {
		return res, err
	}
	if s.Dir != "" {
		unlock, err := open(s.Dir, s.Resume)
		if err != nil {
			return res, err
		}
		defer unlock()
		if s.Resume {
			if state, err = resume(m, s, &res, log); err != nil {
				return res, err
			}
		} else if err := fresh(s.Dir); err != nil {
			return res, err
		}
		if s.Config != nil {
			if err := runfolder.WriteJSON(filepath.Join(s.Dir, runfolder.ConfigFile), s.Config); err != nil {
				return res, err
			}
		}
		if !s.Resume {
			if err := commit(s.Dir, state, res, false); err != nil {
				return res, err
			}
		}
	}
	for _, r := range recs {
		if err := r.Start(res.History); err != nil {
			return res, err
		}
	}
	bestScore := math.Inf(1)
	if res.BestIndex >= 0 {
		bestScore = s.Score(res.History[res.BestIndex])
	}
	for m.Epoch() < s.Epochs {
		e, err := m.TrainEpoch(ctx, res.History)
		if err == nil {
			if err = diverged(s, e, m.Epoch()); err != nil {
				return res, err
			}
			err = m.Evaluate(ctx, &e)
		}
		if ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
			res.Interrupted = true
			if err := m.UnmarshalBinary(state); err != nil {
				return res, fmt.Errorf("driver: putting the model back to epoch %d: %w", len(res.History), err)
			}
			break
		}
		if err != nil {
			return res, err
		}
		res.History = append(res.History, e)
		if state, err = m.MarshalBinary(); err != nil {
			return res, err
		}
		newBest := false
		if s.Score != nil {
			if v := s.Score(e); v < bestScore {
				bestScore, res.Best, res.BestIndex, newBest = v, state, len(res.History)-1, true
			}
		}
		if s.Dir != "" {
			if err := commit(s.Dir, state, res, newBest); err != nil {
				return res, err
			}
		}
		if Hook != nil {
			Hook("between checkpoint and recorders", len(res.History))
		}
		for _, r := range recs {
			if err := r.Record(e); err != nil {
				return res, err
			}
		}
	}
	for _, r := range recs {
		if e, ok := r.(Ender[E]); ok {
			if err := e.End(res.History, res.Interrupted); err != nil {
				return res, err
			}
		}
	}
	if s.Finish != nil {
		if err := s.Finish(res); err != nil {
			return res, err
		}
	}
	if res.Interrupted {
		return res, ctx.Err()
	}
	return res, nil
}

// open locks the run folder, creating it for a new run; a resume of a
// folder that does not exist is an error (and creates nothing).
func open(dir string, resume bool) (func(), error) {
	if resume {
		if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
			return nil, runfolder.Refused("resume: %s does not exist: there is no run to resume (start one without -resume)", dir)
		}
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("cannot make the run folder %s: %w", dir, err)
	}
	return runfolder.Lock(dir)
}

// fresh refuses a new run in a folder that holds one, and removes a
// best.bin left without a checkpoint.
func fresh(dir string) error {
	if err := runfolder.CheckNew(dir); err != nil {
		return err
	}
	if err := os.Remove(filepath.Join(dir, runfolder.BestFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// resume checks the folder's config, restores m and the history from the
// checkpoint and makes best.bin agree with the checkpoint's best state,
// rewriting it when it is missing, damaged or from a later epoch than the
// checkpoint (a kill between the two writes). It returns m's state.
func resume[E any](m Model[E], s Settings[E], res *Result[E], log io.Writer) ([]byte, error) {
	if s.Config != nil {
		if err := runfolder.CheckConfig(s.Dir, s.Config, s.Free...); err != nil {
			return nil, err
		}
	}
	c, err := runfolder.Load(s.Dir)
	if err != nil {
		return nil, fmt.Errorf("resume: %w", err)
	}
	if err := c.CheckEpochs(s.Dir, s.Epochs); err != nil {
		return nil, fmt.Errorf("resume: %w", err)
	}
	path := filepath.Join(s.Dir, runfolder.CheckpointFile)
	if err := m.UnmarshalBinary(c.State); err != nil {
		return nil, fmt.Errorf("resume: %s: %w", path, err)
	}
	if err := gob.NewDecoder(bytes.NewReader(c.History)).Decode(&res.History); err != nil {
		return nil, fmt.Errorf("resume: %s: run history: %w", path, err)
	}
	if len(res.History) != m.Epoch() || c.Epochs != m.Epoch() {
		return nil, fmt.Errorf("resume: %s: %d epochs of history for a model at epoch %d", path, len(res.History), m.Epoch())
	}
	if c.BestIndex < -1 || c.BestIndex >= len(res.History) || (c.BestIndex >= 0 && s.Score == nil) {
		return nil, fmt.Errorf("resume: %s: best epoch index %d of %d epochs", path, c.BestIndex, len(res.History))
	}
	res.BestIndex, res.Best = c.BestIndex, c.Best
	if c.BestIndex == len(res.History)-1 && c.BestIndex >= 0 {
		res.Best = c.State
	}
	if res.BestIndex < 0 {
		return c.State, nil
	}
	bestPath := filepath.Join(s.Dir, runfolder.BestFile)
	on, err := os.ReadFile(bestPath)
	if err == nil && bytes.Equal(on, res.Best) {
		return c.State, nil
	}
	why := "differs from the state kept in the checkpoint (damaged, or written after it)"
	if err != nil {
		why = err.Error()
	}
	if err := runfolder.WriteFile(bestPath, res.Best); err != nil {
		return nil, fmt.Errorf("resume: %s %s, and rewriting it from %s failed: %w", bestPath, why, path, err)
	}
	fmt.Fprintf(log, "%s %s: rewritten from %s (the state of epoch %d)\n", bestPath, why, path, res.BestIndex+1)
	return c.State, nil
}

// History returns the history committed in dir's checkpoint: the
// records of the epochs done, for a caller that reads a run instead of
// training it (a grid tabulating its cells). Its errors are [runfolder.Load]'s.
func History[E any](dir string) ([]E, error) {
	c, err := runfolder.Load(dir)
	if err != nil {
		return nil, err
	}
	var h []E
	if err := gob.NewDecoder(bytes.NewReader(c.History)).Decode(&h); err != nil {
		return nil, fmt.Errorf("%s: run history: %w", filepath.Join(dir, runfolder.CheckpointFile), err)
	}
	return h, nil
}

// commit writes best.bin when the epoch is a new best, then the
// checkpoint (the commit point).
func commit[E any](dir string, state []byte, res Result[E], newBest bool) error {
	if newBest {
		if err := runfolder.WriteFile(filepath.Join(dir, runfolder.BestFile), res.Best); err != nil {
			return err
		}
	}
	if Hook != nil {
		Hook("between best and checkpoint", len(res.History))
	}
	var h bytes.Buffer
	if err := gob.NewEncoder(&h).Encode(res.History); err != nil {
		return fmt.Errorf("driver: encoding the history: %w", err)
	}
	c := runfolder.Checkpoint{State: state, Epochs: len(res.History), BestIndex: res.BestIndex, History: h.Bytes()}
	if res.BestIndex >= 0 && res.BestIndex != len(res.History)-1 {
		c.Best = res.Best
	}
	return runfolder.Commit(dir, c)
}

// diverged returns an error when the epoch's training loss is not finite
// or above s.MaxLoss.
func diverged[E any](s Settings[E], e E, epoch int) error {
	if s.Loss == nil {
		return nil
	}
	l := s.Loss(e)
	switch {
	case math.IsNaN(l) || math.IsInf(l, 0):
		return fmt.Errorf("training diverged: the training loss of epoch %d is %v; lower the learning rate", epoch, l)
	case s.MaxLoss > 0 && l > s.MaxLoss:
		return fmt.Errorf("training diverged: the training loss of epoch %d is %.3g, above %.3g; lower the learning rate", epoch, l, s.MaxLoss)
	}
	return nil
}
