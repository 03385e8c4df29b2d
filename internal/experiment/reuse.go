package experiment

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"

	"github.com/argmaxvae/argmaxvae/train"
)

// RunOrReuse is how the grid commands (table1, figure3) run one cell: if
// s.Out already holds a finished run of the same length (summary.json with
// s.Epochs epochs, not interrupted) it returns that summary without
// training; otherwise it trains the run that layout builds, resuming from
// the checkpoint an interrupted run left in s.Out.
func RunOrReuse(ctx context.Context, s *Spec, data *Data, layout func(t *train.Trainer) *Run) (Summary, error) {
	var done Summary
	if b, err := os.ReadFile(filepath.Join(s.Out, SummaryFile)); err == nil &&
		json.Unmarshal(b, &done) == nil && done.Epochs == s.Epochs && !done.Interrupted {
		return done, nil
	}
	_, statErr := os.Stat(filepath.Join(s.Out, CheckpointFile))
	t, err := NewTrainer(s, data.Train.Cols)
	if err != nil {
		return Summary{}, Usage(err)
	}
	return layout(t).Execute(ctx, statErr == nil)
}
