package report

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/argmaxvae/argmaxvae/internal/runfolder"
)

// WriteJSON writes v as indented JSON (two spaces, trailing newline) to path
// atomically: it writes a temporary file in the same directory, syncs it and
// renames it over path, so readers never see a half-written file. Missing
// parent directories are created. Values JSON cannot represent (NaN, ±Inf,
// channels, …) are an error and leave any existing file untouched.
func WriteJSON(path string, v any) error {
	if err := runfolder.WriteJSON(path, v); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

// ReadJSON decodes the JSON file at path into v (a pointer).
func ReadJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("report: read JSON: %w", err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("report: read JSON %s: %w", path, err)
	}
	return nil
}
